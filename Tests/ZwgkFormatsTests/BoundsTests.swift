import Testing

@testable import ZwgkFormats

/// Control characters from input are shown escaped (logs, terminal, HTML), everything else as it is.
@Suite(.timeLimit(.minutes(10))) struct ControlCharacters {
    @Test func controlCharactersAreEscapedAndOtherTextKept() {
        #expect(ControlText.escaped("a\nb\r\tc\u{1B}[31m\u{0}\u{7F}\u{85}\u{2028}") == #"a\nb\r\tc\u{1B}[31m\u{0}\u{7F}\u{85}\u{2028}"#)
        let plain = "市财政局 <b>\"引号\"</b> \u{202E}rtl \u{0301} 😀 ¢ © 中文"
        #expect(ControlText.escaped(plain) == plain)
        #expect(ControlText.escaped("第一行\n\t第二行\u{1B}", keepingLineBreaks: true) == "第一行\n\t第二行\\u{1B}")
        #expect(ControlText.escaped("a\rb", keepingLineBreaks: true) == #"a\rb"#)
    }
}

/// The TOML reader's work is bounded: nesting and size are refused with their line, never a crash.
@Suite(.timeLimit(.minutes(10))) struct TOMLBounds {
    @Test(arguments: [
        ("a = " + String(repeating: "[", count: 100_000), 1),
        ("a = " + String(repeating: "{b = ", count: 100_000), 1),
        ("\n" + String(repeating: "a.", count: 50_000) + "b = 1", 2),
        ("[" + String(repeating: "t.", count: 50_000) + "t]", 1),
        ("[" + String(repeating: "t.", count: 20) + "t]\n" + String(repeating: "k.", count: 20) + "k = 1", 2),
        ("a = [\n" + String(repeating: "[\n", count: 40) + String(repeating: "]\n", count: 40) + "]", 32),
    ])
    func deepNestingIsRefusedWithItsLine(text: String, line: Int) {
        #expect(throws: TOMLSyntaxError.self) { try TOMLReader.parse(text) }
        do {
            _ = try TOMLReader.parse(text)
        } catch {
            #expect(error.line == line && error.reason.contains("嵌套过深"), "\(error)")
        }
    }

    @Test func nestingWithinTheBoundIsRead() throws {
        let nested = "a = " + String(repeating: "[", count: 20) + "1" + String(repeating: "]", count: 20)
        _ = try TOMLReader.parse(nested)
        _ = try TOMLReader.parse("[" + String(repeating: "t.", count: 10) + "t]\nx.y.z = { a = [1, { b = 2 }] }")
    }

    @Test func aTextOverTheSizeLimitIsRefused() {
        let text = "# " + String(repeating: "x", count: TOMLReader.maxBytes)
        #expect(throws: TOMLSyntaxError(line: 0, reason: "文件过大(\(text.utf8.count) 字节),超过 4 MiB 的上限;请检查是否选错了文件")) {
            try TOMLReader.parse(text)
        }
    }

    /// Many keys in one table are found by hash: 100,000 keys read in linear time (a quadratic reader takes minutes).
    @Test func manyKeysInOneTableAreRead() throws {
        let text = (0..<100_000).map { "k\($0) = \($0)" }.joined(separator: "\n")
        let table = try TOMLReader.parse(text)
        #expect(table["k99999"] == .integer(99_999) && table.keys.count == 100_000)
    }
}

import Systemd
import Testing

/// What a log entry holds of a text from a file: one line, bounded.
@Suite(.timeLimit(.minutes(10))) struct LogTextHygiene {
    @Test func aNewlineOrEscapeFromAFileCannotForgeALine() {
        #expect(LogText.clean("a.json\n2026-01-01 zwgk info: 接收 forged.json\u{1B}[2J") == #"a.json\n2026-01-01 zwgk info: 接收 forged.json\u{1B}[2J"#)
        #expect(LogText.clean("市财政局") == "市财政局")
    }

    @Test func aHugeValueIsCutAtACharacter() {
        let clean = LogText.clean(String(repeating: "长", count: 100_000))
        #expect(clean.utf8.count < LogText.limit + 100)
        #expect(clean.hasPrefix("长长") && clean.hasSuffix("(已截断,共 300000 字节)"))
    }
}

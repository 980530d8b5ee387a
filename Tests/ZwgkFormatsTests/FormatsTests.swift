import Testing
@testable import ZwgkFormats

@Suite struct JSONReading {
    @Test func keepsNumbersAsWritten() throws {
        let v = try JSONReader.parse(#"{"a": 0.1, "b": -12.50, "c": 1e2, "d": [true, null, "x"]}"#)
        guard case .object(let o) = v else { Issue.record("not an object"); return }
        #expect(o["a"] == .number("0.1"))
        #expect(o["b"] == .number("-12.50"))
        #expect(o["c"] == .number("1e2"))
        #expect(o["d"] == .array([.bool(true), .null, .string("x")]))
        #expect(o.keys == ["a", "b", "c", "d"])
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try JSONReader.parse(#""\u5e02\u8d22\u653f\u5c40 \ud83d\ude00 \n\t\"""#) == .string("市财政局 😀 \n\t\""))
    }

    @Test(arguments: [
        ("{\"a\": 1,}", "第1行第9列"),
        ("[1 2]", "逗号分隔"),
        ("{\"a\": 01}", "不能以0开头"),
        ("\"\\ud800\"", "不成对的代理项"),
        ("{\"a\": \"x\ny\"}", "控制字符"),
        ("[1] [2]", "多余的内容"),
        ("{\"a\": tru}", "无法识别"),
        ("{\"a\":1, \"a\":2}", "重复出现"),
        ("", "空的"),
    ])
    func refusesWithPlaceAndReason(_ c: (String, String)) {
        do {
            _ = try JSONReader.parse(c.0)
            Issue.record("accepted \(c.0)")
        } catch {
            #expect(error.description.contains(c.1), "\(error)")
        }
    }

    @Test func canonicalFormSortsKeysAndRoundTrips() throws {
        let v = try JSONReader.parse(#"{"b": [1, 2.5], "a": "市"}"#)
        #expect(JSONWriter.compact(v, sortedKeys: true) == #"{"a":"市","b":[1,2.5]}"#)
        #expect(try JSONReader.parse(JSONWriter.pretty(v)) == v)
        #expect(JSONWriter.quote("a\u{1}\"") == #""a\u0001\"""#)
    }
}

@Suite struct TOMLReading {
    @Test func readsTheUnitsShape() throws {
        let t = try TOMLReader.parse("""
            title = "永济" # trailing comment
            count = 1_000
            ratio = 2.5
            on = true
            [rubrics]
            2024 = "rubric-2024.json"

            [[unit]]
            name = "市发改局"
            assigned = [
              "双公示排名情况",  # one
              '促进民营经济发展壮大',
            ]
            [[unit]]
            name = "城东街道"
            a.b = "dotted"
            """)
        #expect(t["title"] == .string("永济"))
        #expect(t["count"] == .integer(1000))
        #expect(t["ratio"] == .float("2.5"))
        #expect(t["on"] == .bool(true))
        guard case .table(let r)? = t["rubrics"], case .array(let units)? = t["unit"] else {
            Issue.record("tables missing")
            return
        }
        #expect(r["2024"] == .string("rubric-2024.json"))
        #expect(units.count == 2)
        guard case .table(let first) = units[0], case .table(let second) = units[1] else { return }
        #expect(first.line == 8)
        #expect(first["assigned"] == .array([.string("双公示排名情况"), .string("促进民营经济发展壮大")]))
        guard case .table(let a)? = second["a"] else { Issue.record("dotted key"); return }
        #expect(a["b"] == .string("dotted"))
    }

    @Test func windowsLineEndingsAndBOM() throws {
        let t = try TOMLReader.parse("\u{FEFF}[[unit]]\r\nname = \"甲\"\r\n")
        guard case .array(let u)? = t["unit"], case .table(let first) = u[0] else { Issue.record("no unit"); return }
        #expect(first["name"] == .string("甲"))
    }

    @Test(arguments: [
        ("name = 市财政局", 1, "须加引号"),
        ("a = 1\na = 2", 2, "重复定义"),
        ("x = {a = 1}", 1, "内联表"),
        ("x = \"abc", 1, "双引号"),
        ("[t]\n[t]", 2, "重复定义"),
        ("a = [1,\n2", 2, "右方括号"),
        ("a = 1 b", 1, "多余的内容"),
    ])
    func refusesWithLine(_ c: (String, Int, String)) {
        do {
            _ = try TOMLReader.parse(c.0)
            Issue.record("accepted \(c.0)")
        } catch {
            #expect(error.line == c.1)
            #expect(error.reason.contains(c.2), "\(error)")
        }
    }
}

@Suite struct Hashing {
    @Test func knownVectors() {
        #expect(ContentHash.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(ContentHash.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(ContentHash.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(ContentHash.hex(Array(repeating: UInt8(ascii: "a"), count: 1_000_000))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}

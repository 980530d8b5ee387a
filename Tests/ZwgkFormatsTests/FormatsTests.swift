import Testing

@testable import ZwgkFormats

@Suite(.timeLimit(.minutes(10))) struct JSONReading {
    @Test func keepsNumbersAsWritten() throws {
        let v = try JSONReader.parse(#"{"a": 0.1, "b": -12.50, "c": 1e2, "d": [true, null, "x"]}"#)
        guard case .object(let o) = v else {
            Issue.record("not an object")
            return
        }
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

    /// Nesting deeper than the limit is refused before it can exhaust the stack, however deep the file goes.
    @Test(.timeLimit(.minutes(10))) func deepNestingIsRefusedNotRecursedInto() {
        for opener in ["[", "{\"a\":"] {
            let deep = String(repeating: opener, count: 500_000)
            do {
                _ = try JSONReader.parse(deep)
                Issue.record("accepted")
            } catch {
                #expect(error.reason.contains("嵌套层数超过64层"), "\(error)")
            }
        }
    }

    /// Numbers are kept as written, whatever their exponent: nothing is computed from them here.
    @Test(.timeLimit(.minutes(10))) func extremeExponentsAreKeptAsText() throws {
        #expect(try JSONReader.parse("[1e-9223372036854775808]") == .array([.number("1e-9223372036854775808")]))
        #expect(throws: JSONSyntaxError.self) { try JSONReader.parse("[0x10]") }
        #expect(throws: JSONSyntaxError.self) { try JSONReader.parse("[NaN]") }
    }
}

@Suite(.timeLimit(.minutes(10))) struct TOMLReading {
    @Test func readsTheUnitsShape() throws {
        let t = try TOMLReader.parse(
            """
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
        guard case .table(let a)? = second["a"] else {
            Issue.record("dotted key")
            return
        }
        #expect(a["b"] == .string("dotted"))
    }

    @Test func windowsLineEndingsAndBOM() throws {
        let t = try TOMLReader.parse("\u{FEFF}[[unit]]\r\nname = \"甲\"\r\n")
        guard case .array(let u)? = t["unit"], case .table(let first) = u[0] else {
            Issue.record("no unit")
            return
        }
        #expect(first["name"] == .string("甲"))
    }

    @Test(arguments: [
        ("name = 市财政局", 1, "须加引号"),
        ("a = 1\na = 2", 2, "重复定义"),
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

    @Test func readsNumbersTheWayTOMLWritesThem() throws {
        let t = try TOMLReader.parse(
            """
            a = 1_000_000
            b = -0
            c = +7
            d = 0
            e = 0xdead_BEEF
            f = 0o755
            g = 0b1010_0101
            h = 3.141_592
            i = -0.5
            j = 1e3
            k = 6.02E+2_3
            l = 1.5e-05
            m = 0.0
            """)
        #expect(t["a"] == .integer(1_000_000))
        #expect(t["b"] == .integer(0))
        #expect(t["c"] == .integer(7))
        #expect(t["d"] == .integer(0))
        #expect(t["e"] == .integer(0xDEAD_BEEF))
        #expect(t["f"] == .integer(0o755))
        #expect(t["g"] == .integer(0b1010_0101))
        #expect(t["h"] == .float("3.141592"))
        #expect(t["i"] == .float("-0.5"))
        #expect(t["j"] == .float("1e3"))
        #expect(t["k"] == .float("6.02E+23"))
        #expect(t["l"] == .float("1.5e-05"))
        #expect(t["m"] == .float("0.0"))
    }

    @Test(arguments: [
        ("1__0", "下划线"), ("_1", "下划线"), ("1_", "下划线"), ("1_.5", "下划线"), ("1._5", "下划线"),
        ("1.5_", "下划线"), ("1e_3", "下划线"), ("-_1", "下划线"), ("0x_ff", "下划线"),
        ("01", "不能以0开头"), ("-01", "不能以0开头"), ("0_1", "不能以0开头"), ("00", "不能以0开头"), ("01.5", "不能以0开头"),
        ("1.", "不完整"), (".5", "不完整"), ("1e", "不完整"), ("0x", "不完整"),
        ("-0x10", "正负号"), ("0b102", "须加引号"), ("1.2.3", "无法识别的数字"), ("1e3.5", "须加引号"),
        ("inf", "inf"), ("-nan", "nan"), ("9223372036854775808", "超出范围"), ("0x1_0000_0000_0000_0000", "超出范围"),
        ("02:00", "须加引号"), ("1979-05-27", "须加引号"),
    ])
    func refusesNumbersTOMLRefuses(_ c: (String, String)) {
        do {
            let t = try TOMLReader.parse("ok = 1\nn = \(c.0)\n")
            Issue.record("accepted \(c.0) as \(String(describing: t["n"]))")
        } catch {
            #expect(error.line == 2, "\(error)")
            #expect(error.reason.contains(c.1), "\(c.0): \(error)")
        }
    }

    @Test func readsInlineTables() throws {
        let t = try TOMLReader.parse(
            """
            rubrics = {2024 = "/etc/zwgk/rubric-2024.json"}
            x = { a = 1, b = "s" }
            empty = {}
            spaced = {   }
            nested = { inner = { deep = true }, list = [1, { k = 'v' }], dotted.key = 2.5 }
            points = [ { x = 1 }, { x = 2 } ]
            spread = { a = [
              1,
              2,
            ], b = 3 }
            after = 4
            """)
        guard case .table(let rubrics)? = t["rubrics"], case .table(let x)? = t["x"], case .table(let nested)? = t["nested"],
            case .table(let spread)? = t["spread"]
        else {
            Issue.record("inline tables missing")
            return
        }
        #expect(rubrics["2024"] == .string("/etc/zwgk/rubric-2024.json"))
        #expect(rubrics.line == 1 && rubrics.line(of: "2024") == 1)
        #expect(x.keys == ["a", "b"])
        #expect(x["a"] == .integer(1))
        #expect(x["b"] == .string("s"))
        #expect(t["empty"] == .table(TOMLTable(line: 3)))
        #expect(t["spaced"] == .table(TOMLTable(line: 4)))
        guard case .table(let inner)? = nested["inner"], case .array(let list)? = nested["list"],
            case .table(let dotted)? = nested["dotted"]
        else {
            Issue.record("nested values missing")
            return
        }
        #expect(inner["deep"] == .bool(true))
        #expect(list.count == 2 && list[0] == .integer(1))
        if case .table(let k) = list[1] { #expect(k["k"] == .string("v")) } else { Issue.record("table in array") }
        #expect(dotted["key"] == .float("2.5"))
        guard case .array(let points)? = t["points"], case .table(let p2) = points[1] else {
            Issue.record("array of inline tables")
            return
        }
        #expect(p2["x"] == .integer(2))
        #expect(spread["a"] == .array([.integer(1), .integer(2)]))
        #expect(spread["b"] == .integer(3))
        #expect(spread.line(of: "b") == 10)
        #expect(t["after"] == .integer(4))
        #expect(t.line(of: "after") == 11)
    }

    @Test(arguments: [
        ("x = { a = 1, }", 1, "最后一项后面不能有逗号"),
        ("x = { , }", 1, "多余的逗号"),
        ("x = { a = 1,, b = 2 }", 1, "多余的逗号"),
        ("ok = 1\nx = { a = 1,\n b = 2 }", 2, "同一行内"),
        ("ok = 1\nx = {\n}", 2, "同一行内"),
        ("ok = 1\nx = { a = 1 # note\n}", 2, "同一行内"),
        ("x = { a = 1 b = 2 }", 1, "逗号分隔"),
        ("ok = 1\nx = { a = 1, a = 2 }", 2, "重复定义"),
        ("x = { a.b = 1, a.b = 2 }", 1, "重复定义"),
        ("x = { a = { b = 1 }, a.c = 2 }", 1, "已是一个值"),
        ("x = { a = }", 1, "缺少值"),
        ("x = {a = 1}\n[x]", 2, "已是一个值"),
        ("x = {a = 1}\nx.b = 2", 2, "已是一个值"),
        ("x = {a = 1}\n[[x]]", 2, "其他类型"),
        ("x = { a = 1 } }", 1, "多余的内容"),
    ])
    func refusesInlineTablesTOMLRefuses(_ c: (String, Int, String)) {
        do {
            _ = try TOMLReader.parse(c.0)
            Issue.record("accepted \(c.0)")
        } catch {
            #expect(error.line == c.1, "\(c.0): \(error)")
            #expect(error.reason.contains(c.2), "\(c.0): \(error)")
        }
    }

    @Test func everyKeyHasItsLine() throws {
        let t = try TOMLReader.parse(
            """
            # comment
            spool = "s"

            list = [
              1,
            ]
            a.b = 1
            inline = { k = 1 }
            [rubrics]
            2024 = "r.json"
            [deep.table]
            key = "v"
            [[unit]]
            name = "甲"
            [[unit]]
            name = "乙"
            """)
        #expect(t.line(of: "spool") == 2)
        #expect(t.line(of: "list") == 4)
        #expect(t.line(of: "a") == 7)
        #expect(t.line(of: "inline") == 8)
        #expect(t.line(of: "rubrics") == 9)
        #expect(t.line(of: "deep") == 11)
        #expect(t.line(of: "unit") == 13)
        #expect(t.line(of: "missing") == nil)
        guard case .table(let a)? = t["a"], case .table(let rubrics)? = t["rubrics"], case .table(let deep)? = t["deep"],
            case .table(let table)? = deep["table"], case .array(let units)? = t["unit"], case .table(let second) = units[1]
        else {
            Issue.record("tables missing")
            return
        }
        #expect(a.line(of: "b") == 7)
        #expect(rubrics.line == 9 && rubrics.line(of: "2024") == 10)
        #expect(table.line == 11 && table.line(of: "key") == 12)
        #expect(second.line == 15 && second.line(of: "name") == 16)

        var edited = t
        edited["spool"] = .string("other")
        #expect(edited.line(of: "spool") == 2)
        edited["new"] = .integer(1)
        #expect(edited.line(of: "new") == 0)
        edited["spool"] = nil
        #expect(edited.line(of: "spool") == nil)
    }

    @Test func aRepeatedKeyIsReportedOnItsOwnLineAfterAMultiLineArray() {
        do {
            _ = try TOMLReader.parse("a = 1\na = [\n  1,\n]\n")
            Issue.record("accepted a repeated key")
        } catch {
            #expect(error.line == 2, "\(error)")
        }
    }
}

@Suite(.timeLimit(.minutes(10))) struct Hashing {
    @Test func knownVectors() {
        #expect(ContentHash.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(ContentHash.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            ContentHash.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            ContentHash.hex(Array(repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}

import Testing

@testable import RubricEngine

/// Records read back from their canonical text (the ledger's form) without a general JSON parser.
@Suite(.timeLimit(.minutes(10))) struct CanonicalReading {
    func read(_ text: String, names: NameTable? = nil) throws -> Record {
        try Array(text.utf8).withUnsafeBufferPointer { try Record(canonicalUTF8: $0, names: names) }
    }

    @Test func everyKindOfRecordRoundTrips() throws {
        let records: [Record] = [
            .finding(Finding(id: "f-1", year: 2023, date: day("2023-02-28"), unit: "市财政局", indicator: "财政预决算")),
            .finding(
                Finding(
                    id: "f\"2\\", year: 2023, date: day("2024-02-29"), unit: "甲\n镇\t(一)", indicator: "双公示数据报送情况",
                    clause: "(一)", count: 12, score: pts("7.5"), points: pts("-0.25"), method: "网上检查 😀",
                    evidence: "截图 \u{01}\u{1F} / “引号” \\ end", note: "")),
            .notice(
                Notice(
                    id: "n1", year: 2023, date: day("2023-07-01"), level: "quarterly", units: ["甲镇", "乙局"],
                    title: "通报", evidence: "文号")),
            .notice(Notice(id: "n2", year: 2023, date: day("2023-07-01"), level: "monthly", units: [])),
            .retraction(
                Retraction(
                    id: "r1", year: 2023, date: day("2023-12-20"), target: "n1", reason: "申诉成立",
                    units: ["乙局"], evidence: "复核意见")),
            .retraction(Retraction(id: "r2", year: 2023, date: day("2023-12-20"), target: "f-1", reason: "更正")),
        ]
        let names = NameTable()
        for record in records {
            #expect(try read(record.canonicalText) == record, "\(record.canonicalText)")
            #expect(try read(record.canonicalText, names: names) == record)
        }
    }

    @Test func numbersAsJSONWritesThem() throws {
        let good = Record.finding(Finding(id: "f1", year: 2023, date: day("2023-01-02"), unit: "u", indicator: "i")).canonicalText
        for (text, score) in [("0", "0"), ("-0.5", "-0.5"), ("7.25", "7.25"), ("1e1", "10"), ("2.5E-1", "0.25"), ("-10", "-10")] {
            guard case .finding(let f) = try read(good.replacing(#""count":1"#, with: #""count":1,"score":\#(text)"#)) else { continue }
            #expect(f.score == pts(score), "\(text)")
        }
    }

    @Test func escapesAnyJSONWriterMightUse() throws {
        let text = #"{"type":"finding","id":"a\/b\u00e9\ud83d\ude00\b\f\r","year":2023,"date":"2023-01-02","unit":"u","indicator":"i","count":1}"#
        guard case .finding(let f) = try read(text) else {
            Issue.record("not a finding")
            return
        }
        #expect(f.id == "a/bé😀\u{08}\u{0C}\r")
    }

    @Test func damageNamesTheField() {
        let good = Record.finding(Finding(id: "f1", year: 2023, date: day("2023-01-02"), unit: "u", indicator: "i")).canonicalText
        let cases: [(String, String)] = [
            ("", "body"),
            ("[]", "body"),
            (good + " ", "body"),
            (String(good.dropLast()), "body"),
            (good.replacing(#""year":2023"#, with: #""year":"2023""#), "year"),
            (good.replacing(#""date":"2023-01-02""#, with: #""date":"2023-02-30""#), "date"),
            (good.replacing(#""count":1"#, with: #""count":x"#), "count"),
            (good.replacing(#""unit":"u","#, with: ""), "unit"),
            (good.replacing(#""type":"finding""#, with: #""type":"memo""#), "type"),
            (good.replacing(#""id":"f1""#, with: #""id":"f\x""#), "id"),
            (good.replacing(#""id":"f1""#, with: #""id":"\ud83d""#), "id"),
            (good.replacing(#""unit""#, with: #""owner""#), "owner"),
            (good.replacing(#""count":1"#, with: #""count":1,"score":1.234"#), "score"),
            (good.replacing(#""unit":"u","#, with: #""unit":"u","unit":"v","#), "unit"),
            (good.replacing(#""count":1"#, with: #""count":1,"count":5"#), "count"),
            (good.replacing(#""count":1"#, with: #""count":007"#), "count"),
            (good.replacing(#""count":1"#, with: #""count":1.5"#), "count"),
            (good.replacing(#""count":1"#, with: #""count":99999999999999999999"#), "count"),
            (good.replacing(#""year":2023"#, with: #""year":02023"#), "year"),
            (good.replacing(#""count":1"#, with: #""count":1,"score":+5"#), "score"),
            (good.replacing(#""count":1"#, with: #""count":1,"score":05"#), "score"),
            (good.replacing(#""count":1"#, with: #""count":1,"score":5."#), "score"),
            (good.replacing(#""count":1"#, with: #""count":1,"score":1e"#), "score"),
        ]
        for (text, field) in cases {
            #expect(throws: LedgerRecordError(field: field), "\(text)") { try read(text) }
        }
    }

    @Test func repeatedNamesShareOneCopy() throws {
        let names = NameTable()
        let long = "信息公开指南和信息公开目录"
        let a = Array(long.utf8).withUnsafeBufferPointer { names.string($0) }
        let b = Array(long.utf8).withUnsafeBufferPointer { names.string($0) }
        #expect(a == long && b == long)
        #expect(a.utf8.withContiguousStorageIfAvailable { $0.baseAddress } == b.utf8.withContiguousStorageIfAvailable { $0.baseAddress })
    }
}

@Suite(.timeLimit(.minutes(10))) struct Days {
    @Test func packedDaysKeepTheirOrderAndText() {
        let texts = ["0001-01-01", "0999-12-31", "2023-01-31", "2023-02-01", "2023-12-31", "2024-02-29", "9999-12-31"]
        let days = texts.map { Day($0)! }
        #expect(days.map(\.description) == texts)
        #expect(days == days.sorted())
        #expect(days.map(\.year) == [1, 999, 2023, 2023, 2023, 2024, 9999])
        #expect(days.map(\.month) == [1, 12, 1, 2, 12, 2, 12])
        #expect(days.map(\.day) == [1, 31, 31, 1, 31, 29, 31])
        for bad in ["2023-02-29", "2023-13-01", "2023-1-01", "20230101", "2023-01-0x", "0000-01-01"] { #expect(Day(bad) == nil, "\(bad)") }
    }
}

@Suite(.timeLimit(.minutes(10))) struct NameLookups {
    @Test func manyNamesGrowTheMapAndAllAreFound() {
        var map = NameMap<Int>()
        let names = (0..<5_000).map { "单位\($0)" } + ["", "a", String(repeating: "长", count: 40)]
        for (i, name) in names.enumerated() { map[name] = i }
        for (i, name) in names.enumerated() { #expect(map[name] == i) }
        #expect(map["单位5000"] == nil)
    }

    /// A name written in another Unicode form (é as e + combining accent) is not byte-equal: the scorer
    /// then asks the roster, which compares names as Swift does, and places the record all the same.
    @Test func aNameInAnotherUnicodeFormIsStillPlaced() {
        let composed = "e\u{301}局"
        let roster = UnitRoster(units: [Unit(name: "\u{E9}局", unitClass: "B")])
        var l = Ledgerish()
        l.finding(composed, "政策咨询", clause: "超时未回复")
        let standings = l.standings(roster: roster)
        #expect(standings.unplaced.isEmpty)
        #expect(standings.cards[0].rows.contains { !$0.entries.isEmpty })
    }
}

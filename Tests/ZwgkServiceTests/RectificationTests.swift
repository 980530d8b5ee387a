import Foundation
import Testing
import ZwgkFormats
import ZwgkTestSupport

/// A year of findings and notices with rectifications on time and late, failed and re-checked, and
/// retractions: the whole drop-file round, as the built `zwgk` sees it.
enum RectificationYear {
    /// Findings and notices (one file) …
    static let base = """
        [{"type": "finding", "id": "wsjc-01", "year": 2023, "date": "2023-03-01", "unit": "市财政局", "indicator": "财政预决算"},
         {"type": "finding", "id": "wsjc-02", "year": 2023, "date": "2023-03-01", "unit": "城东街道", "indicator": "已公布标准目录执行情况",
          "rectify_by": "2023-03-05"},
         {"type": "notice", "id": "运政办通〔2023〕5号", "year": 2023, "date": "2023-04-10", "level": "quarterly",
          "units": ["市财政局", "城东街道", "城西街道"]},
         {"type": "finding", "id": "wsjc-03", "year": 2023, "date": "2023-05-01", "unit": "市发改局", "indicator": "部门信息公开"},
         {"type": "finding", "id": "hp-01", "year": 2023, "date": "2023-05-01", "unit": "城西街道", "indicator": "政策咨询", "clause": "好评"},
         {"type": "finding", "id": "wsjc-04", "year": 2023, "date": "2023-06-01", "unit": "城西街道", "indicator": "机构职能"}]
        """
    /// … then what was done about them (a second file, checked against the first in the same batch) …
    static let followUps = """
        [{"type": "rectification", "id": "zg-01", "year": 2023, "date": "2023-03-10", "target": "wsjc-01", "measures": "已公开2023年预算",
          "evidence": "网页截图"},
         {"type": "recheck", "id": "fc-01", "year": 2023, "date": "2023-03-20", "target": "wsjc-01", "result": "passed"},
         {"type": "rectification", "id": "zg-02", "year": 2023, "date": "2023-03-12", "target": "wsjc-02", "measures": "补充目录"},
         {"type": "recheck", "id": "fc-02", "year": 2023, "date": "2023-03-15", "target": "wsjc-02", "result": "failed",
          "note": "目录仍不完整", "rectify_by": "2023-03-25"},
         {"type": "rectification", "id": "zg-03", "year": 2023, "date": "2023-03-24", "target": "wsjc-02", "measures": "目录已补全"},
         {"type": "recheck", "id": "fc-03", "year": 2023, "date": "2023-03-28", "target": "wsjc-02", "result": "passed"},
         {"type": "rectification", "id": "zg-04", "year": 2023, "date": "2023-04-20", "target": "运政办通〔2023〕5号", "unit": "市财政局",
          "measures": "已整改栏目"},
         {"type": "rectification", "id": "zg-05", "year": 2023, "date": "2023-05-05", "target": "wsjc-03", "measures": "已公开"},
         {"type": "rectification", "id": "zg-06", "year": 2023, "date": "2023-06-05", "target": "wsjc-04", "measures": "已更新职能"},
         {"type": "recheck", "id": "fc-06", "year": 2023, "date": "2023-06-10", "target": "wsjc-04", "result": "failed"}]
        """
    /// … and two upheld appeals.
    static let retractions = """
        [{"type": "retraction", "id": "ss-01", "year": 2023, "date": "2023-05-01", "target": "运政办通〔2023〕5号", "reason": "点名有误",
          "units": ["城西街道"]},
         {"type": "retraction", "id": "ss-02", "year": 2023, "date": "2023-05-10", "target": "wsjc-03", "reason": "申诉成立"}]
        """

    /// (day, target, unit) → "state" plus " late" when late, plus " N" days overdue.
    static let expected: [(String, [String: String])] = [
        ("2023-03-04", ["wsjc-01 市财政局": "open", "wsjc-02 城东街道": "open"]),
        ("2023-03-06", ["wsjc-01 市财政局": "open", "wsjc-02 城东街道": "overdue 1"]),
        ("2023-03-12", ["wsjc-01 市财政局": "reported", "wsjc-02 城东街道": "reported late"]),
        ("2023-03-15", ["wsjc-01 市财政局": "reported", "wsjc-02 城东街道": "open"]),
        ("2023-03-17", ["wsjc-01 市财政局": "reported", "wsjc-02 城东街道": "open"]),
        ("2023-03-20", ["wsjc-01 市财政局": "closed", "wsjc-02 城东街道": "open"]),
        ("2023-03-26", ["wsjc-01 市财政局": "closed", "wsjc-02 城东街道": "reported"]),
        ("2023-03-28", ["wsjc-01 市财政局": "closed", "wsjc-02 城东街道": "closed"]),
        (
            "2023-04-26",
            [
                "wsjc-01 市财政局": "closed", "wsjc-02 城东街道": "closed", "运政办通〔2023〕5号 市财政局": "reported",
                "运政办通〔2023〕5号 城东街道": "overdue 1", "运政办通〔2023〕5号 城西街道": "overdue 1",
            ]
        ),
        (
            "2023-05-01",
            [
                "wsjc-01 市财政局": "closed", "wsjc-02 城东街道": "closed", "运政办通〔2023〕5号 市财政局": "reported",
                "运政办通〔2023〕5号 城东街道": "overdue 6", "运政办通〔2023〕5号 城西街道": "withdrawn", "wsjc-03 市发改局": "open",
            ]
        ),
        (
            "2023-05-05",
            [
                "wsjc-01 市财政局": "closed", "wsjc-02 城东街道": "closed", "运政办通〔2023〕5号 市财政局": "reported",
                "运政办通〔2023〕5号 城东街道": "overdue 10", "运政办通〔2023〕5号 城西街道": "withdrawn", "wsjc-03 市发改局": "reported",
            ]
        ),
        (
            "2023-05-10",
            [
                "wsjc-01 市财政局": "closed", "wsjc-02 城东街道": "closed", "运政办通〔2023〕5号 市财政局": "reported",
                "运政办通〔2023〕5号 城东街道": "overdue 15", "运政办通〔2023〕5号 城西街道": "withdrawn", "wsjc-03 市发改局": "withdrawn",
            ]
        ),
        (
            "2023-06-25",
            [
                "wsjc-01 市财政局": "closed", "wsjc-02 城东街道": "closed", "运政办通〔2023〕5号 市财政局": "reported",
                "运政办通〔2023〕5号 城东街道": "overdue 61", "运政办通〔2023〕5号 城西街道": "withdrawn", "wsjc-03 市发改局": "withdrawn",
                "wsjc-04 城西街道": "open",
            ]
        ),
        (
            "2023-06-26",
            [
                "wsjc-01 市财政局": "closed", "wsjc-02 城东街道": "closed", "运政办通〔2023〕5号 市财政局": "reported",
                "运政办通〔2023〕5号 城东街道": "overdue 62", "运政办通〔2023〕5号 城西街道": "withdrawn", "wsjc-03 市发改局": "withdrawn",
                "wsjc-04 城西街道": "overdue 1",
            ]
        ),
    ]

    /// A sandbox with the year merged (the three files in one batch).
    static func sandbox(followUps: Bool = true) throws -> Sandbox {
        let box = try Sandbox()
        try box.drop("1-base.json", base)
        if followUps { try box.drop("2-follow.json", Self.followUps) }
        try box.drop("3-retract.json", retractions)
        let run = try box.zwgk(["daemon", "--once"])
        #expect(run.status == 0 && run.out.contains("拒收 0"), "\(run.out)\(run.err)\(box.names(box.rejected))")
        return box
    }
}

/// `zwgk rectification --format json`, parsed: (target unit) → "state[ late][ days]", and the units.
func ledgerStates(_ box: Sandbox, _ args: [String]) throws -> (items: [String: String], units: [JSONObject], raw: String) {
    let run = try box.zwgk(["rectification", "--format", "json"] + args)
    #expect(run.status == 0, "\(run.err)")
    guard case .object(let top) = try JSONReader.parse(run.out), case .array(let items)? = top["items"], case .array(let units)? = top["units"]
    else { throw UnexpectedOutput(description: "rectification JSON: \(run.out)\(run.err)") }
    var states: [String: String] = [:]
    for case .object(let o) in items {
        guard case .string(let target)? = o["target"], case .string(let unit)? = o["unit"], case .string(let state)? = o["state"],
            case .bool(let late)? = o["late"], case .number(let days)? = o["days_overdue"]
        else {
            throw UnexpectedOutput(description: "rectification item: \(o)")
        }
        states["\(target) \(unit)"] = state + (late ? " late" : "") + (days != "0" ? " \(days)" : "")
    }
    return (states, units.compactMap { if case .object(let u) = $0 { u } else { nil } }, run.out)
}

/// What `zwgk ARGS` writes to standard output, byte for byte (a BOM included).
func rawOutput(_ box: Sandbox, _ args: [String]) throws -> String {
    let path = box.root + "/.raw-\(UUID().uuidString)"
    let p = Process()
    Sandbox.command(
        p,
        [Sandbox.binary] + args + [
            "--config", box.root + "/zwgk.toml", "--spool", box.spool, "--state", box.state,
            "--reports", box.reports, "--units", box.units,
        ])
    FileManager.default.createFile(atPath: path, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: path) }
    p.standardOutput = FileHandle(forWritingAtPath: path)
    try p.run()
    p.waitUntilExit()
    #expect(p.terminationStatus == 0)
    return String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
}

@Suite(.timeLimit(.minutes(10))) struct RectificationLedger {
    @Test func aYearGivesTheStatesOnEveryDayAsked() throws {
        let box = try RectificationYear.sandbox()
        for (day, expected) in RectificationYear.expected {
            let (states, _, raw) = try ledgerStates(box, ["--as-of", day])
            #expect(states == expected, "as of \(day)")
            #expect(raw.hasPrefix("{\n  \"as_of\": \"\(day)\",\n  \"items\": ["))
        }
        // Filters: one state, one unit; the unit counts follow the unit, not the state.
        let overdue = try ledgerStates(box, ["--as-of", "2023-06-26", "--state", "overdue"])
        #expect(overdue.items == ["运政办通〔2023〕5号 城东街道": "overdue 62", "wsjc-04 城西街道": "overdue 1"])
        let town = try ledgerStates(box, ["--as-of", "2023-06-26", "--unit", "城东街道"])
        #expect(town.items == ["wsjc-02 城东街道": "closed", "运政办通〔2023〕5号 城东街道": "overdue 62"])
        #expect(town.units.count == 1)
        let counts = try #require(town.units.first)
        #expect(counts["unit"] == .string("城东街道") && counts["closed"] == .number("1") && counts["overdue"] == .number("1"))
        #expect(counts["on_time_rate"] == .number("1.0"), "closed by the deadline the failed re-check set")
        let all = try ledgerStates(box, ["--as-of", "2023-06-26"]).units
        #expect(all.first { $0["unit"] == .string("市发改局") }?["on_time_rate"] == .null, "none closed")

        // CSV for Excel and WPS; a readable table.
        let csv = try rawOutput(box, ["rectification", "--format", "csv", "--as-of", "2023-06-26"])
        #expect(csv.hasPrefix("\u{FEFF}单位,类型,编号,指标,条款,问题日期,整改期限,状态,逾期报送,逾期天数,整改报告日期,销号日期,撤销记录,问题说明,整改措施,复查结果,复查意见\r\n"), "\(csv.prefix(160))")
        #expect(csv.contains("城东街道,通报,运政办通〔2023〕5号,检查通报情况(上级季度检查),,2023-04-10,2023-04-25,逾期未整改,,62,,,"), "\(csv)")
        // The 问题清单 says what was done: the latest measures and the latest re-check with its note.
        #expect(csv.contains("城东街道,发现问题,wsjc-02,已公布标准目录执行情况,,2023-03-01,2023-03-25,已销号,否,,2023-03-24,2023-03-28,,,目录已补全,通过,\r\n"), "\(csv)")
        let early = try rawOutput(box, ["rectification", "--format", "csv", "--as-of", "2023-03-16"])
        #expect(early.contains(",补充目录,未通过,目录仍不完整\r\n"), "\(early)")
        let text = try box.zwgk(["rectification", "--as-of", "2023-03-12"])
        #expect(text.out.contains("整改台账(截至 2023-03-12)") && text.out.contains("已报待复查(逾期报送)"), "\(text.out)")
        // --state given a folder is the state folder still (every command takes --state DIR).
        let folder = try box.zwgk(
            [
                "rectification", "--format", "json", "--as-of", "2023-06-26", "--config", box.root + "/zwgk.toml",
                "--spool", box.spool, "--state", box.state, "--state", "overdue", "--reports", box.reports, "--units", box.units,
            ],
            paths: false)
        #expect(folder.status == 0 && folder.out.contains("wsjc-04") && !folder.out.contains("wsjc-01"), "\(folder.out)\(folder.err)")
        let bad = try box.zwgk(["rectification", "--as-of", "6月1日"])
        #expect(bad.status == 1 && bad.err.contains("不是有效日期"))
        // The states in the clerk's words filter as the English ones do; a word that is neither a state nor a
        // folder is refused, not taken as an empty state folder.
        for word in ["逾期", "逾期未整改"] {
            #expect(try ledgerStates(box, ["--as-of", "2023-06-26", "--state", word]).items == overdue.items, "\(word)")
        }
        let neither = try box.zwgk(
            [
                "rectification", "--as-of", "2023-06-26", "--config", box.root + "/zwgk.toml", "--spool", box.spool,
                "--state", box.state, "--state", "过期", "--reports", box.reports, "--units", box.units,
            ], paths: false)
        #expect(neither.status == 1 && neither.err.contains("“过期”既不是整改状态") && neither.err.contains("逾期未整改(overdue)"), "\(neither.err)")
    }

    /// Rectification is tracked, not scored: the same ledger with and without it scores the same, byte for byte.
    @Test func rectificationRecordsChangeNoScore() throws {
        let with = try RectificationYear.sandbox()
        let without = try RectificationYear.sandbox(followUps: false)
        for box in [with, without] { #expect(try box.zwgk(["snapshot", "--period", "2023-annual"]).status == 0) }
        for file in ["scores.json", "scores.csv"] {
            let a = try with.read(with.reports + "/2023/annual/" + file)
            #expect(a == (try without.read(without.reports + "/2023/annual/" + file)), "\(file) differs")
        }
        #expect(
            try with.zwgk(["scores", "--year", "2023", "--format", "json"]).out == (try without.zwgk(["scores", "--year", "2023", "--format", "json"]).out))
        // Only the 整改台账 differs.
        #expect(try with.read(with.reports + "/2023/annual/rectification.csv") != (try without.read(without.reports + "/2023/annual/rectification.csv")))
    }

    @Test func snapshotsReportsUnitPagesAndHistoryShowTheLedger() throws {
        let box = try RectificationYear.sandbox()
        #expect(try box.zwgk(["snapshot", "--period", "2023-Q2"]).status == 0)
        let folder = box.reports + "/2023/Q2"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: folder + "/rectification.csv"))
        let csv = String(decoding: bytes, as: UTF8.self)  // the BOM kept, as Excel and WPS read it
        #expect(csv.hasPrefix("\u{FEFF}单位,类型,编号"))
        #expect(csv.split(separator: "\r\n").count == 1 + 7, "one row per item open by 30 June: \(csv)")
        #expect(csv.contains("城西街道,发现问题,wsjc-04,机构职能,,2023-06-01,2023-06-25,逾期未整改,,5,,,"), "\(csv)")
        guard case .object(let manifest) = try JSONReader.parse(try box.read(folder + "/manifest.json")),
            case .object(let files)? = manifest["files"], case .object(let records)? = manifest["records"],
            case .object(let followUps)? = manifest["rectification_records"]
        else {
            Issue.record("manifest")
            return
        }
        #expect(files["rectification.csv"] == .string(ContentHash.hex(Array(bytes))))
        #expect(records["count"] == .number("8"), "findings, notices and retractions, as before")
        #expect(followUps["count"] == .number("10"))
        let html = try box.read(folder + "/report.html")
        #expect(html.contains("<h2>整改台账</h2>\n<p>截至 2023-06-30:共 5 项问题:待整改 0、逾期未整改 2、已报待复查 1、已销号 2(另有已撤销 2 项)"), "\(html)")

        // The page sent back to a unit is its 问题清单.
        let page = box.root + "/城东街道.html"
        #expect(try box.zwgk(["report", "--unit", "城东街道", "--period", "2023-Q2", "--output", page]).status == 0)
        let unitPage = try box.read(page)
        #expect(unitPage.contains("<h3>整改台账(截至 2023-06-30)</h3>"))
        #expect(
            unitPage.contains(
                "<tr class=\"overdue\"><td>运政办通〔2023〕5号</td><td>通报</td><td>检查通报情况(上级季度检查)</td><td>2023-04-10</td><td>2023-04-25</td><td>逾期未整改</td><td>66</td>"),
            "\(unitPage)")
        #expect(!unitPage.contains("wsjc-01"), "another unit's item")

        // The annual report: each unit's 整改率 and 按期整改率.
        #expect(try box.zwgk(["snapshot", "--period", "2023-annual"]).status == 0)
        let annual = try box.read(box.reports + "/2023/annual/report.html")
        #expect(annual.contains("<th class=\"num\">整改率</th><th class=\"num\">按期整改率</th>"))
        #expect(
            annual.contains(
                ">市财政局</a></td><td class=\"num\">2</td><td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">50%</td><td class=\"num\">100%</td>"
            ), "\(annual)")

        let history = try box.zwgk(["history", "--unit", "城东街道"])
        #expect(history.out.contains("整改报告 zg-02(2023-03-12):针对 wsjc-02,措施:补充目录"), "\(history.out)")
        #expect(history.out.contains("复查 fc-02(2023-03-15):wsjc-02 未通过,需重新整改,新的整改期限 2023-03-25;目录仍不完整"))
        #expect(history.out.contains("复查 fc-03(2023-03-28):wsjc-02 通过,已销号"))
        #expect(!history.out.contains("zg-01"), "another unit's report")
    }

    /// Each refusal reaches the clerk in `rejected/`, checked against the ledger and the files before it in the batch;
    /// `validate` says the same.
    @Test func refusalsAgainstTheLedgerAndTheBatch() throws {
        let box = try RectificationYear.sandbox()
        try box.drop("a.json", #"{"type": "finding", "id": "wsjc-09", "year": 2023, "date": "2023-07-01", "unit": "城东街道", "indicator": "机构职能"}"#)
        try box.drop(
            "b.json",
            #"[{"type": "rectification", "id": "zg-09", "year": 2023, "date": "2023-07-05", "target": "wsjc-09", "measures": "已改"}, {"type": "recheck", "id": "fc-09", "year": 2023, "date": "2023-07-06", "target": "wsjc-09", "result": "passed"}]"#
        )
        try box.drop("c.json", #"{"type": "recheck", "id": "fc-10", "year": 2023, "date": "2023-07-07", "target": "wsjc-09", "result": "failed"}"#)
        try box.drop("d.json", #"{"type": "rectification", "id": "zg-10", "year": 2023, "date": "2023-07-07", "target": "wsjc-03", "measures": "x"}"#)
        try box.drop(
            "e.json",
            #"{"type": "rectification", "id": "zg-11", "year": 2023, "date": "2023-07-07", "target": "运政办通〔2023〕5号", "unit": "市发改局", "measures": "x"}"#)
        let run = try box.zwgk(["daemon", "--once"])
        #expect(run.out.contains("接收 2") && run.out.contains("拒收 3"), "\(run.out)")
        #expect(try box.read(box.rejected + "/c.json.why.txt").contains("“wsjc-09”已复查通过并销号"))
        #expect(try box.read(box.rejected + "/d.json.why.txt").contains("“wsjc-03”已被撤销(撤销记录“ss-02”)"))
        #expect(try box.read(box.rejected + "/e.json.why.txt").contains("通报“运政办通〔2023〕5号”没有点名“市发改局”"))
        let validate = try box.zwgk(["validate", box.rejected + "/c.json"])
        #expect(validate.status == 1 && validate.out.contains("“wsjc-09”已复查通过并销号"), "\(validate.out)")
    }

    @Test func configuredDaysSetTheDefaultDeadline() throws {
        let box = try Sandbox()
        try box.configure("[rectification]\ndays = 30")
        try box.drop("a.json", #"{"type": "finding", "id": "f", "year": 2023, "date": "2023-05-12", "unit": "城东街道", "indicator": "机构职能"}"#)
        #expect(try box.zwgk(["daemon", "--once"]).status == 0)
        #expect(try ledgerStates(box, ["--as-of", "2023-06-11"]).items == ["f 城东街道": "open"])
        #expect(try ledgerStates(box, ["--as-of", "2023-06-12"]).items == ["f 城东街道": "overdue 1"])
        let none = try Sandbox()
        try none.configure("rectification = {days = 0}")
        try none.drop("a.json", #"{"type": "finding", "id": "f", "year": 2023, "date": "2023-05-12", "unit": "城东街道", "indicator": "机构职能"}"#)
        #expect(try none.zwgk(["daemon", "--once"]).status == 0)
        let (items, _, raw) = try ledgerStates(none, ["--as-of", "2024-12-31"])
        #expect(items == ["f 城东街道": "open"] && raw.contains("\"deadline\": null"))
        let wrong = try Sandbox()
        try wrong.configure("[rectification]\ndays = -1\nweeks = 2")
        let refused = try wrong.zwgk(["rectification"])
        #expect(
            refused.err.contains("第3行:[rectification] days 必须是 0 到 365 之间的整数") && refused.err.contains("第4行:[rectification] 中未知的配置项“weeks”"),
            "\(refused.err)")
    }
}

import Foundation
import RubricEngine
import Testing
import ZwgkFormats
import ZwgkTestSupport

/// The built binary with `[grades]` in zwgk.toml: the snapshot's scores.json and scores.csv, and `zwgk scores`.
@Suite(.timeLimit(.minutes(10))) struct GradesEndToEnd {
    @Test func aSnapshotCarriesGradesAndSections() throws {
        let box = try Sandbox()
        try box.configure(
            """
            [grades]
            "优秀" = 99.5
            "良好" = 95
            "合格" = 90
            excellent_share = 0.5
            veto = ["重大扣分项"]
            [grades.B]
            "优秀" = 103
            """)
        try box.drop(
            "a.json",
            """
            [{"type": "finding", "id": "f1", "year": 2023, "date": "2023-05-12", "unit": "城东街道", "indicator": "已公布标准目录执行情况"},
             {"type": "finding", "id": "f2", "year": 2023, "date": "2023-05-12", "unit": "市财政局", "indicator": "重大扣分项", "clause": "一"}]
            """)
        let ingest = try box.zwgk(["daemon", "--once"])
        #expect(box.names(box.accepted) == ["a.json"], "\(ingest.err)")
        let snap = try box.zwgk(["snapshot", "--period", "2023-annual"])
        #expect(snap.status == 0, "\(snap.err)")
        let folder = box.reports + "/2023/annual"

        guard case .object(let doc) = try JSONReader.parse(try box.read(folder + "/scores.json")),
            case .array(let units)? = doc["units"], case .array(let classes)? = doc["classes"]
        else {
            Issue.record("bad scores.json")
            return
        }
        #expect(doc.keys == ["year", "period", "cutoff", "rubric", "status", "approvals", "classes", "units"])
        var byName: [String: JSONObject] = [:]
        for case .object(let u) in units { if case .string(let n)? = u["unit"] { byName[n] = u } }
        // A: 城西街道 100 takes the one 优秀 place (⌊0.5 × 2⌋ = 1); 城东街道's 99.5 reaches 优秀 but is moved down.
        #expect(byName["城西街道"]?["grade"] == .string("优秀"))
        #expect(byName["城西街道"]?["grade_reason"] == nil)
        #expect(byName["城东街道"]?["total"] == .number("99.5"))
        #expect(byName["城东街道"]?["grade"] == .string("良好"))
        #expect(byName["城东街道"]?["grade_reason"] == .string("因优秀名额限制"))
        // B (优秀 from 103): 市发改局 untouched at 103; 市财政局 at 98 with a 重大扣分项 deduction.
        #expect(byName["市发改局"]?["grade"] == .string("优秀"))
        #expect(byName["市财政局"]?["total"] == .number("98"))
        #expect(byName["市财政局"]?["grade"] == .string("不合格"))
        #expect(byName["市财政局"]?["grade_reason"] == .string("一票否决:重大扣分项"))
        #expect(byName["城东街道"]?.keys.prefix(7) == ["unit", "class", "total", "rank", "grade", "grade_reason", "pending"])
        #expect(byName["城东街道"]?.keys.dropFirst(7).first == "sections")

        // Sections sum to the total, with the rubric's groups.
        for (name, u) in byName {
            guard case .array(let sections)? = u["sections"], case .number(let total)? = u["total"] else {
                Issue.record("\(name) has no sections")
                continue
            }
            var sum = Points.zero
            for case .object(let s) in sections { if case .number(let n)? = s["score"] { sum = sum + Points(exactly: n)! } }
            #expect(sum == Points(exactly: total)!, "\(name)")
        }
        guard case .object(let a)? = classes.first, case .object(let grades)? = a["grades"],
            case .array(let stats)? = a["section_stats"], case .object(let grassroots)? = stats.dropFirst().first
        else {
            Issue.record("bad classes: \(classes)")
            return
        }
        #expect(a["class"] == .string("A") && a["units"] == .number("2"))
        #expect(grades.keys == ["优秀", "良好", "合格", "不合格"])
        #expect(grades["优秀"] == .number("1") && grades["良好"] == .number("1") && grades["不合格"] == .number("0"))
        #expect(grassroots["name"] == .string("基层政务公开"))
        #expect(grassroots["base"] == .number("5") && grassroots["average"] == .number("4.75"))
        #expect(grassroots["lowest"] == .number("4.5") && grassroots["highest"] == .number("5"))

        let csv = try box.read(folder + "/scores.csv").split(separator: "\r\n").map(String.init)
        #expect(csv.first?.contains("类别,排名,单位,总分,等次,未评指标,") == true, "\(csv.first ?? "")")
        #expect(csv.contains { $0.hasPrefix("A类,2,城东街道,99.5,良好,,") }, "\(csv)")
        #expect(csv.contains { $0.hasPrefix("B类,2,市财政局,98,不合格,") }, "\(csv)")

        // scores.xlsx says why too (read back by openpyxl): 98 不合格 above 94 合格 is explained.
        let ranking = OfficeTools.sheet(try OfficeTools.dump(folder + "/scores.xlsx"), "B类排名")
        let rows = ((ranking?["cells"] as? [[Any]]) ?? []).map { $0.map { ($0 as? [String: Any])?["v"] as? String } }
        #expect(rows.first?.prefix(5).map { $0 ?? "" } == ["排名", "单位", "总分", "等次", "等次说明"], "\(rows.first ?? [])")
        #expect(rows.contains { $0.count > 4 && $0[1] == "市财政局" && $0[3] == "不合格" && $0[4] == "一票否决:重大扣分项" }, "\(rows)")

        let html = try box.read(folder + "/report.html")
        #expect(html.contains("等次:优秀 1 个、良好 1 个、合格 0 个、不合格 0 个"))
        // The vetoed unit's page names 重大扣分项 as its weakest section, not "nothing lost".
        #expect(html.contains("<b>失分比例最高的一级指标:</b>1. 重大扣分项(失 5 分)</p>"), "\(html)")
        #expect(html.contains("<small class=\"note\">一票否决:重大扣分项</small>"))
        #expect(html.contains("<svg class=\"chart sections\""))

        let table = try box.zwgk(["scores", "--year", "2023"])
        #expect(table.status == 0, "\(table.err)")
        #expect(table.out.contains("良好(因优秀名额限制)"), "\(table.out)")
        #expect(table.out.contains("等次:优秀 1 个、良好 0 个、合格 0 个、不合格 1 个"), "\(table.out)")
    }

    /// Without [grades], nothing says 等次 and no unit has a grade; sections are there all the same.
    @Test func noGradesTableNoGrades() throws {
        let box = try Sandbox()
        try box.drop("a.json", "[\(goodFinding)]")
        try box.zwgk(["daemon", "--once"])
        #expect(try box.zwgk(["snapshot", "--period", "2023-Q2"]).status == 0)
        let folder = box.reports + "/2023/Q2"
        let json = try box.read(folder + "/scores.json")
        #expect(!json.contains("\"grade"))
        #expect(json.contains("\"sections\"") && json.contains("\"section_stats\""))
        #expect(!(try box.read(folder + "/scores.csv")).contains("等次"))
        #expect(!(try box.read(folder + "/report.html")).contains("等次"))
        #expect(!(try box.read(folder + "/summary.md")).contains("等次"))
    }

    /// A bad [grades] stops the command with the file, the line and what to do.
    @Test func aBadGradesTableIsRefusedWithItsLine() throws {
        let box = try Sandbox()
        try box.configure("[grades]\n\"优秀\" = 80\n\"良好\" = 90\n")
        let run = try box.zwgk(["scores", "--year", "2023"])
        #expect(run.status == 1)
        #expect(run.err.contains("第4行:[grades] 的分数线须按 优秀 > 良好 > 合格 严格递减,现在是 优秀 80、良好 90"), "\(run.err)")
    }
}

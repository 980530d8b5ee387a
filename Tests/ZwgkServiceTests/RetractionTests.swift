import Foundation
import Testing
import ZwgkFormats
import ZwgkTestSupport

@Suite(.timeLimit(.minutes(10))) struct AppealsAndCorrections {
    @Test func aRetractedFindingsPointsComeBackAndHistoryShowsEveryStep() throws {
        let box = try Sandbox()
        try box.drop("1.json", "[\(goodFinding), \(goodNotice)]")
        try box.zwgk(["daemon", "--once"])
        #expect(try box.totals()["市财政局"] == "95")
        try box.zwgk(["snapshot", "--period", "2023-Q2"])
        let q2 = try box.read(box.reports + "/2023/Q2/scores.json")

        try box.drop(
            "2.json",
            """
            [{"type": "retraction", "id": "ss-2023-001", "year": 2023, "date": "2023-07-15", "target": "wsjc-2023-017",
              "reason": "申诉成立:预决算已于5月10日公开", "evidence": "复核意见书"},
             {"type": "retraction", "id": "ss-2023-002", "year": 2023, "date": "2023-07-15", "target": "运政办通〔2023〕12号",
              "reason": "通报点名有误", "units": ["城东街道"]}]
            """)
        let run = try box.zwgk(["daemon", "--once"])
        #expect(run.out.contains("接收 1"), "\(run.out)\(box.names(box.rejected))")
        let totals = try box.totals()
        #expect(totals["市财政局"] == "99")  // 财政预决算 back; the notice still stands for 市财政局
        #expect(totals["城东街道"] == "100")  // the notice withdrawn for 城东街道 only

        // The written Q2 snapshot is immutable; the next one (forced here) counts the retraction, whatever its period.
        #expect(try box.read(box.reports + "/2023/Q2/scores.json") == q2)
        try box.zwgk(["snapshot", "--period", "2023-Q2", "--force"])
        let html = try box.read(box.reports + "/2023/Q2/report.html")
        #expect(html.contains("申诉成立:预决算已于5月10日公开"))
        #expect(html.contains("影响得分 +4"))

        let history = try box.zwgk(["history", "--unit", "市财政局"])
        #expect(history.status == 0)
        #expect(history.out.contains("发现问题 wsjc-2023-017"))
        #expect(history.out.contains("财政预决算:4 → 0(-4)"))
        #expect(history.out.contains("撤销 ss-2023-001"))
        #expect(history.out.contains("财政预决算:0 → 4(+4)"))
        #expect(history.out.contains("来源:2.json"))
        #expect(!history.out.contains("ss-2023-002"), "the notice was withdrawn for 城东街道 only")
        let json = try box.zwgk(["history", "--unit", "城东街道", "--format", "json"])
        guard case .object(let o) = try JSONReader.parse(json.out), case .array(let steps)? = o["steps"] else {
            Issue.record("history JSON")
            return
        }
        #expect(steps.count == 2)

        // The ledger still holds every original record.
        #expect(try box.sql("SELECT COUNT(*) FROM records") == "4")
        #expect(try box.sql("SELECT COUNT(*) FROM records WHERE id = 'wsjc-2023-017'") == "1")
    }

    @Test func badRetractionsAreRejectedAndChangeNothing() throws {
        let box = try Sandbox()
        try box.drop("1.json", goodFinding)
        try box.zwgk(["daemon", "--once"])
        try box.drop("2.json", #"{"type": "retraction", "id": "r1", "year": 2023, "date": "2023-07-15", "target": "wsjc-2023-017", "reason": "申诉成立"}"#)
        try box.zwgk(["daemon", "--once"])
        let before = try box.totals()
        try box.drop("unknown.json", #"{"type": "retraction", "id": "r2", "year": 2023, "date": "2023-07-15", "target": "nope", "reason": "x"}"#)
        try box.drop("twice.json", #"{"type": "retraction", "id": "r3", "year": 2023, "date": "2023-07-16", "target": "wsjc-2023-017", "reason": "x"}"#)
        try box.drop("chain.json", #"{"type": "retraction", "id": "r4", "year": 2023, "date": "2023-07-16", "target": "r1", "reason": "x"}"#)
        try box.zwgk(["daemon", "--once"])
        #expect(try box.read(box.rejected + "/unknown.json.why.txt").contains("没有 id 为“nope”的记录"))
        #expect(try box.read(box.rejected + "/twice.json.why.txt").contains("已被撤销"))
        #expect(try box.read(box.rejected + "/chain.json.why.txt").contains("不能再被撤销"))
        #expect(try box.totals() == before)
        #expect(try box.sql("SELECT COUNT(*) FROM records") == "2")
    }
}

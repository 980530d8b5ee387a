import Foundation
import Ledger
import Logging
import RubricEngine
import Testing
import ZwgkFormats
import ZwgkTestSupport

@testable import ZwgkService

/// 初评 → 审定: `zwgk approve` freezes a year (late records refused, the annual snapshot frozen and marked),
/// `--revoke` reopens it; an approval landing between a batch's validation and its commit refuses the batch.
@Suite(.timeLimit(.minutes(10))) struct Approvals {
    func scoresJSON(_ box: Sandbox) throws -> JSONObject {
        guard case .object(let o) = try JSONReader.parse(try box.read(box.reports + "/2023/annual/scores.json")) else { return JSONObject() }
        return o
    }

    @Test func approvalRefusesLateRecordsAndRevocationReopens() throws {
        let box = try Sandbox()
        try box.drop("a.json", finding("f1"))
        #expect(try box.zwgk(["daemon", "--once"]).status == 0)

        // The year is still open (class-B units' assigned rows have no score): the checklist says so and nothing is
        // approved until the operator says yes.
        let check = try box.zwgk(["approve", "--check", "--period", "2023-annual"])
        #expect(check.status == 1 && check.out.contains("未评指标(尚未赋分,审定后按0分计)") && check.out.contains("市财政局:"), "\(check.out)")
        let unconfirmed = try box.zwgk(["approve", "--period", "2023-annual", "--by", "张三"])
        #expect(unconfirmed.status == 1 && unconfirmed.err.contains("请加 --yes 重新运行"), "\(unconfirmed.err)")
        #expect(try box.sql("SELECT COUNT(*) FROM approvals") == "0")
        let approved = try box.zwgk(["approve", "--period", "2023-annual", "--by", "张三", "--note", "常务会议审定", "--yes"])
        #expect(approved.status == 0, "\(approved.err)")
        #expect(approved.out.contains("审定时以下事项尚未完成(已确认 --yes)") && !approved.out.contains("链头"), "\(approved.out)")
        #expect(approved.out.contains("已审定2023年度考核结果(审定人 张三") && approved.out.contains("记录 1 条"), "\(approved.out)")
        // Logged (to stderr here: no journal in the test machine), with the approval's figures.
        #expect(approved.err.contains("张三 审定了2023年度考核结果") && approved.err.contains("last_seq=1"), "\(approved.err)")
        #expect(try scoresJSON(box)["status"] == .string("审定"))
        #expect(try box.read(box.reports + "/2023/annual/report.html").contains("审定 · 张三 · "))
        let page = try box.zwgk(["report", "--unit", "城东街道", "--period", "2023-annual", "--output", box.root + "/page.html"])
        #expect(page.status == 0, "\(page.err)")
        #expect(try box.read(box.root + "/page.html").contains("审定 · 张三 · "))

        // A late record: refused by the daemon and by validate, the approval named.
        try box.drop("late.json", finding("f2"))
        #expect(try box.zwgk(["daemon", "--once"]).status == 0)
        #expect(box.names(box.rejected) == ["late.json", "late.json.why.txt"])
        let why = try box.read(box.rejected + "/late.json.why.txt")
        #expect(why.contains("2023年度考核结果已于") && why.contains("审定(审定人 张三),不再接收该年度的记录") && why.contains("zwgk approve --revoke"), "\(why)")
        try finding("f2").write(toFile: box.root + "/late2.json", atomically: true, encoding: .utf8)
        let validate = try box.zwgk(["validate", box.root + "/late2.json"])
        #expect(validate.status == 1)
        #expect(validate.out.contains("审定(审定人 张三)"), "\(validate.out)")
        #expect(try box.zwgk(["submit", box.root + "/late2.json"]).status != 0)

        // Frozen: no forced rewrite, no second approval; quarterly periods are not approved.
        let forced = try box.zwgk(["snapshot", "--force", "--period", "2023-annual"])
        #expect(forced.status == 1 && forced.err.contains("审定") && forced.err.contains("--revoke"), "\(forced.err)")
        let kept = try box.zwgk(["snapshot", "--period", "2023-annual"])
        #expect(kept.status == 0 && kept.err.contains("已审定"), "\(kept.err)")
        // Not even a missing one is written but by the approval: run again, it writes the approved result.
        try FileManager.default.removeItem(atPath: box.reports + "/2023/annual")
        let missing = try box.zwgk(["snapshot", "--period", "2023-annual"])
        #expect(missing.status == 1 && missing.err.contains("再次运行 zwgk approve"), "\(missing.err)")
        let restored = try box.zwgk(["approve", "--period", "2023-annual", "--by", "张三"])
        #expect(restored.status == 0, "\(restored.err)")
        #expect(try scoresJSON(box)["status"] == .string("审定"))
        let again = try box.zwgk(["approve", "--period", "2023-annual", "--by", "李四"])
        #expect(again.status == 1 && again.err.contains("不能重复审定"), "\(again.err)")
        #expect(try box.zwgk(["approve", "--period", "2023-Q2", "--by", "李四"]).status == 1)
        let noNote = try box.zwgk(["approve", "--revoke", "--period", "2023-annual", "--by", "李四"])
        #expect(noNote.status == 1 && noNote.err.contains("--note"))

        // Revoked: the year reopens, the snapshot is 初评 again with both steps in its history.
        let revoked = try box.zwgk(["approve", "--revoke", "--period", "2023-annual", "--by", "李四", "--note", "城东街道异议成立"])
        #expect(revoked.status == 0, "\(revoked.err)")
        let doc = try scoresJSON(box)
        #expect(doc["status"] == .string("初评"))
        guard case .array(let steps)? = doc["approvals"] else {
            Issue.record("no approvals in scores.json")
            return
        }
        #expect(steps.count == 2)
        let html = try box.read(box.reports + "/2023/annual/report.html")
        #expect(html.contains("初评(未审定)") && html.contains("撤销审定") && html.contains("城东街道异议成立"))
        #expect(try box.read(box.reports + "/2023/annual/summary.md").contains("| 撤销审定 | 李四 | 城东街道异议成立 |"))
        #expect(try box.zwgk(["validate", box.root + "/late2.json"]).status == 0)
        try box.drop("late3.json", finding("f3"))
        #expect(try box.zwgk(["daemon", "--once"]).status == 0)
        #expect(box.names(box.accepted).contains("late3.json"))
        #expect(try box.sql("SELECT action || ':' || actor FROM approvals ORDER BY id") == "approve:张三\nrevoke:李四")
    }

    /// The approval is committed after the batch was validated, before its commit: the batch is decided
    /// again and its files rejected with the approval named; nothing is lost, nothing retried.
    /// On a server the state and reports folders belong to the service's user: approve and snapshot run as root
    /// become that user, so that what they create there (SQLite's `-wal`/`-shm` files, a snapshot's folders) the
    /// service can still write.
    @Test func rootRunsAsTheServiceUser() throws {
        let box = try Sandbox()
        try box.drop("a.json", finding("f1"))
        #expect(try box.zwgk(["daemon", "--once"]).status == 0)
        try FileManager.default.createDirectory(atPath: box.reports, withIntermediateDirectories: true)
        for folder in [box.state, box.reports] {
            #expect(try runProgram("/usr/bin/chown", ["-R", "nobody:nogroup", folder]).0 == 0)
        }
        let approve = try box.zwgk(["approve", "--period", "2023-annual", "--by", "张三", "--yes"])
        #expect(approve.status == 0, "\(approve.err)")
        #expect(try box.sql("SELECT COUNT(*) FROM approvals") == "1")
        let snapshot = try box.zwgk(["snapshot", "--period", "2023-Q2"])
        #expect(snapshot.status == 0, "\(snapshot.err)")
        for path in [box.reports + "/2023", box.reports + "/2023/annual", box.reports + "/2023/annual/report.html", box.reports + "/2023/Q2"] {
            let owner = (try? FileManager.default.attributesOfItem(atPath: path)[.ownerAccountName] as? String) ?? nil
            #expect(owner == "nobody", "\(path) belongs to \(owner ?? "?")")
        }
        let ledgerFiles = (FS.list(box.state) ?? []).filter { $0.hasPrefix("ledger.sqlite") }
        for name in ledgerFiles {
            let owner = (try? FileManager.default.attributesOfItem(atPath: box.state + "/" + name)[.ownerAccountName] as? String) ?? nil
            #expect(owner == "nobody", "\(name) belongs to \(owner ?? "?")")
        }
    }

    @Test func anApprovalBetweenValidationAndCommitRefusesTheBatch() throws {
        let box = try Sandbox()
        let config = box.config
        try FileManager.default.createDirectory(atPath: box.state, withIntermediateDirectories: true)
        let rules = try Rules.load(config)
        let ledger = try Ledger(path: box.state + "/ledger.sqlite")
        let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let ingest = Ingest(spool: Spool(root: box.spool), ledger: ledger, rules: rules, logger: quiet)
        try box.drop("a.json", finding("f1"))
        _ = try ingest.run(["a.json"], checkWriters: false)

        try box.drop("b.json", finding("f2"))
        try box.drop("c.json", finding("f3"))
        var slipped = 0
        ingest.beforeCommit = {
            guard slipped == 0 else { return }
            slipped += 1
            // Another process (zwgk approve) on a connection of its own.
            _ = try? Ledger(path: box.state + "/ledger.sqlite").record(
                .approve, year: 2023, period: "2023-annual", by: "张三",
                note: nil, at: "2024-01-20T02:00:00.000Z")
        }
        let summary = try ingest.run(["b.json", "c.json"], checkWriters: false)
        #expect(slipped == 1)
        #expect(summary.rejected == 2 && summary.accepted == 0 && summary.records == 0)
        #expect(try ledger.entries(year: 2023).map(\.record.id) == ["f1"])
        #expect(box.names(box.incoming).isEmpty)
        #expect(box.names(box.rejected) == ["b.json", "b.json.why.txt", "c.json", "c.json.why.txt"])
        #expect(try box.read(box.rejected + "/b.json.why.txt").contains("审定(审定人 张三)"))
        #expect(try ledger.counts().rejected == 2)
        #expect(try ledger.checkChains().findings.isEmpty)
    }
}

/// `zwgk verify`: a clean state passes with what was checked; each kind of tampering fails naming it.
@Suite(.timeLimit(.minutes(10))) struct Verify {
    func prepared() throws -> Sandbox {
        let box = try Sandbox()
        try box.drop("a.json", "[" + ["f1", "f2", "f3"].map { finding($0) }.joined(separator: ",") + "]")
        #expect(try box.zwgk(["daemon", "--once"]).status == 0)
        #expect(try box.zwgk(["snapshot", "--period", "2023-Q2"]).status == 0)
        #expect(try box.zwgk(["approve", "--period", "2023-annual", "--by", "张三", "--yes"]).status == 0)
        return box
    }

    @Test func aCleanStatePassesWithWhatWasChecked() throws {
        let box = try prepared()
        let run = try box.zwgk(["verify"])
        #expect(run.status == 0, "\(run.out)\(run.err)")
        #expect(run.out.contains("已校验账本记录 3 条(1 个年度:2023),审定记录 1 条,快照 2 个(文件 12 个)"), "\(run.out)")
        #expect(try box.zwgk(["verify", "--year", "2023"]).status == 0)
    }

    @Test(arguments: [
        "edit body", "edit body+sha256", "delete row", "insert row", "edit report", "delete report", "delete approved snapshot",
        "edit approver", "delete approval", "insert revocation", "edit source file", "edit place",
        "edit approved report and manifest", "delete pin", "edit pin",
    ])
    func tamperingFailsNamingIt(_ how: String) throws {
        let box = try prepared()
        let edited = #"{"date":"2023-05-01","id":"f2","indicator":"政策咨询","type":"finding","unit":"城东街道","year":2023}"#
        var expected: String
        switch how {
        case "edit body":
            _ = try box.sql("DROP TRIGGER records_append_only_update; UPDATE records SET body = replace(body, '2023-05-01', '2023-05-02') WHERE seq = 2")
            expected = "seq 2(2023年度,id “f2”)"
        case "edit body+sha256":
            _ = try box.sql(
                "DROP TRIGGER records_append_only_update; UPDATE records SET body = '\(edited)', sha256 = '\(ContentHash.hex(edited))' WHERE seq = 2")
            expected = "seq 2(2023年度,id “f2”):链值不符"
        case "delete row":
            _ = try box.sql("DROP TRIGGER records_append_only_delete; DELETE FROM records WHERE seq = 2")
            expected = "seq 2 的记录不存在"
        case "insert row":
            _ = try box.sql(
                "INSERT INTO records(year, id, type, date, body, sha256, file_id) SELECT year, 'f9', type, date, replace(body, '\"f1\"', '\"f9\"'), sha256, file_id FROM records WHERE seq = 1"
            )
            expected = "seq 4(2023年度,id “f9”)"
        case "edit report":
            try (try box.read(box.reports + "/2023/Q2/report.html") + "<!-- -->").write(
                toFile: box.reports + "/2023/Q2/report.html", atomically: true, encoding: .utf8)
            expected = "报告文件 \(box.reports)/2023/Q2/report.html 与快照清单中的哈希不符"
        case "delete report":
            try FileManager.default.removeItem(atPath: box.reports + "/2023/annual/scores.csv")
            expected = "报告文件 \(box.reports)/2023/annual/scores.csv 不存在"
        case "edit source file":
            _ = try box.sql("UPDATE files SET name = 'other.json' WHERE id = (SELECT file_id FROM records WHERE seq = 2)")
            expected = "seq 2(2023年度,id “f2”):链值不符"
        case "edit place":
            _ = try box.sql("DROP TRIGGER records_append_only_update; UPDATE records SET source = '发现问题!9' WHERE seq = 2")
            expected = "seq 2(2023年度,id “f2”):链值不符"
        case "edit approved report and manifest":
            // The file and its hash in the manifest together: the manifest no longer matches the one pinned at approval.
            let folder = box.reports + "/2023/annual"
            let original = try #require(FileManager.default.contents(atPath: folder + "/summary.md"))
            let edited = Data(String(decoding: original, as: UTF8.self).replacing("城东街道", with: "城東街道").utf8)
            let manifest = try box.read(folder + "/manifest.json")
            #expect(manifest.contains(ContentHash.hex(Array(original))))
            try edited.write(to: URL(fileURLWithPath: folder + "/summary.md"))
            try manifest.replacing(ContentHash.hex(Array(original)), with: ContentHash.hex(Array(edited)))
                .write(toFile: folder + "/manifest.json", atomically: true, encoding: .utf8)
            expected = "清单与审定时登记在账本中的不符"
        case "delete pin":
            _ = try box.sql("DROP TRIGGER approved_snapshots_append_only_delete; DELETE FROM approved_snapshots")
            expected = "审定后的全年快照没有登记在账本中"
        case "edit pin":
            _ = try box.sql("DROP TRIGGER approved_snapshots_append_only_update; UPDATE approved_snapshots SET at = '2024-01-01T00:00:00.000Z'")
            expected = "审定快照登记 #1(2023年度)与其链值不符"
        case "edit approver":
            _ = try box.sql("DROP TRIGGER approvals_append_only_update; UPDATE approvals SET actor = '李四'")
            expected = "审定记录 #1(2023年度):审定记录与其链值不符"
        case "delete approval":
            // The year would silently reopen: the annual snapshot still lists the approval.
            _ = try box.sql("DROP TRIGGER approvals_append_only_delete; DELETE FROM approvals")
            expected = "记载审定/撤销 1 次(审定),账本中却有 0 次"
        case "insert revocation":
            _ = try box.sql(
                "INSERT INTO approvals(year, period, action, actor, note, at, chain_head, last_seq, records, chain) "
                    + "SELECT year, period, 'revoke', '李四', '撤销', at, chain_head, last_seq, records, chain FROM approvals")
            expected = "审定记录 #2(2023年度):审定记录与其链值不符"
        default:
            try FileManager.default.removeItem(atPath: box.reports + "/2023/annual")
            expected = "2023年度已审定"
        }
        let run = try box.zwgk(["verify"])
        #expect(run.status == 1)
        #expect(run.out.contains(expected), "\(how): \(run.out)")
    }

    @Test func theDaemonChecksAtStartAndStatusSaysSo() async throws {
        let box = try prepared()
        _ = try box.sql("DROP TRIGGER records_append_only_update; UPDATE records SET body = replace(body, '2023-05-01', '2023-05-02') WHERE seq = 2")
        let daemon = try box.startDaemon(["--watch", "poll"])
        defer { _ = stop(daemon) }
        var status = try box.zwgk(["status"])
        let found = await until {
            status = (try? box.zwgk(["status"])) ?? status
            return status.out.contains("完整性校验发现")
        }
        #expect(found, "\(status.out)\n\(box.daemonLog)")
        #expect(status.status == 1)
        #expect(status.out.contains("seq 2(2023年度,id “f2”)"))
        #expect(box.daemonLog.contains("完整性校验发现"))
        // Q1, Q3 and Q4 fell due long ago, but nothing is published from a ledger found tampered with: a snapshot
        // written now would agree with the tampering.
        #expect(box.names(box.reports + "/2023") == ["Q2", "annual"], "\(box.daemonLog)")
    }
}

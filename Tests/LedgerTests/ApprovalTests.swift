import Foundation
import RubricEngine
import Testing
import ZwgkFormats

@testable import Ledger

/// Approvals (审定): append-only, refusing late records at commit, and the chains they pin.
@Suite(.timeLimit(.minutes(10))) struct LedgerApprovals {
    func finding(_ id: String, year: Int = 2023) -> Record {
        .finding(Finding(id: id, year: year, date: Day("\(year)-05-01")!, unit: "市财政局", indicator: "财政预决算", count: 1, method: "网上检查"))
    }

    func accept(_ ledger: Ledger, _ name: String, _ records: [Record]) throws {
        try ledger.commit([.init(receipt: receipt(name), outcome: .accepted, newRecords: records)])
    }

    @Test func anApprovedYearRefusesNewRecordsUntilRevoked() throws {
        let dir = TempFolder()
        let ledger = try Ledger(path: dir.path + "/ledger.sqlite")
        try accept(ledger, "a.json", [finding("f1"), finding("g1", year: 2024), finding("f2")])
        let approval = try ledger.record(.approve, year: 2023, period: "2023-annual", by: "张三", note: "常务会议", at: "2024-01-20T02:00:00.000Z")
        #expect(approval.records == 2 && approval.lastSeq == 3)
        #expect(try ledger.approval(year: 2023) == approval)
        #expect(try ledger.approval(year: 2024) == nil)

        // The whole commit is refused, the other year's file with it; nothing is written.
        let error = try #require(throws: LedgerError.self) {
            try ledger.commit([
                .init(receipt: receipt("b.json"), outcome: .accepted, newRecords: [finding("g2", year: 2024)]),
                .init(receipt: receipt("c.json"), outcome: .accepted, newRecords: [finding("f3")]),
            ])
        }
        #expect(error.refusal == .yearApproved(approval))
        #expect(error.code == .constraint && !error.isTransient)
        #expect(try ledger.entries(year: 2023).map(\.record.id) == ["f1", "f2"])
        #expect(try ledger.entries(year: 2024).map(\.record.id) == ["g1"])
        #expect(try ledger.counts().accepted == 1)
        // Rejections and other years go in.
        try ledger.commit([.init(receipt: receipt("d.json"), outcome: .rejected, reason: "坏")])
        try accept(ledger, "e.json", [finding("g2", year: 2024)])

        let twice = try #require(throws: LedgerError.self) {
            try ledger.record(.approve, year: 2023, period: "2023-annual", by: "李四", note: nil, at: "2024-01-21T00:00:00.000Z")
        }
        #expect(twice.refusal == .alreadyApproved(approval))

        let revoked = try ledger.record(.revoke, year: 2023, period: "2023-annual", by: "张三", note: "单位异议成立", at: "2024-01-22T00:00:00.000Z")
        #expect(revoked.action == .revoke && revoked.records == 2)
        #expect(try ledger.approval(year: 2023) == nil)
        try accept(ledger, "f.json", [finding("f3")])
        #expect(try ledger.entries(year: 2023).map(\.record.id) == ["f1", "f2", "f3"])

        let open = try #require(throws: LedgerError.self) {
            try ledger.record(.revoke, year: 2023, period: "2023-annual", by: "张三", note: "再撤", at: "2024-01-23T00:00:00.000Z")
        }
        #expect(open.refusal == .notApproved(year: 2023))
        #expect(try ledger.approvals(year: 2023).map(\.action) == [.approve, .revoke])
        #expect(try ledger.approvals().count == 2)
        #expect(try ledger.checkChains().findings.isEmpty)
    }

    @Test func approvalsAreAppendOnly() throws {
        let dir = TempFolder()
        let path = dir.path + "/ledger.sqlite"
        let ledger = try Ledger(path: path)
        try ledger.record(.approve, year: 2023, period: "2023-annual", by: "张三", note: nil, at: "2024-01-20T02:00:00.000Z")
        let db = try Connection(path: path)
        for sql in ["UPDATE approvals SET actor = '李四'", "DELETE FROM approvals"] {
            let error = try #require(throws: SQLiteError.self) { try db.execute(sql) }
            #expect(error.code == .constraint)
            #expect(error.message.contains("append-only"))
        }
        #expect(try ledger.approvals().map(\.by) == ["张三"])
    }

    /// Each year has its own chain; an approval notes the year's head, last seq and count.
    @Test func commitsLinkEachYearsChain() throws {
        let dir = TempFolder()
        let ledger = try Ledger(path: dir.path + "/ledger.sqlite")
        try accept(ledger, "a.json", [finding("f1"), finding("g1", year: 2024)])
        try accept(ledger, "b.json", [finding("f2")])
        var rows: [CheckedRow] = []
        let check = try ledger.checkChains { rows.append($0) }
        #expect(check.findings.isEmpty)
        // Each link covers the record's drop file (name and hash, as the journal holds them) and place in it.
        let a = Chain.Origin(file: "a.json", fileSHA256: receipt("a.json").sha256), b = Chain.Origin(file: "b.json", fileSHA256: receipt("b.json").sha256)
        let f1 = Chain.link(previous: "", seq: 1, year: 2023, id: "f1", sha256: ContentHash.hex(finding("f1").canonicalText), origin: a)
        let f2 = Chain.link(previous: f1, seq: 3, year: 2023, id: "f2", sha256: ContentHash.hex(finding("f2").canonicalText), origin: b)
        #expect(rows.map(\.chain) == [f1, Chain.link(previous: "", seq: 2, year: 2024, id: "g1", sha256: rows[1].sha256, origin: a), f2])
        let approval = try ledger.record(.approve, year: 2023, period: "2023-annual", by: "张三", note: nil, at: "2024-01-20T02:00:00.000Z")
        #expect(approval.chainHead == f2 && approval.lastSeq == 3 && approval.records == 2)
        #expect(try ledger.chainLink(seq: 3) == f2)
    }

    /// Rows changed behind the ledger's back (triggers dropped) are found, each named by seq.
    @Test(arguments: ["body", "body+sha256", "delete", "delete last", "insert"])
    func tamperingIsFound(_ how: String) throws {
        let dir = TempFolder()
        let path = dir.path + "/ledger.sqlite"
        let ledger = try Ledger(path: path)
        try accept(ledger, "a.json", [finding("f1"), finding("f2"), finding("f3")])
        try ledger.record(.approve, year: 2023, period: "2023-annual", by: "张三", note: nil, at: "2024-01-20T02:00:00.000Z")
        let db = try Connection(path: path)
        try db.execute("DROP TRIGGER records_append_only_update; DROP TRIGGER records_append_only_delete")
        let edited = finding("f2").canonicalText.replacing("网上检查", with: "实地检查")
        switch how {
        case "body": try db.execute("UPDATE records SET body = '\(edited)' WHERE seq = 2")
        case "body+sha256": try db.execute("UPDATE records SET body = '\(edited)', sha256 = '\(ContentHash.hex(edited))' WHERE seq = 2")
        case "delete": try db.execute("DELETE FROM records WHERE seq = 2")
        case "delete last": try db.execute("DELETE FROM records WHERE seq = 3")
        default:
            let body = finding("f9").canonicalText
            try db.execute(
                "INSERT INTO records(year, id, type, date, body, sha256, file_id) VALUES (2023, 'f9', 'finding', '2023-05-01', '\(body)', '\(ContentHash.hex(body))', 1)"
            )
        }
        let findings = try ledger.checkChains().findings
        let text = findings.map(\.description).joined(separator: "\n")
        #expect(!findings.isEmpty)
        switch how {
        case "body", "body+sha256": #expect(findings.first?.seq == 2 && text.contains("f2"), "\(text)")
        case "delete": #expect(text.contains("seq 2 的记录不存在") && findings.contains { $0.seq == 3 }, "\(text)")
        case "delete last": #expect(text.contains("seq 3") && findings.contains { $0.approvalID != nil }, "\(text)")
        default: #expect(findings.first?.seq == 4 && text.contains("f9"), "\(text)")
        }
        if how == "body+sha256" {
            // The chain breaks there, and the approval's count still holds: the edit is the only finding's subject.
            #expect(findings.allSatisfy { $0.seq == 2 })
        }
    }
}

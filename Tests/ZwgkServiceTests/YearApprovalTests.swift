import Foundation
import InMemoryLogging
import Ledger
import Logging
import RubricEngine
import Testing
import ZwgkFormats
import ZwgkTestSupport

@testable import ZwgkService

/// `YearApproval` in process, on an injected clock: what approve, approve again, restore and revoke record,
/// write and log (the binary's messages are `Approvals`' concern).
@Suite(.timeLimit(.minutes(10))) struct YearApprovalInProcess {
    let box: Sandbox
    let ledger: Ledger
    let rules: Rules
    let log = InMemoryLogHandler()
    let clock = ManualClock(now: Date(timeIntervalSince1970: 1_705_716_000))  // 2024-01-20 02:00 UTC

    init() throws {
        box = try Sandbox()
        try FileManager.default.createDirectory(atPath: box.state, withIntermediateDirectories: true)
        rules = try Rules.load(box.config)
        ledger = try Ledger(path: box.state + "/ledger.sqlite")
        try box.drop("a.json", finding("f1"))
        let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        _ = try Ingest(spool: Spool(root: box.spool), ledger: ledger, rules: rules, logger: quiet).run(["a.json"], checkWriters: false)
    }

    var approval: YearApproval {
        YearApproval(config: box.config, rules: rules, ledger: ledger, logger: Logger(label: "test") { _ in log }, clock: clock)
    }

    let annual = Period(year: 2023, span: .annual)

    func refusal(_ body: () throws(ServiceError) -> YearApproval.Outcome) -> ServiceError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error
        }
    }

    @Test func approveRecordsWritesPinsAndLogsAtTheClocksTime() throws {
        guard case .approved(let entry) = try approval.approve(annual, by: "张三", note: "常务会议") else {
            Issue.record("not approved")
            return
        }
        #expect(entry.at == "2024-01-20T02:00:00.000Z" && entry.records == 1 && entry.by == "张三")
        let writer = SnapshotWriter(root: box.reports)
        #expect(writer.status(annual) == "审定")
        #expect(try ledger.approvedSnapshots(year: 2023).map(\.manifestSHA256) == [writer.manifestHash(annual)])
        let logged = log.entries.filter { $0.metadata["message_id"] == .string(Event.yearApproved.rawValue) }
        #expect(logged.count == 1 && logged.first?.metadata["by"] == "张三", "\(log.entries)")

        // Twice: refused as the approval state's, nothing recorded.
        #expect(refusal { () throws(ServiceError) in try approval.approve(annual, by: "李四", note: nil) }?.code == .approval)
        #expect(try ledger.approvals(year: 2023).count == 1)
    }

    @Test func aMissingApprovedSnapshotIsRestoredAndPinnedAgain() throws {
        _ = try approval.approve(annual, by: "张三", note: nil)
        try FileManager.default.removeItem(atPath: approval.folder(annual))
        clock.advance(by: .seconds(3600))
        guard case .restored(let standing) = try approval.approve(annual, by: "李四", note: nil) else {
            Issue.record("not restored")
            return
        }
        #expect(standing.by == "张三")
        #expect(try ledger.approvals(year: 2023).count == 1)
        let pins = try ledger.approvedSnapshots(year: 2023)
        #expect(pins.count == 2 && pins.last?.manifestSHA256 == SnapshotWriter(root: box.reports).manifestHash(annual))
    }

    @Test func revokeReopensAndCannotBeRepeated() throws {
        #expect(refusal { () throws(ServiceError) in try approval.revoke(annual, by: "李四", note: "异议成立") }?.code == .approval)
        _ = try approval.approve(annual, by: "张三", note: nil)
        guard case .revoked(let entry) = try approval.revoke(annual, by: "李四", note: "异议成立") else {
            Issue.record("not revoked")
            return
        }
        #expect(entry.action == .revoke && entry.note == "异议成立")
        #expect(SnapshotWriter(root: box.reports).status(annual) == "初评")
        #expect(try ledger.approval(year: 2023) == nil)
        #expect(log.entries.contains { $0.metadata["message_id"] == .string(Event.approvalRevoked.rawValue) })
    }
}

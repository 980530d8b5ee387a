import DropFile
import Foundation
public import Ledger
public import Logging
import RubricEngine
import ZwgkFormats

#if canImport(Glibc)
import Glibc
#endif

/// What one ingest pass did.
public struct IngestSummary: Sendable, Equatable {
    public var accepted = 0
    public var duplicates = 0
    public var rejected = 0
    public var recovered = 0
    public var records = 0
    /// New records that can change the 整改台账: deducting findings, notices, retractions, rectification reports
    /// and re-checks (a recovered file's are counted as all of its records).
    public var rectificationRecords = 0
    /// Files left in `incoming/` for now because a writer still has them open.
    public var deferred = 0
    /// Files set aside undecided (counted among `rejected`) because the daemon died twice deciding them.
    public var quarantined = 0
    /// Files decided but left in `incoming/` because they could not be moved (each logged once; tried again
    /// at the next pass).
    public var unplaced = 0
    public var files: Int { accepted + duplicates + rejected }
}

/// Takes drop files from `incoming/` into the ledger, in batches: each batch of decisions is committed
/// in one transaction, then the files are moved. A file decided but not yet moved when the process
/// stopped is recognised by name and hash, and its move is finished without deciding it again.
public final class Ingest {
    let spool: Spool
    let ledger: Ledger
    var rules: Rules
    let logger: Logger
    let clock: any ServiceClock
    /// Files per transaction.
    var batchSize = 256
    /// Called after each batch with the files done so far in this run.
    var progress: (Int) -> Void = { _ in }
    /// Called once a batch is decided, just before its commit (tests change the ledger there).
    var beforeCommit: () -> Void = {}
    /// Fed at each file; a stop asked for ends the pass before the next file is decided (its batch not committed).
    var work = WorkProgress()
    /// Which file is being decided, so that one the daemon dies on twice is set aside (the daemon's; none for tests).
    var notes: CrashNotes?
    /// Names whose move failed, already logged (a file that cannot be moved is reported once, not at every pass).
    private var unplacedReported: Set<String> = []

    public init(spool: Spool, ledger: Ledger, rules: Rules, logger: Logger, clock: any ServiceClock = SystemClock()) {
        self.spool = spool
        self.ledger = ledger
        self.rules = rules
        self.logger = logger
        self.clock = clock
    }

    /// Processes `names` from `incoming/` in the given order. With `checkWriters`, a file some process
    /// still has open for writing is left for later (names found by a scan; a close-after-write event
    /// already says the writer is done).
    public func run(_ names: [String], checkWriters: Bool = true) throws -> IngestSummary {
        var summary = IngestSummary()
        var start = 0
        while start < names.count {
            let batch = Array(names[start..<min(start + batchSize, names.count)])
            try process(batch, checkWriters: checkWriters, into: &summary)
            start += batch.count
            progress(start)
        }
        return summary
    }

    /// A file decided before a crash, whose move is finished now without deciding it again.
    private func recovered(_ earlier: FileEntry, name: String, into summary: inout IngestSummary) -> Pending {
        summary.recovered += 1
        summary.records += earlier.newRecords
        summary.rectificationRecords += earlier.newRecords
        let decision = Ledger.Decision(
            receipt: earlier.receipt, outcome: earlier.outcome,
            duplicateRecords: earlier.duplicateRecords, reason: earlier.reason)
        return Pending(name: name, decision: decision, journalID: earlier.id, recordCount: earlier.newRecords)
    }

    /// Journal rows left without a destination by a crash whose file is no longer in `incoming/` were moved
    /// before the crash: note that, so a later file of the same name and content is decided afresh.
    public func settleUnfinished() throws {
        let moved = try ledger.allUnfinished().filter { entry in
            if case .missing = FS.kind(spool.incoming + "/" + entry.receipt.name) { return true }
            return false
        }
        if !moved.isEmpty { try ledger.markStored(moved.map { ($0.id, "") }) }
    }

    /// Moves a decided file to `accepted/` or `rejected/` (with its `.why.txt`), counts and logs it; returns its
    /// name there.
    private func place(_ p: Pending, into summary: inout IngestSummary) throws(FS.Failure) -> String {
        let d = p.decision
        if d.outcome == .rejected {
            let target = try spool.move(
                p.name, to: spool.rejected,
                why: Rejection.whyText(
                    name: p.name, receivedAt: d.receipt.receivedAt, reason: d.reason ?? "",
                    quarantined: p.quarantined))
            summary.rejected += 1
            if p.quarantined {
                summary.quarantined += 1
                logger.error(
                    "隔离 \(p.name):服务在读取此文件时两次意外停止,已移入 rejected/,请发给系统管理员",
                    metadata: Event.fileQuarantined.metadata([
                        "file": "\(p.name)", "stored_as": "\(target)",
                        "sha256": "\(d.receipt.sha256)",
                    ]))
            } else {
                logger.warning(
                    "拒收 \(p.name):\(Rejection.firstProblem(d.reason))",
                    metadata: Event.fileRejected.metadata(["file": "\(p.name)", "stored_as": "\(target)", "reason": "\(d.reason ?? "")"]))
            }
            return target
        }
        let target = try spool.move(p.name, to: spool.accepted)
        if d.outcome == .accepted { summary.accepted += 1 } else { summary.duplicates += 1 }
        summary.records += d.newRecords.count
        summary.rectificationRecords += d.newRecords.filter(rules.bearsOnRectification).count
        let event: Event = d.outcome == .accepted ? .fileAccepted : .fileDuplicate
        logger.info(
            "\(d.outcome == .accepted ? "接收" : "重复(未改变得分)") \(p.name):新记录 \(p.recordCount ?? d.newRecords.count) 条",
            metadata: event.metadata([
                "file": "\(p.name)", "stored_as": "\(target)", "records": "\(d.newRecords.count)",
                "duplicates": "\(d.duplicateRecords)",
                "record_ids": "\(d.newRecords.prefix(20).map(\.id).joined(separator: ","))",
            ]))
        return target
    }

    private struct Pending {
        var name: String
        var decision: Ledger.Decision
        /// Set when the ledger already holds the decision (recovery after a crash).
        var journalID: Int64?
        /// Records the file added (known from the journal when recovered).
        var recordCount: Int?
        /// Set aside, undecided, after the daemon died twice deciding it.
        var quarantined = false
    }

    private func process(_ names: [String], checkWriters: Bool, into summary: inout IngestSummary, redecided: Bool = false) throws {
        let before = summary
        var pending: [Pending] = []
        var overlay = Overlay()
        for name in names {
            try work.step()
            // `ZWGK_FAULT=stuck`: the loop hangs on its first file, so that a watchdog must fire.
            if Fault.point == "stuck" { while true { sleep(60) } }
            let path = spool.incoming + "/" + name
            let receivedAt = Timestamp.iso(clock.now)
            let kind = FS.kind(path)
            if case .regular = kind, checkWriters && FS.stillBeingWritten(path, now: clock.now) {
                summary.deferred += 1
                continue
            }
            let input = DropInput.read(path, kind: kind)
            if case .missing = input { continue }
            let receipt = FileReceipt(name: name, sha256: input.sha256, size: input.size, receivedAt: receivedAt)
            if let earlier = try ledger.unfinished(name: name, sha256: receipt.sha256) {
                // The same file, still here since it was decided: finish its move. A file of that name and
                // content that arrived after the decision is a new drop and is decided afresh.
                if let decided = Timestamp.parse(earlier.receipt.receivedAt),
                    Double(FS.changeTime(path)) / 1e9 <= decided.timeIntervalSince1970 + 0.001
                {
                    pending.append(recovered(earlier, name: name, into: &summary))
                    continue
                }
                try ledger.markStored([(earlier.id, "")])
            }
            let subject = CrashNotes.Subject.file(name: name, sha256: receipt.sha256)
            if let notes, notes.isSetAside(subject) {
                pending.append(
                    Pending(
                        name: name, decision: .init(receipt: receipt, outcome: .rejected, reason: Rejection.quarantined),
                        quarantined: true))
                continue
            }
            // A ledger that cannot be read must not produce a verdict ("no such record"): the pass fails and is retried.
            let lookups = LookupErrors()
            notes?.begin(subject)
            Fault.crash(at: "deciding:" + name)
            let verdict = input.verdict(format: DropInput.format(of: name), context: rules.context(ledger: ledger, errors: lookups, pending: overlay))
            notes?.end()
            try notes?.done(subject)
            if let error = lookups.first { throw error }
            switch verdict {
            case .success(let valid):
                overlay.add(valid.new)
                let outcome: FileOutcome = valid.new.isEmpty ? .duplicate : .accepted
                pending.append(
                    Pending(
                        name: name,
                        decision: .init(
                            receipt: receipt, outcome: outcome, newRecords: valid.new,
                            sources: valid.sources, duplicateRecords: valid.duplicates.count)))
            case .failure(let reason):
                pending.append(Pending(name: name, decision: .init(receipt: receipt, outcome: .rejected, reason: reason.text)))
            }
        }
        guard !pending.isEmpty else { return }
        Fault.crash(at: "after-read")

        let fresh = pending.indices.filter { pending[$0].journalID == nil }
        beforeCommit()
        let decisions = fresh.map { pending[$0].decision }
        let committed = Result { () throws(LedgerError) in try ledger.commit(decisions) { work.tick() } }
        if case .failure(let error) = committed, case .yearApproved(let approval)? = error.refusal, !redecided {
            // A year approved (审定) since the batch was validated: decide the batch again, now seeing the
            // approval, so its records of that year are rejected with the approval named (once: an approval
            // again in between fails the pass, to be retried).
            logger.notice("本批文件检查后\(approval.year)年度已审定,重新检查本批文件")
            summary = before
            return try process(names, checkWriters: checkWriters, into: &summary, redecided: true)
        }
        let ids = try committed.get()
        for (i, id) in zip(fresh, ids) { pending[i].journalID = id }
        Fault.crash(at: "after-commit")

        var stored: [(Int64, String)] = []
        for p in pending {
            switch Result(catching: { () throws(FS.Failure) in try place(p, into: &summary) }) {
            case .success(let target):
                stored.append((p.journalID!, target))
            case .failure(let error) where !error.isDiskFull:
                // One file that cannot be moved (say, a sticky folder and another user's file) must not stop the
                // files beside it: it stays decided in the journal and is moved at a later pass.
                summary.unplaced += 1
                if unplacedReported.insert(p.name).inserted {
                    logger.error(
                        "无法移走 \(p.name)(已判定,文件仍留在 incoming/):\(error)。请检查该文件和目录的权限",
                        metadata: Event.fileUnplaced.metadata(["file": "\(p.name)"]))
                }
            case .failure(let error):
                throw error
            }
            Fault.crash(at: "after-move")
        }
        for folder in [spool.incoming, spool.accepted, spool.rejected] { try FS.syncDirectory(folder) }
        try ledger.markStored(stored)
    }
}

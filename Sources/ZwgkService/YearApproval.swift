public import Ledger
public import Logging
public import RubricEngine

/// 审定 and its revocation, as one service operation: the decision is recorded in the ledger's approval
/// journal, the annual snapshot is written again marked 审定 or 初评, an approved one is pinned by its
/// manifest's hash, and the event is logged (with its MESSAGE_ID) for the journal. Time comes from `clock`.
public struct YearApproval {
    let config: Config
    let rules: Rules
    let ledger: Ledger
    let logger: Logger
    let clock: any ServiceClock

    public init(config: Config, rules: Rules, ledger: Ledger, logger: Logger, clock: any ServiceClock = SystemClock()) {
        self.config = config
        self.rules = rules
        self.ledger = ledger
        self.logger = logger
        self.clock = clock
    }

    /// What was done.
    public enum Outcome: Sendable {
        /// The year is approved now and its snapshot rewritten and pinned.
        case approved(Approval)
        /// The approval is revoked and the snapshot rewritten marked 初评.
        case revoked(Approval)
        /// The year was approved before, but its snapshot was missing or not the pinned one: it was written
        /// again from the approved results and pinned.
        case restored(Approval)
    }

    /// The snapshot folder the operation writes.
    public func folder(_ period: Period) -> String { SnapshotWriter(root: config.reports).folder(period) }

    /// Approves (审定) the annual results of `period`'s year; run again on an approved year, it only restores
    /// a missing or unpinned snapshot.
    public func approve(_ period: Period, by: String, note: String?) throws(ServiceError) -> Outcome {
        let entry: Approval
        do {
            entry = try ledger.record(.approve, year: period.year, period: period.name, by: by, note: note, at: Timestamp.iso(clock.now))
        } catch {
            if case .alreadyApproved(let standing)? = error.refusal {
                if try isPinned(standing) { throw refusal(error.refusal!, period: period) }
                try rewrite(period, pinning: standing, failure: "\(period.year)年度已审定,但按审定结果重写全年快照失败")
                return .restored(standing)
            }
            throw ledgerFailure(error, period: period)
        }
        logger.notice("\(by) 审定了\(period.year)年度考核结果", metadata: Event.yearApproved.metadata(metadata(entry)))
        try rewrite(
            period, pinning: entry,
            failure: "审定已记录,但重写全年快照失败;请排除问题后再次运行同一条 zwgk approve 命令(它会只重写快照)")
        return .approved(entry)
    }

    /// Revokes the standing approval of `period`'s year: the year reopens and the snapshot is marked 初评 again.
    public func revoke(_ period: Period, by: String, note: String) throws(ServiceError) -> Outcome {
        let entry: Approval
        do {
            entry = try ledger.record(.revoke, year: period.year, period: period.name, by: by, note: note, at: Timestamp.iso(clock.now))
        } catch {
            throw ledgerFailure(error, period: period)
        }
        logger.notice("\(by) 撤销了\(period.year)年度的审定:\(note)", metadata: Event.approvalRevoked.metadata(metadata(entry)))
        try rewrite(
            period, pinning: nil,
            failure: "撤销已记录,但重写全年快照失败;请排除问题后运行 zwgk snapshot --force --period \(period)")
        return .revoked(entry)
    }

    private func metadata(_ entry: Approval) -> Logger.Metadata {
        [
            "year": "\(entry.year)", "period": "\(entry.period)", "by": "\(entry.by)", "note": "\(entry.note ?? "")",
            "records": "\(entry.records)", "last_seq": "\(entry.lastSeq)", "chain_head": "\(entry.chainHead)",
        ]
    }

    /// Writes the annual snapshot again and, for an approval, pins it in the ledger by its manifest's hash.
    private func rewrite(_ period: Period, pinning approval: Approval?, failure: String) throws(ServiceError) {
        let writer = SnapshotWriter(root: config.reports)
        let now = clock.now
        do {
            _ = try writer.write(period, rules: rules, ledger: ledger, force: true, now: now, approving: true)
            guard let approval else { return }
            guard let hash = writer.manifestHash(period) else {
                throw ServiceError(.snapshot, "刚写出的全年快照 \(writer.folder(period)) 没有清单")
            }
            _ = try ledger.pinApprovedSnapshot(year: period.year, approvalID: approval.id, manifestSHA256: hash, at: Timestamp.iso(now))
        } catch {
            throw ServiceError(.snapshot, "\(failure):\(error)")
        }
    }

    /// Whether the standing approval's snapshot is in place, marked 审定 and pinned as it is.
    private func isPinned(_ standing: Approval) throws(ServiceError) -> Bool {
        let writer = SnapshotWriter(root: config.reports)
        let period = Period(year: standing.year, span: .annual)
        let pins: [ApprovedSnapshot]
        do { pins = try ledger.approvedSnapshots(year: standing.year) } catch { throw ServiceError(.ledger, "\(error)") }
        let pin = pins.last { $0.approvalID == standing.id }
        return writer.status(period) == "审定" && pin != nil && pin?.manifestSHA256 == writer.manifestHash(period)
    }

    private func ledgerFailure(_ error: LedgerError, period: Period) -> ServiceError {
        error.refusal.map { refusal($0, period: period) } ?? ServiceError(.ledger, "\(error)")
    }

    private func refusal(_ refusal: ApprovalRefusal, period: Period) -> ServiceError {
        switch refusal {
        case .alreadyApproved(let a):
            return ServiceError(
                .approval,
                "\(a.year)年度已于\(ApprovalWords.localTime(a.at, timeZone: config.timeZone)) 审定(审定人 \(a.by)),不能重复审定;"
                    + "如需重新审定,请先撤销(zwgk approve --revoke --period \(period) --by 姓名 --note 原因)")
        case .notApproved(let year):
            return ServiceError(.approval, "\(year)年度尚未审定,无可撤销")
        default:
            return ServiceError(.approval, "\(refusal)")
        }
    }
}

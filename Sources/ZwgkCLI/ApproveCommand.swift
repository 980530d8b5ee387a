import ArgumentParser
import Foundation
import Ledger
import Logging
import RubricEngine
import Systemd
import ZwgkService

/// `zwgk approve`: records that a year's results are approved (审定) or that the approval is revoked, and
/// writes the annual snapshot again, marked accordingly.
struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "审定某年度考核结果(此后该年度的记录一律拒收),或用 --revoke 撤销审定;并重写全年快照。")

    @OptionGroup var paths: PathOptions
    @Option(help: "期间:只能是全年,如 2023-annual。")
    var period: String
    @Option(help: "审定人(或撤销的经办人)姓名。")
    var by: String
    @Option(help: "说明;撤销审定时必填(写明原因)。")
    var note: String?
    @Flag(help: "撤销审定,重新开放该年度。")
    var revoke = false

    func run() throws {
        let period = try parsePeriod(period)
        guard period.span == .annual else {
            throw fail("只能审定全年结果:请写 --period \(period.year)-annual(季度快照不审定)")
        }
        let by = by.trimmingCharacters(in: .whitespaces)
        guard !by.isEmpty else { throw fail("--by 不能为空:请写审定人(或经办人)姓名") }
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if revoke && note == nil { throw fail("撤销审定必须用 --note 写明原因") }
        let (config, rules) = try paths.load()
        _ = try rubric(period.year, in: rules)
        try becomeServiceUser(of: config.state, command: "approve")
        try becomeServiceUser(of: config.reports, command: "approve")
        guard try service({ try LedgerAccess.open(config, readOnly: true) }) != nil else {
            throw fail("状态目录 \(config.state) 中没有账本(ledger.sqlite),没有可审定的结果;请检查 --state 或配置文件")
        }
        // Read-write beside a running daemon: SQLite serialises the two writers (WAL), as for `snapshot`.
        guard let ledger = try service({ try LedgerAccess.open(config, readOnly: false) }) else { return }
        let writer = SnapshotWriter(root: config.reports)
        let now = Date()
        let entry: Approval
        do {
            entry = try ledger.record(revoke ? .revoke : .approve, year: period.year, period: period.name, by: by, note: note,
                                      at: Timestamp.iso(now))
        } catch {
            // Approved already, but the snapshot was not rewritten and pinned then (that failed, or the snapshot is gone
            // since): do that now.
            if case .alreadyApproved(let standing)? = error.refusal, !revoke, try !pinned(standing, writer: writer, ledger: ledger) {
                try service { try rewrite(period, writer: writer, rules: rules, ledger: ledger, now: now, pinning: standing) }
                print("\(period.year)年度已审定,全年快照此前未按审定结果写出并登记,现已重写:\(writer.folder(period))")
                return
            }
            switch error.refusal {
            case .alreadyApproved(let a)?:
                throw fail("\(a.year)年度已于\(ApprovalWords.localTime(a.at, timeZone: config.timeZone)) 审定(审定人 \(a.by)),不能重复审定;"
                    + "如需重新审定,请先撤销(zwgk approve --revoke --period \(period) --by 姓名 --note 原因)")
            case .notApproved(let year)?:
                throw fail("\(year)年度尚未审定,无可撤销")
            default:
                throw fail("\(error)")
            }
        }
        let when = ApprovalWords.localTime(entry.at, timeZone: config.timeZone)
        LogTarget.bootstrap(identifier: "zwgk", journal: LogTarget.journalRunning())
        let logger = Logger(label: "zwgk")
        let metadata: Logger.Metadata = ["year": "\(period.year)", "period": "\(period)", "by": "\(by)", "note": "\(note ?? "")",
                                         "records": "\(entry.records)", "last_seq": "\(entry.lastSeq)", "chain_head": "\(entry.chainHead)"]
        if revoke {
            logger.notice("\(by) 撤销了\(period.year)年度的审定:\(note ?? "")", metadata: Event.approvalRevoked.metadata(metadata))
            print("已撤销\(period.year)年度的审定(经办人 \(by),\(when);原因:\(note ?? ""))。")
            print("\(period.year)年度重新开放,接收该年度的记录。")
        } else {
            logger.notice("\(by) 审定了\(period.year)年度考核结果", metadata: Event.yearApproved.metadata(metadata))
            print("已审定\(period.year)年度考核结果(审定人 \(by),\(when)\(note.map { ";说明:\($0)" } ?? ""))。")
            print("审定时账本中该年度有记录 \(entry.records) 条(最后一条 seq \(entry.lastSeq)),链头 \(entry.chainHead.isEmpty ? "无" : entry.chainHead)。")
            print("此后该年度的投递记录一律拒收;如确需更正,请先撤销审定(zwgk approve --revoke --period \(period) --by 姓名 --note 原因)。")
        }
        do {
            try rewrite(period, writer: writer, rules: rules, ledger: ledger, now: now, pinning: revoke ? nil : entry)
        } catch {
            throw fail((revoke ? "撤销已记录" : "审定已记录") + ",但重写全年快照失败:\(error)。请排除问题后"
                + (revoke ? "运行 zwgk snapshot --force --period \(period)" : "再次运行同一条 zwgk approve 命令(它会只重写快照)"))
        }
        print("全年快照已重写,标注“\(revoke ? "初评" : "审定")”:\(writer.folder(period))")
    }

    /// Writes the annual snapshot again and, for an approval, pins it in the ledger by its manifest's hash.
    private func rewrite(_ period: Period, writer: SnapshotWriter, rules: Rules, ledger: Ledger, now: Date, pinning approval: Approval?) throws {
        _ = try writer.write(period, rules: rules, ledger: ledger, force: true, now: now, approving: true)
        guard let approval else { return }
        guard let hash = writer.manifestHash(period) else { throw ServiceError(.snapshot, "刚写出的全年快照 \(writer.folder(period)) 没有清单") }
        try ledger.pinApprovedSnapshot(year: period.year, approvalID: approval.id, manifestSHA256: hash, at: Timestamp.iso(now))
    }

    /// Whether the standing approval's snapshot is in place, marked 审定 and pinned as it is.
    private func pinned(_ standing: Approval, writer: SnapshotWriter, ledger: Ledger) throws -> Bool {
        let period = Period(year: standing.year, span: .annual)
        let pin = try service { try ledger.approvedSnapshots(year: standing.year) }.last { $0.approvalID == standing.id }
        return writer.status(period) == "审定" && pin != nil && pin?.manifestSHA256 == writer.manifestHash(period)
    }
}

private extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

import ArgumentParser
import Foundation
import Ledger
import Logging
import RubricEngine
import Systemd
import ZwgkService

/// `zwgk approve`: records that a year's results are approved (审定) or that the approval is revoked, and
/// writes the annual snapshot again, marked accordingly (`YearApproval` does the work).
struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "审定某年度考核结果(此后该年度的记录一律拒收),或用 --revoke 撤销审定;并重写全年快照。")

    @OptionGroup var paths: PathOptions
    @Option(help: "期间:只能是全年,如 2023-annual。")
    var period: String
    @Option(help: "审定人(或撤销的经办人)姓名;只检查(--check)时不需要。")
    var by: String?
    @Option(help: "说明;撤销审定时必填(写明原因)。")
    var note: String?
    @Flag(help: "撤销审定,重新开放该年度。")
    var revoke = false
    @Flag(help: "只列出该年度尚未完成的事项(未评指标、待复查、逾期未整改),不审定;有未完成事项时退出码为1。")
    var check = false
    @Flag(help: "有未完成事项时仍按现状审定(未评指标按0分计)。")
    var yes = false

    func run() throws {
        let period = try parsePeriod(period)
        guard period.span == .annual else {
            throw fail("只能审定全年结果:请写 --period \(period.year)-annual(季度快照不审定)")
        }
        let by = (by ?? "").trimmingCharacters(in: .whitespaces)
        guard check || !by.isEmpty else { throw fail("请用 --by 写明审定人(或经办人)姓名,如 --by 张三") }
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if revoke && note == nil { throw fail("撤销审定必须用 --note 写明原因") }
        let (config, rules) = try paths.load()
        _ = try rubric(period.year, in: rules)
        if check {
            guard let ledger = try service({ try LedgerAccess.open(config, readOnly: true) }) else { throw noLedger(config) }
            let open = try checklist(period, YearApproval(config: config, rules: rules, ledger: ledger, logger: Logger(label: "zwgk")))
            print(open.lines(year: period.year).joined(separator: "\n"))
            if !open.isEmpty { throw ExitCode(1) }
            return
        }
        try becomeServiceUser(of: config.state, command: "approve")
        try becomeServiceUser(of: config.reports, command: "approve")
        guard try service({ try LedgerAccess.open(config, readOnly: true) }) != nil else { throw noLedger(config) }
        // Read-write beside a running daemon: SQLite serialises the two writers (WAL), as for `snapshot`.
        guard let ledger = try service({ try LedgerAccess.open(config, readOnly: false) }) else { return }
        // (Before the logger is made: a Logger keeps the handler chosen when it was made.)
        LogTarget.bootstrap(identifier: "zwgk", journal: LogTarget.journalRunning())
        let approval = YearApproval(config: config, rules: rules, ledger: ledger, logger: Logger(label: "zwgk"))
        // Before approving a year still open: what is unfinished, and the operator's yes to approve it as it stands.
        if !revoke, try service({ try ledger.approval(year: period.year) }) == nil {
            let open = try checklist(period, approval)
            if !open.isEmpty {
                let lines = open.lines(year: period.year)
                guard yes else {
                    let text = lines + ["", "以上事项尚未完成。如确认按现状审定(未评指标按0分计),请加 --yes 重新运行。"]
                    FileHandle.standardError.write(Data((text.joined(separator: "\n") + "\n").utf8))
                    throw ExitCode(1)
                }
                print((["审定时以下事项尚未完成(已确认 --yes):"] + lines).joined(separator: "\n"))
            }
        }
        let outcome = try service { () throws(ServiceError) in
            if revoke { try approval.revoke(period, by: by, note: note ?? "") } else { try approval.approve(period, by: by, note: note) }
        }
        let folder = approval.folder(period)
        switch outcome {
        case .restored:
            print("\(period.year)年度已审定,全年快照此前未按审定结果写出并登记,现已重写:\(folder)")
        case .revoked(let entry):
            print("已撤销\(period.year)年度的审定(经办人 \(by),\(ApprovalWords.localTime(entry.at, timeZone: config.timeZone));原因:\(note ?? ""))。")
            print("\(period.year)年度重新开放,接收该年度的记录。")
            print("全年快照已重写,标注“初评”:\(folder)")
        case .approved(let entry):
            let when = ApprovalWords.localTime(entry.at, timeZone: config.timeZone)
            print("已审定\(period.year)年度考核结果(审定人 \(by),\(when)\(note.map { ";说明:\($0)" } ?? ""))。")
            print("审定时账本中该年度有记录 \(entry.records) 条。")
            print("此后该年度的投递记录一律拒收;如确需更正,请先撤销审定(zwgk approve --revoke --period \(period) --by 姓名 --note 原因)。")
            print("全年快照已重写,标注“审定”:\(folder)")
        }
    }
}

extension ApproveCommand {
    private func checklist(_ period: Period, _ approval: YearApproval) throws -> ApprovalChecklist {
        try service { () throws(ServiceError) in try approval.checklist(period, asOf: approval.today) }
    }

    private func noLedger(_ config: Config) -> ExitCode {
        fail("状态目录 \(config.state) 中没有账本(ledger.sqlite),没有可审定的结果;请检查 --state 或配置文件")
    }
}

private extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

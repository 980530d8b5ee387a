import ArgumentParser
import Foundation
import Ledger
import Logging
import RubricEngine
import Systemd
import ZwgkService

struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot", abstract: "立即生成某一期的快照(季度或全年),并输出其目录。")

    @OptionGroup var paths: PathOptions
    @Option(help: "期间:2023-Q1、2023-Q2、2023-Q3、2023-Q4 或 2023-annual。")
    var period: String
    @Flag(help: "该期快照已存在时仍然重写。")
    var force = false

    func run() throws {
        let period = try parsePeriod(period)
        let (config, rules) = try paths.load()
        try becomeServiceUser(of: config.reports, command: "snapshot")
        guard let ledger = try service({ try LedgerAccess.open(config, readOnly: true) }) else {
            throw fail("状态目录 \(config.state) 中没有账本(ledger.sqlite)。快照只能由已有的账本生成;请检查 --state 或配置文件")
        }
        let outcome = try service {
            try SnapshotWriter(root: config.reports).write(period, rules: rules, ledger: ledger, force: force, now: SystemClock().now)
        }
        // People read the printed lines; the journal gets the event when this runs under systemd.
        if LogTarget.useJournal() {
            LogTarget.bootstrap(identifier: "zwgk")
            if case .kept = outcome {
            } else {
                Logger(label: "zwgk").info("已生成 \(period) 快照", metadata: Event.snapshotWritten.metadata(["period": "\(period)"]))
            }
        }
        switch outcome {
        case .written(let folder):
            print(folder)
        case .replaced(let folder):
            FileHandle.standardError.write(Data("已按 --force 重写 \(period) 的快照。\n".utf8))
            print(folder)
        case .kept(let folder):
            let approved = period.span == .annual && ((try? ledger.approval(year: period.year)) ?? nil) != nil
            let advice = approved ? "(该年度结果已审定,快照不再重写)" : "(如需重写请加 --force)"
            FileHandle.standardError.write(Data("\(period) 的快照已存在,保持不变\(advice)。\n".utf8))
            print(folder)
        }
    }
}

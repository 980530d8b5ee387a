import ArgumentParser
import ZwgkService

/// `zwgk verify`: the tamper check (`Integrity`) from the command line.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "校验账本(记录哈希、哈希链、审定记录)和各期快照(清单与文件)是否被改动;发现问题时退出码为1。")

    @OptionGroup var paths: PathOptions
    @Option(help: "只校验这一年度(如 2023);默认全部。")
    var year: Int?

    func run() throws {
        let config = try service { try paths.resolve() }
        let ledger = try service { try LedgerAccess.open(config, readOnly: true) }
        let result = try service { try Integrity.check(ledger: ledger, reports: config.reports, year: year, timeZone: config.timeZone) }
        if result.ok && result.complete {
            print("校验通过:\(result.summary),未发现改动。")
            return
        }
        if !result.ok {
            print("校验发现 \(result.problems.count) 个问题(\(result.summary)):")
            for p in result.problems { say("  \(p)") }
            print("账本或报告在 zwgk 之外被改动过。请从备份核对并恢复;审定后的结果须经考核办确认。")
        }
        if !result.complete {
            // A read error is no evidence of tampering: said apart, so that nobody restores a backup over a bad disk.
            print("有 \(result.unreadable.count) 个文件无法读取,未能核对(读写错误或权限问题,不是被改动的证据):")
            for p in result.unreadable { say("  \(p)") }
            print("请检查磁盘(dmesg)和文件权限后重新运行 zwgk verify。")
        }
        throw ExitCode(1)
    }
}

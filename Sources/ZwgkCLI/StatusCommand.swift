import ArgumentParser
import Foundation
import ZwgkService

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "显示服务状态;异常时退出码非0。")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var paths: PathOptions
    @Option(help: "输出格式:text 或 json。")
    var format: Format = .text

    func run() throws {
        let report = StatusReport.gather(try service { try paths.resolve() }, now: SystemClock().now)
        say(format == .json ? report.json : report.text, terminator: "")
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}

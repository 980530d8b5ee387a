public import ArgumentParser
import Foundation
import RubricEngine
import ZwgkService

/// `zwgk`: the command line of interfaces.md. Only this layer prints and chooses exit codes: the service
/// throws `ServiceError`s, which `fail` turns into a `zwgk: …` line on stderr and exit status 1.
public enum ZwgkCommands {
    public static let configuration = CommandConfiguration(
        commandName: "zwgk",
        abstract: "政务公开工作考核计分服务(zwgk)。",
        subcommands: [DaemonCommand.self, ValidateCommand.self, SubmitCommand.self, ScoresCommand.self,
                      SnapshotCommand.self, ApproveCommand.self, VerifyCommand.self, ReportCommand.self, HistoryCommand.self, RectificationCommand.self, StatusCommand.self,
                      TemplateCommand.self])
}

/// Prints `message` to stderr as `zwgk: …` and gives the exit code to throw.
func fail(_ message: String, code: Int32 = 1) -> ExitCode {
    FileHandle.standardError.write(Data("zwgk: \(message)\n".utf8))
    return ExitCode(code)
}

/// Runs a service call, turning what it throws into a message and an exit code.
func service<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        throw fail("\(error)")
    }
}

/// `2023-Q1` … `2023-annual`, or a message saying what is accepted.
func parsePeriod(_ text: String) throws -> Period {
    guard let period = Period(text) else { throw fail("“\(text)”不是有效的期间;应为 2023-Q1 … 2023-Q4 或 2023-annual") }
    return period
}

/// The unit of that name, or a message with the nearest names.
func knownUnit(_ name: String, in rules: Rules) throws -> RubricEngine.Unit {
    guard let unit = rules.roster[name] else {
        let hint = rules.roster.suggestions(for: name)
        throw fail("单位“\(name)”不在单位名单中" + (hint.isEmpty ? "" : ",是否是:\(hint.joined(separator: "、"))"))
    }
    return unit
}

/// The rubric of `year`, or a message naming the years configured.
func rubric(_ year: Int, in rules: Rules) throws -> Rubric {
    guard let rubric = rules.rubrics[year] else {
        throw fail("没有\(year)年度的考核细则(已配置:\(rules.rubrics.keys.sorted().map(String.init).joined(separator: "、")))")
    }
    return rubric
}

public import ArgumentParser
import Foundation
import RubricEngine
import ZwgkFormats
import ZwgkService

/// `zwgk`: the command line the README documents (Commands). Only this layer prints and chooses exit codes: the service
/// throws `ServiceError`s, which `fail` turns into a `zwgk: …` line on stderr and exit status 1.
public enum ZwgkCommands {
    public static let configuration = CommandConfiguration(
        commandName: "zwgk",
        abstract: "政务公开工作考核计分服务(zwgk)。",
        subcommands: [
            DaemonCommand.self, ValidateCommand.self, SubmitCommand.self, ScoresCommand.self,
            SnapshotCommand.self, ApproveCommand.self, VerifyCommand.self, ReportCommand.self, HistoryCommand.self, RectificationCommand.self,
            StatusCommand.self,
            TemplateCommand.self,
        ])
}

/// Prints `message` to stderr as `zwgk: …` and gives the exit code to throw.
func fail(_ message: String, code: Int32 = 1) -> ExitCode {
    FileHandle.standardError.write(Data("zwgk: \(ControlText.escaped(message, keepingLineBreaks: true))\n".utf8))
    return ExitCode(code)
}

/// Prints `text` on stdout for a terminal: names and texts from files are in it, so control characters other
/// than line breaks and tabs are escaped (an `ESC[` sequence never reaches the terminal).
func say(_ text: String, terminator: String = "\n") {
    print(ControlText.escaped(text, keepingLineBreaks: true), terminator: terminator)
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

/// Makes a command that writes into `folder` (the state or reports folder) run as the user the service shares it
/// with. Run as root where the folder belongs to the service's user (a server: `/var/lib/zwgk` is `zwgk`'s), it
/// becomes that user, so that what it creates there (SQLite's `-wal`/`-shm` files, a year's folder) the service
/// can write too. Run as a user without write access, it says how to run instead.
func becomeServiceUser(of folder: String, command: String) throws {
    var st = stat()
    guard stat(folder, &st) == 0 else { return }  // not there yet: created by whoever runs first
    let account = getpwuid(st.st_uid)
    let owner = account.map { String(cString: $0.pointee.pw_name) } ?? String(st.st_uid)
    if geteuid() == 0 && st.st_uid != 0 {
        let gid = account?.pointee.pw_gid ?? st.st_gid
        guard initgroups(owner, gid) == 0, setgid(gid) == 0, setuid(st.st_uid) == 0 else {
            throw fail("无法切换为服务用户 \(owner)(\(folder) 属于该用户):\(String(cString: strerror(errno)))。请运行 sudo -u \(owner) zwgk \(command) …")
        }
        return
    }
    if access(folder, W_OK) != 0 {
        throw fail("没有写 \(folder) 的权限:请以服务用户运行,sudo -u \(owner) zwgk \(command) …")
    }
}

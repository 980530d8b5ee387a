import ArgumentParser
import ZwgkService

struct SubmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit", abstract: "检查文件,并把有效的文件安全地放入 incoming/(先写临时文件、同步、再改名)。")

    @OptionGroup var paths: PathOptions
    @Argument(help: "要提交的文件。")
    var files: [String]

    func run() throws {
        let config = try service { try paths.resolve() }
        let checker = try service { try DropChecker(config: config) }
        guard FS.list(config.spool + "/incoming") != nil else { throw fail("投递目录 \(config.spool)/incoming 不存在或无法读取") }
        var refused = false
        for file in files {
            do {
                switch try checker.submit(file) {
                case .placed(let path):
                    say("\(file):已提交为 \(path)")
                case .refused(let reason):
                    refused = true
                    say(reason.after("\(file):未提交,"))
                }
            } catch {
                refused = true
                say("\(file):提交失败,\(error)")
            }
        }
        if refused { throw ExitCode(1) }
    }
}

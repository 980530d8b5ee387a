import ArgumentParser
import DropFile
import ZwgkService

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "检查投递文件(不改动任何状态);全部有效时退出码为0。")

    @OptionGroup var paths: PathOptions
    @Argument(help: "要检查的文件。")
    var files: [String]

    func run() throws {
        let checker = try service { try DropChecker(config: try paths.resolve()) }
        var allValid = true
        for file in files {
            switch checker.check(DropInput.read(file), format: DropInput.format(of: file)) {
            case .success(let valid):
                say("\(file):有效,新记录 \(valid.new.count) 条" + (valid.duplicates.isEmpty ? "" : ",已入账的重复记录 \(valid.duplicates.count) 条"))
            case .failure(let reason):
                allValid = false
                say(reason.after("\(file):无效,"))
            }
        }
        if !allValid { throw ExitCode(1) }
    }
}

public import ArgumentParser
import Foundation

/// The words swift-argument-parser prints around zwgk's own (help headings, its messages for a missing or
/// unknown argument), in Chinese. The package has no localisation, so its fixed English phrases are
/// translated here, phrase by phrase; anything not listed passes through unchanged.
enum CommandLineWords {
    /// (pattern, template) pairs, applied in order. Patterns are the package's message formats (1.8.2).
    private static let phrases: [(NSRegularExpression, String)] = [
        (#"^OVERVIEW: "#, "说明:"),
        (#"^USAGE: "#, "用法:"),
        (#"^ARGUMENTS:$"#, "参数:"),
        (#"^OPTIONS:$"#, "选项:"),
        (#"^SUBCOMMANDS:$"#, "子命令:"),
        (#"Show help information\."#, "显示帮助信息。"),
        (#"See '([^']*) <subcommand>' for detailed help\."#, "运行 '$1 <子命令>' 查看各子命令的详细说明。"),
        (#"See '([^']*)' for more information\."#, "运行 '$1' 查看完整说明。"),
        (#"^Error: "#, "错误:"),
        (#"^Help:  "#, "说明:"),
        (#"^Usage: "#, "用法:"),
        (#"Missing expected argument '([^']*)'"#, "缺少必需的参数 '$1'"),
        (#"Missing one of: "#, "至少需要其中之一:"),
        (#"Missing value for '([^']*)'"#, "参数 '$1' 缺少取值"),
        (#"Unknown option '([^']*)'\. Did you mean '([^']*)'\?"#, "未知选项 '$1'。是否是 '$2'?"),
        (#"Unknown option '([^']*)'"#, "未知选项 '$1'"),
        (#"Invalid option: "#, "无效的选项:"),
        (#"Unexpected argument '([^']*)'"#, "多余的参数 '$1'"),
        (#"(\d+) unexpected arguments: "#, "$1 个多余的参数:"),
        (#"The option '([^']*)' does not take any value, but '([^']*)' was specified\."#, "选项 '$1' 不带取值,却给了 '$2'。"),
        (#"The value '([^']*)' is invalid for '([^']*)'"#, "取值 '$1' 对 '$2' 无效"),
        (#"Missing required subcommand\."#, "缺少子命令。"),
        (#"\(default: "#, "(默认:"),
        (#";(\s+)default: "#, ";$1默认:"),
        (#"\(values: "#, "(可选:"),
    ].map { (try! NSRegularExpression(pattern: $0.0, options: [.anchorsMatchLines]), $0.1) }

    /// `text` with the package's phrases in Chinese.
    static func translate(_ text: String) -> String {
        phrases.reduce(text) { text, phrase in
            phrase.0.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: phrase.1)
        }
    }

    /// Runs the command line of `Root` as `AsyncParsableCommand.main()` does, with help and argument errors in
    /// Chinese: help on stdout and exit 0; a usage error on stderr and exit 64; a command's `ExitCode` as is.
    static func main<Root: AsyncParsableCommand>(_ root: Root.Type) async -> Never {
        do {
            var command = try Root.parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
            exit(0)
        } catch {
            let code = Root.exitCode(for: error)
            let message = translate(Root.fullMessage(for: error))
            if !message.isEmpty {
                let handle = code == .success ? FileHandle.standardOutput : FileHandle.standardError
                handle.write(Data((message + "\n").utf8))
            }
            exit(code.rawValue)
        }
    }
}

extension ZwgkCommands {
    /// The `zwgk` executable's entry point (see `CommandLineWords.main`).
    public static func main<Root: AsyncParsableCommand>(_ root: Root.Type) async -> Never {
        await CommandLineWords.main(root)
    }
}

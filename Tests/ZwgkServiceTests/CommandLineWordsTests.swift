import Testing
import ZwgkTestSupport

/// Help and argument errors from the real binary are in Chinese, with the exit codes of a command-line tool.
@Suite(.timeLimit(.minutes(10))) struct CommandLineInChinese {
    @Test func helpIsChineseOnStdoutAndExitsZero() throws {
        let box = try Sandbox()
        let help = try box.zwgk(["approve", "--help"], paths: false)
        #expect(help.status == 0)
        #expect(help.out.contains("用法:zwgk approve") && help.out.contains("选项:") && help.out.contains("显示帮助信息。"), "\(help.out)")
        #expect(!help.out.contains("USAGE") && !help.out.contains("OPTIONS") && !help.out.contains("Show help"), "\(help.out)")
        let top = try box.zwgk(["--help"], paths: false)
        #expect(top.status == 0 && top.out.contains("子命令:") && top.out.contains("查看各子命令的详细说明"), "\(top.out)")
        let scores = try box.zwgk(["scores", "--help"], paths: false)
        #expect(scores.out.contains("(可选:table, json, csv;") && scores.out.contains("默认:table)"), "\(scores.out)")
    }

    @Test func argumentErrorsAreChineseOnStderrWithUsageExitCode() throws {
        let box = try Sandbox()
        let missing = try box.zwgk(["approve", "--by", "张三"])
        #expect(missing.status == 64)
        #expect(missing.err.contains("错误:缺少必需的参数 '--period <period>'") && missing.err.contains("用法:zwgk approve"), "\(missing.err)")
        #expect(!missing.err.contains("Error") && !missing.err.contains("Missing"), "\(missing.err)")
        let unknown = try box.zwgk(["scores", "--year", "2023", "--yaer", "2023"])
        #expect(unknown.status == 64 && unknown.err.contains("未知选项 '--yaer'"), "\(unknown.err)")
        let invalid = try box.zwgk(["scores", "--year", "二〇二三"])
        #expect(invalid.status == 64 && invalid.err.contains("取值 '二〇二三' 对 '--year <year>' 无效"), "\(invalid.err)")
    }
}

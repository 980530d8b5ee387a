import ArgumentParser
import ZwgkService

struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template", abstract: "生成检查记录填写模板(.xlsx):说明、发现问题、通报、撤销,单位和指标可从下拉列表选择。")

    @OptionGroup var paths: PathOptions
    @Option(help: "考核年度;默认为已配置细则的最近年度。")
    var year: Int?
    @Option(help: "输出文件;默认为当前目录下的“检查记录模板-年度.xlsx”。")
    var output: String?

    func run() throws {
        let (_, rules) = try paths.load()
        let year = self.year ?? rules.rubrics.keys.max()!
        let path = output ?? "检查记录模板-\(year).xlsx"
        try service { try TemplateFile.write(year: year, rules: rules, to: path) }
        print(path)
    }
}

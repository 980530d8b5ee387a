import ArgumentParser
import Reports
import RubricEngine
import ZwgkService

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "显示某单位的全部记录轨迹:每条记录的来源文件、收到时间及其对各指标得分的影响(含撤销)。")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var paths: PathOptions
    @Option(help: "单位名称。")
    var unit: String
    @Option(help: "考核年度;默认为已配置细则的最近年度。")
    var year: Int?
    @Option(help: "输出格式:text 或 json。")
    var format: Format = .text

    func run() throws {
        let (config, rules) = try paths.load()
        let unit = try knownUnit(self.unit, in: rules)
        let year = self.year ?? rules.rubrics.keys.max()!
        let rubric = try rubric(year, in: rules)
        guard rubric.unitClass(unit.unitClass) != nil else { throw fail("单位“\(unit.name)”的类别不在\(year)年度的考核细则中") }
        let entries = try service { try LedgerAccess.entries(config, touching: unit, year: year) }
        let steps = Scorer.trail(of: unit, rubric: rubric, entries: entries)
        switch format {
        case .text: say(HistoryRenderer.text(unit: unit, year: year, steps: steps), terminator: "")
        case .json: print(HistoryRenderer.json(unit: unit, year: year, steps: steps), terminator: "")
        }
    }
}

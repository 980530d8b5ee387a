import ArgumentParser
import Reports
import RubricEngine
import ZwgkService

struct ScoresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scores", abstract: "按账本显示当前的得分与排名。")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv
    }

    @OptionGroup var paths: PathOptions
    @Option(help: "考核年度。")
    var year: Int
    @Option(help: "输出格式:table、json 或 csv。")
    var format: Format = .table

    func run() throws {
        let (config, rules) = try paths.load()
        let rubric = try rubric(year, in: rules)
        let standings = try service {
            try LedgerAccess.standings(config, rules: rules, rubric: rubric, cutoff: Period(year: year, span: .annual).cutoff)
        }
        var report = ReportContext(standings: standings, period: nil)
        report.grading = rules.grading(standings)
        switch format {
        case .table: print(ScoresTable.render(report), terminator: "")
        case .json:
            var out = FileTextStream.standardOutput()
            ScoresJSON.write(report, to: &out)
            _ = try service { try out.finish() }
        case .csv: print(ScoresCSV.render(report), terminator: "")
        }
    }
}

import ArgumentParser
import Reports
import RubricEngine
import ZwgkService

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "生成某单位某一期的得分页(HTML,含该单位的整改台账),用于反馈给该单位。")

    @OptionGroup var paths: PathOptions
    @Option(help: "单位名称。")
    var unit: String
    @Option(help: "期间:2023-Q1 … 2023-Q4 或 2023-annual。")
    var period: String
    @Option(help: "输出文件;默认为当前目录下的“单位-期间.html”(单位名称中的“/”和控制字符写作“_”)。")
    var output: String?

    func run() throws {
        let period = try parsePeriod(period)
        let (config, rules) = try paths.load()
        let rubric = try rubric(period.year, in: rules)
        _ = try knownUnit(unit, in: rules)
        let standings = try service { try LedgerAccess.standings(config, rules: rules, rubric: rubric, cutoff: period.cutoff) }
        var report = ReportContext(standings: standings, period: period)
        report.grading = rules.grading(standings)
        report.rectification = try service { try LedgerAccess.rectification(config, rules: rules, rubric: rubric, asOf: period.cutoff) }
        if period.span == .annual { report.approvals = try service { try LedgerAccess.approvalHistory(config, year: period.year) } }
        if period.span == .annual, let ledger = try service({ try LedgerAccess.open(config, readOnly: true) }) {
            let previous = try service {
                try LastYear.results(before: period.year, rules: rules, ledger: ledger, snapshots: SnapshotWriter(root: config.reports))
            }
            report.lastYear = previous.map { YearOverYear.compare(current: standings, previous: $0) }
        }
        guard let card = standings.cards.first(where: { $0.unit.name == unit }) else {
            throw fail("单位“\(unit)”的类别不在\(period.year)年度的考核细则中")
        }
        // The unit's name becomes one safe file name in the current folder, whatever it holds (`../`, `/`, NUL).
        let path = output ?? FileName.safe(unit, suffix: "-\(period).html")
        do {
            try FS.writeAtomically(path, ReportHTML.renderUnit(card, report: report))
        } catch {
            throw fail("无法写入 \(path):\(error)")
        }
        print(path)
    }
}

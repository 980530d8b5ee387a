import ArgumentParser
import Foundation
import Reports
import RubricEngine
import ZwgkService

struct RectificationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rectification",
        abstract: "显示整改台账:每项问题(扣分的发现问题、通报点名的每个单位)在某日的整改状态,以及各单位的整改率和按期整改率。")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, csv
    }

    // The path options of every command, but `--state`: this command's `--state S` (README, 整改台账) is the item
    // state. A value that names an item state filters; any other is the state folder (or give it as --state-dir).
    @Option(name: .customLong("config"), help: "配置文件(TOML);默认 /etc/zwgk/zwgk.toml(存在时),否则使用内置的本地默认值。")
    var configFile: String?
    @Option(help: "投递目录(含 incoming/、accepted/、rejected/)。")
    var spool: String?
    @Option(
        name: .customLong("state"),
        help: ArgumentHelp(
            "只列这个状态的问题:待整改(open)、逾期(overdue)、已报待复查(reported)、已销号(closed)或已撤销(withdrawn);其他值视为状态目录(同 --state-dir)。",
            valueName: "state"))
    var states: [String] = []
    @Option(name: .customLong("state-dir"), help: "状态目录(账本 ledger.sqlite 所在)。")
    var stateDir: String?
    @Option(help: "报告目录。")
    var reports: String?
    @Option(help: "单位名单文件(TOML)。")
    var units: String?
    @Option(help: "考核年度;默认为已配置细则的最近年度。")
    var year: Int?
    @Option(help: "只列这个单位的问题。")
    var unit: String?
    @Option(name: .customLong("as-of"), help: "按哪一天的状态(YYYY-MM-DD);默认为今天(配置的时区)。")
    var asOf: String?
    @Option(help: "输出格式:text、json 或 csv(UTF-8 带 BOM,Excel/WPS 可直接打开)。")
    var format: Format = .text

    static let statesInWords = ItemState.allCases.map { "\($0.label)(\($0.rawValue))" }.joined(separator: "、")

    func run() throws {
        let wanted = states.compactMap(ItemState.init(word:))
        let folders = states.filter { ItemState(word: $0) == nil } + (stateDir.map { [$0] } ?? [])
        // A bare word (no `/`) that is no state and no folder here is a mistyped state, not a folder to read nothing from.
        if let word = states.first(where: { ItemState(word: $0) == nil && !$0.contains("/") && !FileManager.default.fileExists(atPath: $0) }) {
            throw fail("--state “\(word)”既不是整改状态(\(Self.statesInWords)),也不是存在的状态目录;请核对")
        }
        guard wanted.count <= 1 else { throw fail("--state 只能给一个整改状态,收到:\(wanted.map(\.rawValue).joined(separator: "、"))") }
        guard folders.count <= 1 else {
            throw fail("--state 的“\(folders[0])”不是整改状态(\(Self.statesInWords)),被当作状态目录,但状态目录只能给一个:\(folders.joined(separator: "、"))")
        }
        let (config, rules) = try PathOptions.load { () throws(ConfigError) in
            try PathOptions.resolve(config: configFile, spool: spool, state: folders.first, reports: reports, units: units)
        }
        let year = self.year ?? rules.rubrics.keys.max()!
        let rubric = try rubric(year, in: rules)
        if let unit { _ = try knownUnit(unit, in: rules) }
        let day: Day
        if let asOf {
            guard let d = Day(asOf) else { throw fail("--as-of “\(asOf)”不是有效日期;请写成 YYYY-MM-DD,如 2023-06-01") }
            day = d
        } else {
            day = LocalDay.of(SystemClock().now, timeZone: config.timeZone)
        }
        let list = try service { try LedgerAccess.rectification(config, rules: rules, rubric: rubric, asOf: day) }
            .filtered(unit: unit, state: wanted.first)
        var out = FileTextStream.standardOutput()
        switch format {
        case .text: RectificationReport.writeText(list, to: &out)
        case .json: RectificationReport.writeJSON(list, to: &out)
        case .csv: RectificationReport.writeCSV(list, to: &out)
        }
        _ = try service { try out.finish() }
    }
}

public import ArgumentParser
import DropFile
import Foundation
import Ledger
import Logging
import Reports
import ServiceLifecycle
import Systemd
import RubricEngine
#if canImport(Glibc)
import Glibc
#endif

/// `zwgk`: the command line of interfaces.md.
public enum ZwgkCommands {
    public static let configuration = CommandConfiguration(
        commandName: "zwgk",
        abstract: "政务公开工作考核计分服务(zwgk)。",
        subcommands: [DaemonCommand.self, ValidateCommand.self, SubmitCommand.self, ScoresCommand.self,
                      SnapshotCommand.self, ReportCommand.self, HistoryCommand.self, StatusCommand.self])
}

/// Options every subcommand takes.
struct PathOptions: ParsableArguments {
    @Option(help: "配置文件(TOML);默认 /etc/zwgk/zwgk.toml(存在时),否则使用内置的本地默认值。")
    var config: String?
    @Option(help: "投递目录(含 incoming/、accepted/、rejected/)。")
    var spool: String?
    @Option(help: "状态目录(账本 ledger.sqlite 所在)。")
    var state: String?
    @Option(help: "报告目录。")
    var reports: String?
    @Option(help: "单位名单文件(TOML)。")
    var units: String?

    /// The configuration, or (printed to stderr) every problem of its file.
    func resolve() throws -> Config {
        do { return try load() } catch { throw fail(error.description) }
    }

    /// The configuration these options name: the file's, with the paths given on the command line.
    func load() throws(ConfigError) -> Config {
        var c: Config
        if let config {
            c = try Config.load(path: config)
        } else if FileManager.default.fileExists(atPath: Config.systemPath) {
            c = try Config.load(path: Config.systemPath)
        } else {
            c = .localDefault
        }
        if let spool { c.spool = spool }
        if let state { c.state = state }
        if let reports { c.reports = reports }
        if let units { c.units = units }
        return c
    }
}

/// Prints `message` to stderr as `zwgk: …` and gives the exit code to throw.
func fail(_ message: String, code: Int32 = 1) -> ExitCode {
    FileHandle.standardError.write(Data("zwgk: \(message)\n".utf8))
    return ExitCode(code)
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

func rules(_ config: Config) throws -> Rules {
    do { return try Rules.load(config) } catch { throw fail(error.description) }
}

func openLedger(_ config: Config, readOnly: Bool) throws -> Ledger? {
    let path = config.state + "/ledger.sqlite"
    if readOnly, case .missing = FS.kind(path) {
        guard errno == ENOENT else {
            throw fail("无法读取账本 \(path):\(String(cString: strerror(errno)))。请以 zwgk 组的用户运行(sudo usermod -aG zwgk 用户名),或检查 --state")
        }
        return nil
    }
    do {
        if !readOnly { try FS.makeDirectory(config.state) }
        return try Ledger(path: path, readOnly: readOnly)
    } catch {
        throw fail("\(error)")
    }
}

/// Scores the ledger's records of `rubric`'s year at `cutoff`, read one at a time (none when there is no ledger yet).
func standings(_ config: Config, rules: Rules, rubric: Rubric, cutoff: Day) throws -> Standings {
    var tally = Tally(rubric: rubric, roster: rules.roster, cutoff: cutoff)
    try openLedger(config, readOnly: true)?.forEachEntry(year: rubric.year) { entry, _ in tally.add(entry) }
    return tally.standings()
}

struct DaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon", abstract: "运行服务:监视投递目录,检查并合并文件入账,直到收到 SIGTERM/SIGINT;SIGHUP 重新加载配置。")

    @OptionGroup var paths: PathOptions
    @Flag(help: "只处理 incoming/ 中现有的文件,然后退出。")
    var once = false
    @Option(help: "发现新文件的方式:inotify 或 poll(网络共享目录用 poll)。")
    var watch: String?

    func run() async throws {
        var config = try paths.resolve()
        if let watch {
            guard let mode = WatchMode(rawValue: watch) else { throw fail("--watch 只能是 inotify 或 poll") }
            config.watch = mode
        }
        LogTarget.bootstrap(identifier: "zwgk")
        let logger = Logger(label: "zwgk")
        if once {
            let daemon = try Daemon(config: config, logger: logger)
            let summary = try daemon.ingestWaiting()
            print("已处理 \(summary.files) 个文件:接收 \(summary.accepted),重复 \(summary.duplicates),拒收 \(summary.rejected),新增记录 \(summary.records) 条"
                + (summary.deferred > 0 ? ",\(summary.deferred) 个仍在写入中、留待下次" : "")
                + (summary.recovered > 0 ? "(其中 \(summary.recovered) 个是上次中断时已决定、本次完成移动的文件)" : ""))
            return
        }
        let paths = self.paths
        let watchOverride = config.watch
        let service = try SpoolService(config: config, logger: logger) {
            // The error itself, not an exit: a reload that fails logs the file's problems and carries on.
            var fresh = try paths.load()
            fresh.watch = watchOverride
            return fresh
        }
        var groupConfig = ServiceGroupConfiguration(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfig.maximumGracefulShutdownDuration = .seconds(20)
        try await ServiceGroup(configuration: groupConfig).run()
    }
}

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "检查投递文件(不改动任何状态);全部有效时退出码为0。")

    @OptionGroup var paths: PathOptions
    @Argument(help: "要检查的文件。")
    var files: [String]

    func run() throws {
        let config = try paths.resolve()
        let rules = try rules(config)
        let ledger = try openLedger(config, readOnly: true)
        var allValid = true
        for file in files {
            switch check(file, rules: rules, ledger: ledger) {
            case .success(let valid):
                print("\(file):有效,新记录 \(valid.new.count) 条" + (valid.duplicates.isEmpty ? "" : ",已入账的重复记录 \(valid.duplicates.count) 条"))
            case .failure(let reason):
                allValid = false
                print(reason.after("\(file):无效,"))
            }
        }
        if !allValid { throw ExitCode(1) }
    }
}

/// Reads and checks one file as the daemon would; the failure text is the rejection reason.
func check(_ file: String, rules: Rules, ledger: Ledger?) -> Result<ValidFile, RejectionReason> {
    switch FS.kind(file) {
    case .missing: return .failure(RejectionReason(text: "  文件不存在或无法访问。"))
    case .directory: return .failure(RejectionReason(text: Rejection.directory))
    case .special: return .failure(RejectionReason(text: Rejection.special))
    case .symlink, .regular: break
    }
    let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
    if size > DropFile.maxBytes { return .failure(RejectionReason(text: Rejection.reason([DropFile.tooLarge(size)]))) }
    guard let data = FileManager.default.contents(atPath: file) else {
        return .failure(RejectionReason(text: "  无法读取该文件(请检查读权限)。"))
    }
    let lookups = LookupErrors()
    let verdict = DropFile.check(Array(data), context: rules.context(ledger: ledger, errors: lookups))
    if let error = lookups.first { return .failure(RejectionReason(text: "  无法检查:账本读取失败(\(error)),请稍后重试。")) }
    switch verdict {
    case .success(let valid): return .success(valid)
    case .failure(let problems): return .failure(RejectionReason(text: Rejection.reason(problems.all)))
    }
}

struct RejectionReason: Error, CustomStringConvertible {
    var text: String
    var description: String { text }

    /// The reason after a `file:verdict,` lead: on lines of its own when it is an indented list.
    func after(_ lead: String) -> String { lead + (text.hasPrefix("  ") ? "\n" : "") + text }
}

struct SubmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit", abstract: "检查文件,并把有效的文件安全地放入 incoming/(先写临时文件、同步、再改名)。")

    @OptionGroup var paths: PathOptions
    @Argument(help: "要提交的文件。")
    var files: [String]

    func run() throws {
        let config = try paths.resolve()
        let rules = try rules(config)
        let ledger = try openLedger(config, readOnly: true)
        let spool = Spool(root: config.spool)
        guard FS.list(spool.incoming) != nil else { throw fail("投递目录 \(spool.incoming) 不存在或无法读取") }
        var refused = false
        for file in files {
            switch check(file, rules: rules, ledger: ledger) {
            case .failure(let reason):
                refused = true
                print(reason.after("\(file):未提交,"))
            case .success:
                guard let data = FileManager.default.contents(atPath: file) else {
                    refused = true
                    print("\(file):未提交,无法读取该文件(请检查读权限)。")
                    continue
                }
                var name = String((file as NSString).lastPathComponent.drop { $0 == "." })
                if !Spool.isReady(name) { name += ".json" }
                do {
                    let placed = try spool.place(Array(data), as: name)
                    print("\(file):已提交为 \(spool.incoming)/\(placed)")
                } catch {
                    refused = true
                    print("\(file):提交失败,\(error)")
                }
            }
        }
        if refused { throw ExitCode(1) }
    }
}

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
        let config = try paths.resolve()
        let rules = try rules(config)
        guard let rubric = rules.rubrics[year] else {
            throw fail("没有\(year)年度的考核细则(已配置:\(rules.rubrics.keys.sorted().map(String.init).joined(separator: "、")))")
        }
        let report = ReportContext(standings: try standings(config, rules: rules, rubric: rubric,
                                                            cutoff: Period(year: year, span: .annual).cutoff), period: nil)
        switch format {
        case .table: print(ScoresTable.render(report), terminator: "")
        case .json:
            var out = FileTextStream.standardOutput()
            ScoresJSON.write(report, to: &out)
            _ = try out.finish()
        case .csv: print(ScoresCSV.render(report), terminator: "")
        }
    }
}

struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot", abstract: "立即生成某一期的快照(季度或全年),并输出其目录。")

    @OptionGroup var paths: PathOptions
    @Option(help: "期间:2023-Q1、2023-Q2、2023-Q3、2023-Q4 或 2023-annual。")
    var period: String
    @Flag(help: "该期快照已存在时仍然重写。")
    var force = false

    func run() throws {
        let config = try paths.resolve()
        let period = try parsePeriod(period)
        let rules = try rules(config)
        guard let ledger = try openLedger(config, readOnly: true) else {
            throw fail("状态目录 \(config.state) 中没有账本(ledger.sqlite)。快照只能由已有的账本生成;请检查 --state 或配置文件")
        }
        let writer = SnapshotWriter(root: config.reports)
        let outcome: SnapshotWriter.Outcome
        do {
            outcome = try writer.write(period, rules: rules, ledger: ledger, force: force)
        } catch let error as StartError {
            throw fail(error.description)
        }
        // People read the printed lines; the journal gets the event when this runs under systemd.
        if LogTarget.useJournal() {
            LogTarget.bootstrap(identifier: "zwgk")
            if case .kept = outcome {} else {
                Logger(label: "zwgk").info("已生成 \(period) 快照", metadata: Event.snapshotWritten.metadata(["period": "\(period)"]))
            }
        }
        switch outcome {
        case .written(let folder):
            print(folder)
        case .replaced(let folder):
            FileHandle.standardError.write(Data("已按 --force 重写 \(period) 的快照。\n".utf8))
            print(folder)
        case .kept(let folder):
            FileHandle.standardError.write(Data("\(period) 的快照已存在,保持不变(如需重写请加 --force)。\n".utf8))
            print(folder)
        }
    }
}

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "显示服务状态;异常时退出码非0。")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var paths: PathOptions
    @Option(help: "输出格式:text 或 json。")
    var format: Format = .text

    func run() throws {
        let report = StatusReport.gather(try paths.resolve())
        print(format == .json ? report.json : report.text, terminator: "")
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}

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
        let config = try paths.resolve()
        let rules = try rules(config)
        let unit = try knownUnit(self.unit, in: rules)
        let year = self.year ?? rules.rubrics.keys.max()!
        guard let rubric = rules.rubrics[year] else { throw fail("没有\(year)年度的考核细则") }
        guard rubric.unitClass(unit.unitClass) != nil else { throw fail("单位“\(unit.name)”的类别不在\(year)年度的考核细则中") }
        // Only the records that can bear on the unit are kept: a year's ledger is not held whole.
        var entries: [LedgerEntry] = []
        try openLedger(config, readOnly: true)?.forEachEntry(year: year) { entry, _ in
            if Scorer.mayTouch(entry.record, unit: unit) { entries.append(entry) }
        }
        let steps = Scorer.trail(of: unit, rubric: rubric, entries: entries)
        switch format {
        case .text: print(HistoryRenderer.text(unit: unit, year: year, steps: steps), terminator: "")
        case .json: print(HistoryRenderer.json(unit: unit, year: year, steps: steps), terminator: "")
        }
    }
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "生成某单位某一期的得分页(HTML),用于反馈给该单位。")

    @OptionGroup var paths: PathOptions
    @Option(help: "单位名称。")
    var unit: String
    @Option(help: "期间:2023-Q1 … 2023-Q4 或 2023-annual。")
    var period: String
    @Option(help: "输出文件;默认为当前目录下的“单位-期间.html”。")
    var output: String?

    func run() throws {
        let config = try paths.resolve()
        let period = try parsePeriod(period)
        let rules = try rules(config)
        guard let rubric = rules.rubrics[period.year] else { throw fail("没有\(period.year)年度的考核细则") }
        _ = try knownUnit(unit, in: rules)
        let standings = try standings(config, rules: rules, rubric: rubric, cutoff: period.cutoff)
        let report = ReportContext(standings: standings, period: period)
        guard let card = standings.cards.first(where: { $0.unit.name == unit }) else {
            throw fail("单位“\(unit)”的类别不在\(period.year)年度的考核细则中")
        }
        let path = output ?? "\(unit)-\(period).html"
        do {
            try FS.writeAtomically(path, Array(ReportHTML.renderUnit(card, report: report).utf8))
        } catch {
            throw fail("无法写入 \(path):\(error)")
        }
        print(path)
    }
}

import Foundation
public import RubricEngine
import SystemPackage
import ZwgkFormats

/// Where zwgk keeps things and how it behaves; read from a TOML file, overridden on the command line.
public struct Config: Sendable, Equatable {
    public var spool: String
    public var state: String
    public var reports: String
    public var units: String
    /// Extra rubric files by year; the built-in 2023 rubric is always available.
    public var rubrics: [Int: String]
    /// Time zone for "today" and for the snapshot schedule.
    public var timeZone: String
    /// How new files are noticed: `inotify` (local disks) or `poll` (network shares, where inotify is silent).
    public var watch: WatchMode = .inotify
    /// Full rescan of `incoming/` behind inotify, as a backstop (seconds).
    public var rescanSeconds: Double = 60
    /// Scan interval in poll mode (seconds).
    public var pollSeconds: Double = 2
    /// Time of day snapshots fall due (`HH:MM`, in `timeZone`), and days of grace after a period ends.
    public var snapshotTime = (hour: 2, minute: 0)
    public var snapshotGraceDays = 5
    /// `[rectification] days`: a deadline this many calendar days after a finding or notice (or a failed
    /// re-check) that sets none; 0 sets none.
    public var rectificationDays = 15
    /// `[grades]`: how units are graded; nil (no table) grades no one.
    public var grades: GradesConfig?

    /// How rectification deadlines are set.
    public var rectification: RectificationPolicy { RectificationPolicy(days: rectificationDays) }

    /// The snapshot schedule this configuration describes.
    public var schedule: Schedule {
        Schedule(
            hour: snapshotTime.hour, minute: snapshotTime.minute, graceDays: snapshotGraceDays,
            timeZone: TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Asia/Shanghai")!)
    }

    public static func == (a: Config, b: Config) -> Bool {
        a.spool == b.spool && a.state == b.state && a.reports == b.reports && a.units == b.units && a.rubrics == b.rubrics
            && a.timeZone == b.timeZone && a.watch == b.watch && a.rescanSeconds == b.rescanSeconds && a.pollSeconds == b.pollSeconds
            && a.snapshotTime == b.snapshotTime && a.snapshotGraceDays == b.snapshotGraceDays && a.source == b.source
            && a.rectificationDays == b.rectificationDays && a.grades == b.grades
    }
    /// The file it was read from, or nil for the embedded local default.
    public var source: String?

    /// The embedded local default: everything relative to the current folder, as in a fresh clone.
    public static let localDefault = Config(
        spool: "./spool", state: "./var", reports: "./reports",
        units: "./deploy/units.example.toml", rubrics: [:],
        timeZone: "Asia/Shanghai", source: nil)

    /// The system-wide configuration file, used when it exists and no `--config` is given.
    public static let systemPath = "/etc/zwgk/zwgk.toml"

    /// The keys a configuration file may have.
    static let knownKeys = [
        "spool", "state", "reports", "units", "timezone", "rubrics", "watch", "rescan_seconds", "poll_seconds",
        "snapshot_time", "snapshot_grace_days", "rectification", "grades",
    ]

    /// Reads a configuration file. Relative paths in it are taken relative to the file's folder.
    /// Every problem found is reported at once, each with its line; a TOML syntax error is one problem.
    public static func load(path: String) throws(ConfigError) -> Config {
        let bytes: [UInt8]
        do {
            bytes = try FS.readSetting(path, limit: TOMLReader.maxBytes)
        } catch {
            throw ConfigError(
                file: path,
                problems: [
                    ConfigProblem(
                        line: 0,
                        error.errno == .invalidArgument
                            ? "不是普通文件(可能是目录、管道或设备),无法作为配置文件读取" : "无法读取配置文件(不存在或没有读权限)")
                ])
        }
        guard bytes.count <= TOMLReader.maxBytes else {
            throw ConfigError(file: path, problems: [ConfigProblem(line: 0, "配置文件过大(超过 \(TOMLReader.maxBytes / 1024 / 1024) MiB 的上限);请检查是否选错了文件")])
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigError(file: path, problems: [ConfigProblem(line: 0, "配置文件不是UTF-8文本")])
        }
        let table: TOMLTable
        do {
            table = try TOMLReader.parse(text)
        } catch {
            throw ConfigError(file: path, problems: [ConfigProblem(line: error.line, error.reason)])
        }
        let folder = (path as NSString).deletingLastPathComponent
        func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : (folder.isEmpty ? p : folder + "/" + p) }
        var config = Config.localDefault
        config.source = path
        var problems: [ConfigProblem] = []
        func problem(_ key: String, _ text: String) { problems.append(ConfigProblem(line: table.line(of: key) ?? 0, text)) }

        for key in table.keys where !knownKeys.contains(key) {
            let hint = closest(to: key, among: knownKeys)
            problem(
                key,
                "未知的配置项“\(key)”" + (hint.isEmpty ? "" : ",是否是:\(hint.joined(separator: "、"))")
                    + "(可用:\(knownKeys.sorted().joined(separator: "、")))")
        }
        /// The non-empty string at `key`, nil (with a problem noted) when it is something else.
        func string(_ key: String) -> String? {
            guard let v = table[key] else { return nil }
            guard case .string(let s) = v, !s.isEmpty else {
                problem(key, "\(key) 必须是非空字符串(加引号),现在是" + (v == .string("") ? "空字符串" : v.typeName))
                return nil
            }
            return s
        }
        if let s = string("spool") { config.spool = resolve(s) }
        if let s = string("state") { config.state = resolve(s) }
        if let s = string("reports") { config.reports = resolve(s) }
        if let s = string("units") { config.units = resolve(s) }
        if let s = string("timezone") {
            if TimeZone(identifier: s) != nil {
                config.timeZone = s
            } else {
                problem("timezone", "未知的时区“\(s)”(例如 Asia/Shanghai)")
            }
        }
        if let s = string("watch") {
            if let mode = WatchMode(rawValue: s) {
                config.watch = mode
            } else {
                problem("watch", "watch 只能是 \"inotify\" 或 \"poll\",现在是“\(s)”")
            }
        }
        for (key, keyPath) in [("rescan_seconds", \Config.rescanSeconds), ("poll_seconds", \Config.pollSeconds)] {
            guard let v = table[key] else { continue }
            let seconds: Double?
            switch v {
            case .integer(let i): seconds = Double(i)
            case .float(let f): seconds = Double(f)
            default: seconds = nil
            }
            if let seconds, seconds >= 0.1, seconds <= 86400 {
                config[keyPath: keyPath] = seconds
            } else {
                problem(key, "\(key) 必须是 0.1 到 86400 之间的秒数" + (seconds == nil ? ",现在是\(v.typeName)" : ""))
            }
        }
        if let s = string("snapshot_time") {
            let parts = s.split(separator: ":", omittingEmptySubsequences: false)
            if parts.count == 2, parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                let h = Int(parts[0]), let m = Int(parts[1]), (0...23).contains(h), (0...59).contains(m)
            {
                config.snapshotTime = (h, m)
            } else {
                problem("snapshot_time", "snapshot_time 应写成 \"HH:MM\"(如 \"02:00\"),现在是“\(s)”")
            }
        }
        if let v = table["snapshot_grace_days"] {
            if case .integer(let days) = v, (0...60).contains(days) {
                config.snapshotGraceDays = days
            } else {
                problem("snapshot_grace_days", "snapshot_grace_days 必须是 0 到 60 之间的整数")
            }
        }
        if let v = table["rectification"] {
            if case .table(let t) = v {
                for key in t.keys where key != "days" {
                    problems.append(ConfigProblem(line: t.line(of: key) ?? 0, "[rectification] 中未知的配置项“\(key)”(可用:days)"))
                }
                if let days = t["days"] {
                    if case .integer(let n) = days, (0...365).contains(n) {
                        config.rectificationDays = n
                    } else {
                        problems.append(ConfigProblem(line: t.line(of: "days") ?? 0, "[rectification] days 必须是 0 到 365 之间的整数(整改期限的天数,0 表示不设默认期限)"))
                    }
                }
            } else {
                problem("rectification", "rectification 必须是一个表:[rectification] 下写 days = 15,或 rectification = {days = 15}")
            }
        }
        if let v = table["rubrics"] {
            if case .table(let t) = v {
                for (key, value) in t.entries {
                    let line = t.line(of: key) ?? 0
                    guard let year = Int(key), (1900...9999).contains(year) else {
                        problems.append(ConfigProblem(line: line, "rubrics 中的“\(key)”不是年份"))
                        continue
                    }
                    guard case .string(let file) = value, !file.isEmpty else {
                        problems.append(
                            ConfigProblem(
                                line: line,
                                "rubrics 中 \(key) 年的值必须是细则文件路径(非空字符串),现在是"
                                    + (value == .string("") ? "空字符串" : value.typeName)))
                        continue
                    }
                    guard config.rubrics[year] == nil else {
                        problems.append(ConfigProblem(line: line, "rubrics 中 \(year) 年重复"))
                        continue
                    }
                    config.rubrics[year] = resolve(file)
                }
            } else {
                problem("rubrics", "rubrics 必须是一个表:[rubrics] 下写 2024 = \"文件路径\",或 rubrics = {2024 = \"文件路径\"}")
            }
        }
        if let v = table["grades"] {
            config.grades = GradesConfig.read(v, line: table.line(of: "grades") ?? 0, problems: &problems)
        }
        guard problems.isEmpty else {
            // In the order of the file, as an operator reads it.
            throw ConfigError(
                file: path,
                problems: problems.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }
                    .map(\.element))
        }
        return config
    }
}

/// How the daemon notices new files.
public enum WatchMode: String, Sendable {
    case inotify
    case poll
}

/// One problem in a configuration file: the line it is on (0 for the file as a whole) and what is wrong.
public struct ConfigProblem: Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var text: String

    public init(line: Int, _ text: String) {
        self.line = line
        self.text = text
    }

    public var description: String { line > 0 ? "第\(line)行:\(text)" : text }
}

/// Every problem found in a configuration file. One problem reads on one line; several are
/// listed as a drop file's are: `共N处问题:` and then one numbered line each.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var problems: [ConfigProblem]

    public init(file: String, problems: [ConfigProblem]) {
        self.file = file
        self.problems = problems
    }

    public var description: String {
        guard problems.count > 1 else { return "配置文件 \(file):\(problems.first?.description ?? "")" }
        return "配置文件 \(file) 共\(problems.count)处问题:\n"
            + problems.enumerated().map { "  \($0.offset + 1). \($0.element)" }.joined(separator: "\n")
    }
}

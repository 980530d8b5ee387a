import Foundation
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

    /// The snapshot schedule this configuration describes.
    public var schedule: Schedule {
        Schedule(hour: snapshotTime.hour, minute: snapshotTime.minute, graceDays: snapshotGraceDays,
                 timeZone: TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Asia/Shanghai")!)
    }

    public static func == (a: Config, b: Config) -> Bool {
        a.spool == b.spool && a.state == b.state && a.reports == b.reports && a.units == b.units && a.rubrics == b.rubrics
            && a.timeZone == b.timeZone && a.watch == b.watch && a.rescanSeconds == b.rescanSeconds && a.pollSeconds == b.pollSeconds
            && a.snapshotTime == b.snapshotTime && a.snapshotGraceDays == b.snapshotGraceDays && a.source == b.source
    }
    /// The file it was read from, or nil for the embedded local default.
    public var source: String?

    /// The embedded local default: everything relative to the current folder, as in a fresh clone.
    public static let localDefault = Config(spool: "./spool", state: "./var", reports: "./reports",
                                            units: "./deploy/units.example.toml", rubrics: [:],
                                            timeZone: "Asia/Shanghai", source: nil)

    /// The system-wide configuration file, used when it exists and no `--config` is given.
    public static let systemPath = "/etc/zwgk/zwgk.toml"

    /// Reads a configuration file. Relative paths in it are taken relative to the file's folder.
    public static func load(path: String) throws(ConfigError) -> Config {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, problem: "无法读取配置文件(不存在或没有读权限)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, problem: "配置文件不是UTF-8文本")
        }
        let table: TOMLTable
        do {
            table = try TOMLReader.parse(text)
        } catch {
            throw ConfigError(file: path, problem: error.description)
        }
        let folder = (path as NSString).deletingLastPathComponent
        func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : (folder.isEmpty ? p : folder + "/" + p) }
        var config = Config.localDefault
        config.source = path
        let known: Set<String> = ["spool", "state", "reports", "units", "timezone", "rubrics", "watch", "rescan_seconds", "poll_seconds",
                                 "snapshot_time", "snapshot_grace_days"]
        for key in table.keys where !known.contains(key) {
            throw ConfigError(file: path, problem: "未知的配置项“\(key)”(可用:\(known.sorted().joined(separator: "、")))")
        }
        func string(_ key: String) throws(ConfigError) -> String? {
            guard let v = table[key] else { return nil }
            guard case .string(let s) = v, !s.isEmpty else {
                throw ConfigError(file: path, problem: "\(key) 必须是非空字符串(加引号),现在是\(v.typeName)")
            }
            return s
        }
        if let s = try string("spool") { config.spool = resolve(s) }
        if let s = try string("state") { config.state = resolve(s) }
        if let s = try string("reports") { config.reports = resolve(s) }
        if let s = try string("units") { config.units = resolve(s) }
        if let s = try string("timezone") {
            guard TimeZone(identifier: s) != nil else { throw ConfigError(file: path, problem: "未知的时区“\(s)”(例如 Asia/Shanghai)") }
            config.timeZone = s
        }
        if let s = try string("watch") {
            guard let mode = WatchMode(rawValue: s) else { throw ConfigError(file: path, problem: "watch 只能是 \"inotify\" 或 \"poll\"") }
            config.watch = mode
        }
        for (key, keyPath) in [("rescan_seconds", \Config.rescanSeconds), ("poll_seconds", \Config.pollSeconds)] {
            guard let v = table[key] else { continue }
            let seconds: Double?
            switch v {
            case .integer(let i): seconds = Double(i)
            case .float(let f): seconds = Double(f)
            default: seconds = nil
            }
            guard let seconds, seconds >= 0.1, seconds <= 86400 else {
                throw ConfigError(file: path, problem: "\(key) 必须是 0.1 到 86400 之间的秒数")
            }
            config[keyPath: keyPath] = seconds
        }
        if let s = try string("snapshot_time") {
            let parts = s.split(separator: ":")
            guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0...23).contains(h), (0...59).contains(m) else {
                throw ConfigError(file: path, problem: "snapshot_time 应写成 \"HH:MM\"(如 \"02:00\"),现在是“\(s)”")
            }
            config.snapshotTime = (h, m)
        }
        if let v = table["snapshot_grace_days"] {
            guard case .integer(let days) = v, (0...60).contains(days) else {
                throw ConfigError(file: path, problem: "snapshot_grace_days 必须是 0 到 60 之间的整数")
            }
            config.snapshotGraceDays = days
        }
        if let v = table["rubrics"] {
            guard case .table(let t) = v else { throw ConfigError(file: path, problem: "rubrics 必须是一个表:[rubrics] 2024 = \"文件路径\"") }
            for (key, value) in t.entries {
                guard let year = Int(key), (1900...9999).contains(year) else {
                    throw ConfigError(file: path, problem: "[rubrics] 中的“\(key)”不是年份")
                }
                guard case .string(let file) = value else {
                    throw ConfigError(file: path, problem: "[rubrics] \(key) 必须是细则文件路径(字符串)")
                }
                config.rubrics[year] = resolve(file)
            }
        }
        return config
    }
}

/// How the daemon notices new files.
public enum WatchMode: String, Sendable {
    case inotify
    case poll
}

/// A configuration problem: the file and what is wrong.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var problem: String
    public var description: String { "配置文件 \(file):\(problem)" }
}

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
        let known: Set<String> = ["spool", "state", "reports", "units", "timezone", "rubrics", "watch", "rescan_seconds", "poll_seconds"]
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

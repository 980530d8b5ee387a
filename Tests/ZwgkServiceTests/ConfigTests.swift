import Foundation
import Testing
import ZwgkService
import ZwgkTestSupport

/// A temporary folder holding one zwgk.toml at a time; removed when released.
private final class ConfigFolder {
    let path = NSTemporaryDirectory() + "zwgk-config-\(UUID().uuidString)"
    var file: String { path + "/zwgk.toml" }

    init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` as zwgk.toml and loads it.
    func load(_ text: String) throws -> Config {
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return try Config.load(path: file)
    }

    /// Writes `text` as zwgk.toml and gives the problems `Config.load` reports (none, and an issue, if it loads).
    func problems(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [ConfigProblem] {
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        do {
            let config = try Config.load(path: file)
            Issue.record("accepted \(text) as \(config)", sourceLocation: sourceLocation)
            return []
        } catch {
            #expect(error.file == file, sourceLocation: sourceLocation)
            return error.problems
        }
    }
}

@Suite(.timeLimit(.minutes(10))) struct ConfigLoading {
    @Test func readsEveryKey() throws {
        let folder = try ConfigFolder()
        let config = try folder.load(
            """
            spool = "/srv/spool"
            state = "/srv/state"
            reports = "/srv/reports"
            units = "/srv/units.toml"
            timezone = "Europe/Berlin"
            watch = "poll"
            rescan_seconds = 30
            poll_seconds = 0.5
            snapshot_time = "23:45"
            snapshot_grace_days = 0
            [rubrics]
            2024 = "/srv/rubric-2024.json"
            """)
        #expect(config.spool == "/srv/spool")
        #expect(config.state == "/srv/state")
        #expect(config.reports == "/srv/reports")
        #expect(config.units == "/srv/units.toml")
        #expect(config.timeZone == "Europe/Berlin")
        #expect(config.watch == .poll)
        #expect(config.rescanSeconds == 30)
        #expect(config.pollSeconds == 0.5)
        #expect(config.snapshotTime == (23, 45))
        #expect(config.snapshotGraceDays == 0)
        #expect(config.rubrics == [2024: "/srv/rubric-2024.json"])
        #expect(config.source == folder.file)
    }

    @Test func anEmptyFileIsTheLocalDefault() throws {
        let folder = try ConfigFolder()
        var expected = Config.localDefault
        expected.source = folder.file
        #expect(try folder.load("# nothing set\n") == expected)
    }

    @Test func theShippedExampleLoads() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("deploy/zwgk.toml").path
        let config = try Config.load(path: example)
        #expect(config.spool == "/var/spool/zwgk")
        #expect(config.watch == .inotify)
        #expect(config.snapshotTime == (2, 0))
    }

    @Test func relativePathsAreTakenFromTheFilesFolder() throws {
        let folder = try ConfigFolder()
        let config = try folder.load(
            """
            spool = "spool"
            state = "/var/lib/zwgk"
            reports = "../reports"
            units = "./units.toml"
            [rubrics]
            2024 = "rubric-2024.json"
            2025 = "/etc/zwgk/rubric-2025.json"
            """)
        #expect(config.spool == folder.path + "/spool")
        #expect(config.state == "/var/lib/zwgk")
        #expect(config.reports == folder.path + "/../reports")
        #expect(config.units == folder.path + "/./units.toml")
        #expect(config.rubrics == [2024: folder.path + "/rubric-2024.json", 2025: "/etc/zwgk/rubric-2025.json"])
    }

    @Test(arguments: ["spool", "state", "reports", "units", "timezone", "watch", "snapshot_time"])
    func stringKeysMustBeNonEmptyStrings(_ key: String) throws {
        let folder = try ConfigFolder()
        #expect(try folder.problems("# \(key)\n\(key) = 1\n") == [ConfigProblem(line: 2, "\(key) 必须是非空字符串(加引号),现在是整数")])
        #expect(try folder.problems("\n\n\(key) = \"\"\n") == [ConfigProblem(line: 3, "\(key) 必须是非空字符串(加引号),现在是空字符串")])
        #expect(try folder.problems("\(key) = [\"a\"]\n") == [ConfigProblem(line: 1, "\(key) 必须是非空字符串(加引号),现在是数组")])
    }

    @Test func anUnknownKeyIsNamedWithTheNearestAndTheKnownOnes() throws {
        let folder = try ConfigFolder()
        let known = "(可用:grades、poll_seconds、rectification、reports、rescan_seconds、rubrics、snapshot_grace_days、snapshot_time、spool、state、timezone、units、watch)"
        #expect(
            try folder.problems("spool = \"s\"\ntimezon = \"Asia/Shanghai\"\n")
                == [ConfigProblem(line: 2, "未知的配置项“timezon”,是否是:timezone" + known)])
        #expect(try folder.problems("colour = \"blue\"\n") == [ConfigProblem(line: 1, "未知的配置项“colour”" + known)])
        // A table of an unknown name is named on its header line.
        #expect(try folder.problems("spool = \"s\"\n\n[rubric]\n2024 = \"r.json\"\n").map(\.line) == [3])
    }

    @Test func anUnknownTimeZoneIsRefused() throws {
        let folder = try ConfigFolder()
        let problems = try folder.problems("spool = \"s\"\n\ntimezone = \"Asia/Shangai\"\n")
        #expect(problems == [ConfigProblem(line: 3, "未知的时区“Asia/Shangai”(例如 Asia/Shanghai)")])
        #expect(problems.first?.description == "第3行:未知的时区“Asia/Shangai”(例如 Asia/Shanghai)")
    }

    @Test func watchIsInotifyOrPoll() throws {
        let folder = try ConfigFolder()
        #expect(try folder.load("watch = \"inotify\"").watch == .inotify)
        #expect(try folder.load("watch = \"poll\"").watch == .poll)
        #expect(try folder.problems("\nwatch = \"inotfy\"\n") == [ConfigProblem(line: 2, "watch 只能是 \"inotify\" 或 \"poll\",现在是“inotfy”")])
    }

    @Test(arguments: ["25:00", "12:60", "24:00", "2", "02:00:00", "aa:bb", "+1:00", "1:-5", "002:00", ":30", " 2:00"])
    func aBadSnapshotTimeIsRefused(_ text: String) throws {
        let folder = try ConfigFolder()
        #expect(
            try folder.problems("\nsnapshot_time = \"\(text)\"\n")
                == [ConfigProblem(line: 2, "snapshot_time 应写成 \"HH:MM\"(如 \"02:00\"),现在是“\(text)”")])
    }

    @Test func snapshotTimeIsHoursAndMinutes() throws {
        let folder = try ConfigFolder()
        #expect(try folder.load("snapshot_time = \"00:00\"").snapshotTime == (0, 0))
        #expect(try folder.load("snapshot_time = \"23:59\"").snapshotTime == (23, 59))
        #expect(try folder.load("snapshot_time = \"7:05\"").snapshotTime == (7, 5))
    }

    @Test func snapshotGraceDaysIsAWholeNumberUpToSixty() throws {
        let folder = try ConfigFolder()
        #expect(try folder.load("snapshot_grace_days = 0").snapshotGraceDays == 0)
        #expect(try folder.load("snapshot_grace_days = 60").snapshotGraceDays == 60)
        for bad in ["61", "-1", "5.5", "\"5\""] {
            #expect(
                try folder.problems("\nsnapshot_grace_days = \(bad)\n")
                    == [ConfigProblem(line: 2, "snapshot_grace_days 必须是 0 到 60 之间的整数")], "\(bad)")
        }
    }

    @Test(arguments: ["rescan_seconds", "poll_seconds"])
    func secondsAreBetweenATenthAndADay(_ key: String) throws {
        let folder = try ConfigFolder()
        for (text, seconds) in [("0.1", 0.1), ("86400", 86400.0), ("2", 2.0), ("1e2", 100.0), ("1_800", 1800.0)] {
            let config = try folder.load("\(key) = \(text)")
            #expect((key == "rescan_seconds" ? config.rescanSeconds : config.pollSeconds) == seconds, "\(text)")
        }
        for bad in ["0", "0.05", "86401", "-1"] {
            #expect(try folder.problems("\n\(key) = \(bad)\n") == [ConfigProblem(line: 2, "\(key) 必须是 0.1 到 86400 之间的秒数")], "\(bad)")
        }
        #expect(try folder.problems("\(key) = \"60\"\n") == [ConfigProblem(line: 1, "\(key) 必须是 0.1 到 86400 之间的秒数,现在是字符串")])
    }

    @Test func rubricsIsATableOfYearsAndFiles() throws {
        let folder = try ConfigFolder()
        #expect(
            try folder.problems("\nrubrics = \"rubric-2024.json\"\n")
                == [ConfigProblem(line: 2, "rubrics 必须是一个表:[rubrics] 下写 2024 = \"文件路径\",或 rubrics = {2024 = \"文件路径\"}")])
        let problems = try folder.problems(
            """
            [rubrics]
            2024 = "ok.json"
            next = "a.json"
            1800 = "b.json"
            2025 = 5
            2026 = ""
            02024 = "c.json"
            """)
        #expect(
            problems == [
                ConfigProblem(line: 3, "rubrics 中的“next”不是年份"),
                ConfigProblem(line: 4, "rubrics 中的“1800”不是年份"),
                ConfigProblem(line: 5, "rubrics 中 2025 年的值必须是细则文件路径(非空字符串),现在是整数"),
                ConfigProblem(line: 6, "rubrics 中 2026 年的值必须是细则文件路径(非空字符串),现在是空字符串"),
                ConfigProblem(line: 7, "rubrics 中 2024 年重复"),
            ])
    }

    @Test func rubricsMayBeAnInlineTable() throws {
        let folder = try ConfigFolder()
        let config = try folder.load("spool = \"s\"\nrubrics = {2024 = \"r.json\"}\n")
        #expect(config.rubrics == [2024: folder.path + "/r.json"])
        #expect(try folder.problems("rubrics = {2024 = \"r.json\", x = \"y\"}\n") == [ConfigProblem(line: 1, "rubrics 中的“x”不是年份")])
    }

    @Test func everyProblemIsReportedAtOnceWithItsLine() throws {
        let folder = try ConfigFolder()
        let text = """
            spool = "spool"
            colour = "blue"
            timezone = "Asia/Shangai"
            snapshot_time = "25:00"
            watch = "inotfy"
            """
        try text.write(toFile: folder.file, atomically: true, encoding: .utf8)
        do {
            _ = try Config.load(path: folder.file)
            Issue.record("accepted a file with four problems")
        } catch {
            #expect(error.problems.map(\.line) == [2, 3, 4, 5])
            #expect(
                error.description == """
                    配置文件 \(folder.file) 共4处问题:
                      1. 第2行:未知的配置项“colour”(可用:grades、poll_seconds、rectification、reports、rescan_seconds、rubrics、snapshot_grace_days、snapshot_time、spool、state、timezone、units、watch)
                      2. 第3行:未知的时区“Asia/Shangai”(例如 Asia/Shanghai)
                      3. 第4行:snapshot_time 应写成 "HH:MM"(如 "02:00"),现在是“25:00”
                      4. 第5行:watch 只能是 "inotify" 或 "poll",现在是“inotfy”
                    """)
        }
    }

    @Test func aSyntaxErrorIsOneProblemWithItsLine() throws {
        let folder = try ConfigFolder()
        try "timezone = \"Asia/Shangai\"\nspool = /srv/spool\nwatch = \"inotfy\"\n".write(toFile: folder.file, atomically: true, encoding: .utf8)
        do {
            _ = try Config.load(path: folder.file)
            Issue.record("accepted a file that is not TOML")
        } catch {
            #expect(error.problems == [ConfigProblem(line: 2, "无法识别的值“/srv/spool”(字符串须加引号)")])
            #expect(error.description == "配置文件 \(folder.file):第2行:无法识别的值“/srv/spool”(字符串须加引号)")
        }
    }

    @Test func aFileThatCannotBeReadIsOneProblem() throws {
        let folder = try ConfigFolder()
        do {
            _ = try Config.load(path: folder.path + "/missing.toml")
            Issue.record("loaded a missing file")
        } catch {
            #expect(error.problems == [ConfigProblem(line: 0, "无法读取配置文件(不存在或没有读权限)")])
            #expect(error.description == "配置文件 \(folder.path)/missing.toml:无法读取配置文件(不存在或没有读权限)")
        }
        try Data([0x73, 0x3D, 0xFF, 0xFE]).write(to: URL(fileURLWithPath: folder.file))
        do {
            _ = try Config.load(path: folder.file)
            Issue.record("loaded a file that is not UTF-8")
        } catch {
            #expect(error.problems == [ConfigProblem(line: 0, "配置文件不是UTF-8文本")])
        }
    }
}

import Foundation
import RubricEngine
import Testing
import ZwgkFormats
import ZwgkTestSupport

@Suite(.timeLimit(.minutes(10))) struct Snapshots {
    @Test func writesAllFilesWithQuarterCutoffsAndKeepsThemUnlessForced() throws {
        let box = try Sandbox()
        try box.drop(
            "a.json",
            """
            [\(goodFinding),
             {"type": "finding", "id": "q3", "year": 2023, "date": "2023-08-01", "unit": "城东街道", "indicator": "财政预决算"}]
            """)
        try box.zwgk(["daemon", "--once"])
        let q2 = try box.zwgk(["snapshot", "--period", "2023-Q2"])
        #expect(q2.status == 0, "\(q2.err)")
        let folder = box.reports + "/2023/Q2"
        #expect(q2.out == folder + "\n")
        #expect(box.names(folder) == ["manifest.json", "rectification.csv", "report.html", "scores.csv", "scores.json", "scores.xlsx", "summary.md"])

        guard case .object(let doc) = try JSONReader.parse(try box.read(folder + "/scores.json")),
            case .array(let units)? = doc["units"]
        else {
            Issue.record("bad scores.json")
            return
        }
        #expect(doc["year"] == .number("2023"))
        #expect(doc["period"] == .string("Q2"))
        #expect(doc["cutoff"] == .string("2023-06-30"))
        var byName: [String: JSONObject] = [:]
        for case .object(let u) in units { if case .string(let n)? = u["unit"] { byName[n] = u } }
        #expect(byName["城东街道"]?["total"] == .number("100"))  // the Q3 finding is after the cutoff
        #expect(byName["市财政局"]?["total"] == .number("99"))
        #expect(byName["市财政局"]?["pending"] == .array([.string("双公示数据报送情况"), .string("行政事业性收费")]))
        #expect(byName["市财政局"]?["rank"] == .number("2"))

        let csv = try Data(contentsOf: URL(fileURLWithPath: folder + "/scores.csv"))
        #expect(Array(csv.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(String(decoding: csv, as: UTF8.self).contains("\r\n"))

        let html = try box.read(folder + "/report.html")
        #expect(html.contains("<html lang=\"zh-CN\">"))
        #expect(html.contains("未评"))
        #expect(!html.contains("http://") && !html.contains("https://"), "report must not load anything from the network")

        guard case .object(let manifest) = try JSONReader.parse(try box.read(folder + "/manifest.json")),
            case .object(let sums)? = manifest["files"]
        else {
            Issue.record("bad manifest")
            return
        }
        for name in ["scores.json", "scores.csv", "report.html", "scores.xlsx"] {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
            #expect(sums[name] == .string(ContentHash.hex(Array(bytes))), "\(name)")
        }

        let annual = try box.zwgk(["snapshot", "--period", "2023-annual"])
        #expect(annual.status == 0)
        #expect(try box.read(box.reports + "/2023/annual/scores.json").contains("\"total\": 96"))

        let before = try box.read(folder + "/scores.json")
        try box.drop("late.json", #"{"type": "finding", "id": "late", "year": 2023, "date": "2023-04-01", "unit": "城西街道", "indicator": "财政预决算"}"#)
        try box.zwgk(["daemon", "--once"])
        let again = try box.zwgk(["snapshot", "--period", "2023-Q2"])
        #expect(again.status == 0)
        #expect(again.err.contains("已存在,保持不变"))
        #expect(try box.read(folder + "/scores.json") == before)
        let forced = try box.zwgk(["snapshot", "--period", "2023-Q2", "--force"])
        #expect(forced.err.contains("重写"))
        #expect(try box.read(folder + "/scores.json") != before)
        #expect(box.names(box.reports + "/2023") == ["Q2", "annual"])
    }

    @Test func aBadPeriodIsExplained() throws {
        let box = try Sandbox()
        let run = try box.zwgk(["snapshot", "--period", "2023-Q5"])
        #expect(run.status != 0)
        #expect(run.err.contains("2023-Q1 … 2023-Q4 或 2023-annual"))
    }
}

@Suite(.timeLimit(.minutes(10))) struct Status {
    @Test func reportsCountsBacklogAndStoppedState() throws {
        let box = try Sandbox()
        try box.drop("a.json", goodFinding)
        try box.drop("b.json", "{")
        try box.zwgk(["daemon", "--once"])
        try box.drop("c.json", goodNotice)
        let run = try box.zwgk(["status"])
        #expect(run.status == 3, "stopped daemon must not exit 0")
        #expect(run.out.contains("状态:未运行"))
        #expect(run.out.contains("待处理:1 个文件"))
        #expect(run.out.contains("累计:接收 1,重复 0,拒收 1,入账记录 1 条"))
        #expect(run.out.contains("最近拒收:b.json"))
        let json = try box.zwgk(["status", "--format", "json"])
        guard case .object(let o) = try JSONReader.parse(json.out) else {
            Issue.record("not JSON")
            return
        }
        #expect(o["state"] == .string("stopped"))
        #expect(o["backlog"] == .number("1"))
    }

    @Test func unhealthyWhenUnitsFileIsBroken() throws {
        let box = try Sandbox(units: "[[unit]]\nname = \"x\"\nclass = \"Z\"\n")
        let run = try box.zwgk(["status"])
        #expect(run.status == 1)
        #expect(run.out.contains("状态:异常"))
        #expect(run.out.contains("第1行"))
    }
}

@Suite(.serialized, .timeLimit(.minutes(10))) struct SnapshotOnAFullDisk {
    /// The report runs out of space half-way: the command says so, nothing half-written is left behind,
    /// and once there is room the same command writes the whole snapshot.
    @Test func leavesNothingHalfWrittenAndSucceedsOnceThereIsRoom() throws {
        let disk = try SmallDisk(sizeKiB: 256)
        let box = try Sandbox()
        let records = (1...2_000).map { finding("d\($0)", date: "2023-0\($0 % 9 + 1)-1\($0 % 9)") }
        try box.drop("many.json", "[" + records.joined(separator: ",") + "]")
        try box.zwgk(["daemon", "--once"])
        let snapshot = [
            "snapshot", "--period", "2023-annual", "--config", box.root + "/zwgk.toml", "--spool", box.spool,
            "--state", box.state, "--reports", disk.path, "--units", box.units,
        ]

        let failed = try box.zwgk(snapshot, paths: false)
        #expect(failed.status != 0)
        #expect(failed.err.contains("写入") && failed.err.contains("失败"), "\(failed.err)")
        #expect(box.names(disk.path + "/2023") == [], "a partial snapshot or temporary folder was left")

        let grow = Process()
        grow.executableURL = URL(fileURLWithPath: "/bin/mount")
        grow.arguments = ["-o", "remount,size=8192k", disk.path]
        try grow.run()
        grow.waitUntilExit()
        let written = try box.zwgk(snapshot, paths: false)
        #expect(written.status == 0, "\(written.err)")
        #expect(box.names(disk.path + "/2023") == ["annual"])
        #expect(
            box.names(disk.path + "/2023/annual") == [
                "manifest.json", "rectification.csv", "report.html", "scores.csv", "scores.json", "scores.xlsx", "summary.md",
            ])
        #expect(try box.read(disk.path + "/2023/annual/report.html").contains("d2000"))
    }
}

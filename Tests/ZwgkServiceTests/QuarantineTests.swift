import Foundation
import Logging
import Testing
import ZwgkTestSupport

@testable import ZwgkService

/// A file or snapshot the daemon dies on (`ZWGK_FAULT` kills it there, as an unknown trap or the OOM killer
/// would) is set aside after the second death, and intake goes on; one death alone is forgiven.
@Suite(.serialized, .timeLimit(.minutes(10))) struct Quarantine {
    static func finding(_ id: String, unit: String = "城东街道") -> String {
        #"{"type": "finding", "id": "\#(id)", "year": 2023, "date": "2023-06-01", "unit": "\#(unit)", "indicator": "综合加分项", "points": 1}"#
    }

    /// Drops three files, in this order of arrival: the one in the middle is the one the fault kills on.
    func dropThree(_ box: Sandbox) throws {
        try box.drop("a.json", Self.finding("q-1"))
        usleep(20_000)  // (arrival order is the status-change time)
        try box.drop("poison.json", Self.finding("q-2"))
        usleep(20_000)
        try box.drop("c.json", Self.finding("q-3", unit: "城西街道"))
    }

    @Test func aFileTheDaemonDiesOnTwiceIsSetAsideAndTheBacklogGoesOn() throws {
        let box = try Sandbox()
        try dropThree(box)
        // systemd restarts the service into the same file: it dies there twice.
        for death in 1...2 {
            let run = try box.zwgk(["daemon", "--once"], environment: ["ZWGK_FAULT": "deciding:poison.json"])
            #expect(run.signal == SIGKILL, "death \(death): \(run.status) \(run.err)")
            #expect(box.names(box.incoming) == ["a.json", "c.json", "poison.json"], "the batch was not committed")
        }
        // The third start (in process, to read its log events) sets the file aside without reading it, and goes on.
        let log = CapturedLog()
        let summary = try Daemon(config: box.config, logger: log.logger).ingestWaiting()
        #expect(summary.accepted == 2 && summary.rejected == 1 && summary.quarantined == 1, "\(summary)")
        #expect(box.names(box.incoming).isEmpty)
        #expect(box.names(box.accepted) == ["a.json", "c.json"])
        #expect(box.names(box.rejected) == ["poison.json", "poison.json.why.txt"])
        let why = try box.read(box.rejected + "/poison.json.why.txt")
        #expect(why.contains("两次意外停止") && why.contains("发送给系统管理员"), "\(why)")
        let events = log.with(.fileQuarantined)
        #expect(events.count == 1 && events.first?.metadata["file"] == "poison.json", "\(log.all.map(\.message))")
        #expect(log.all.contains { $0.message.contains("上次运行在检查文件 poison.json时意外停止(第 2 次)") }, "\(log.all.map(\.message))")
        // Each file once in the ledger, the set-aside one as rejected; nothing counted from it.
        #expect(try box.sql("SELECT name || ':' || outcome FROM files ORDER BY name") == "a.json:accepted\nc.json:accepted\npoison.json:rejected")
        #expect(try box.sql("SELECT COUNT(*) FROM records") == "2")
        // A later start does not count it again, nor keep a note of it.
        #expect(try box.zwgk(["daemon", "--once"]).status == 0)
        #expect(!(try box.read(box.state + "/crashes.json")).contains("poison.json"))
    }

    @Test func oneDeathIsForgivenWhenTheFileThenPasses() throws {
        let box = try Sandbox()
        try dropThree(box)
        let died = try box.zwgk(["daemon", "--once"], environment: ["ZWGK_FAULT": "deciding:poison.json"])
        #expect(died.signal == SIGKILL, "\(died.err)")
        #expect(try box.read(box.state + "/working.json").contains("poison.json"), "the note names the file it died on")
        let run = try box.zwgk(["daemon", "--once"])
        #expect(run.status == 0, "\(run.err)")
        #expect(run.err.contains("上次运行在检查文件 poison.json时意外停止(第 1 次);再次停在这里将跳过它"), "\(run.err)")
        #expect(box.names(box.accepted) == ["a.json", "c.json", "poison.json"])
        #expect(box.names(box.rejected).isEmpty)
        #expect(!(try box.read(box.state + "/crashes.json")).contains("poison.json"), "the death was forgiven")
    }

    /// A snapshot the daemon dies writing, twice, is skipped: `zwgk status` says so, the other periods are written
    /// and files are still taken in.
    @Test func aSnapshotTheDaemonDiesOnTwiceIsSkippedAndIntakeGoesOn() throws {
        let box = try Sandbox()
        try box.configure("rescan_seconds = 0.2")
        try box.drop("a.json", Self.finding("s-1"))
        let fault = ["ZWGK_FAULT": "snapshot-writing:2023-Q2"]
        for death in 1...2 {
            let daemon = try box.startDaemon(environment: fault)
            #expect(eventually(60) { !daemon.isRunning }, "death \(death)")
            if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) }
            daemon.waitUntilExit()
            #expect(daemon.terminationReason == .uncaughtSignal && daemon.terminationStatus == SIGKILL, "death \(death): \(box.daemonLog)")
            #expect(!FileManager.default.fileExists(atPath: box.reports + "/2023/Q2/manifest.json"))
        }
        let daemon = try box.startDaemon(environment: fault)
        defer { _ = stop(daemon) }
        #expect(eventually(60) { FileManager.default.fileExists(atPath: box.reports + "/2023/annual/manifest.json") }, "\(box.daemonLog)")
        #expect(daemon.isRunning)
        #expect(!FileManager.default.fileExists(atPath: box.reports + "/2023/Q2"), "no half-made folder left in place")
        try box.drop("b.json", Self.finding("s-2"))
        #expect(eventually(60) { box.names(box.accepted).contains("b.json") }, "\(box.daemonLog)")
        let status = try box.zwgk(["status"])
        #expect(status.out.contains("快照 2023-Q2 生成时服务两次意外停止,已跳过"), "\(status.out)")
        #expect(box.daemonLog.contains("上次运行在生成 2023-Q2 快照时意外停止(第 2 次);此后将跳过它"), "\(box.daemonLog)")
        // Written by hand once the cause is found: the skip ends.
        #expect(try box.zwgk(["snapshot", "--period", "2023-Q2"]).status == 0)
        #expect(!(try box.zwgk(["status"])).out.contains("已跳过"))
    }
}

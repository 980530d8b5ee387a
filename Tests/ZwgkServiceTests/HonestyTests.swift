import Foundation
import Testing
import ZwgkTestSupport

@testable import ZwgkService

/// What the daemon and `verify` say about their own I/O: a read error is not tampering, the health file is never
/// seen half-written, and a watch that failed is set up again.
@Suite(.serialized, .timeLimit(.minutes(10))) struct IOHonesty {
    /// A snapshot file that cannot be read is reported as unreadable, not as changed; a changed one still as changed.
    @Test func verifyTellsAReadErrorFromAMismatch() throws {
        let box = try Sandbox()
        try box.drop("a.json", goodFinding)
        #expect(try box.zwgk(["daemon", "--once"]).status == 0)
        #expect(try box.zwgk(["snapshot", "--period", "2023-Q2"]).status == 0)
        let folder = box.reports + "/2023/Q2"
        // A folder where the file was: opening it works, reading it fails (EISDIR), as an I/O error would.
        try FileManager.default.removeItem(atPath: folder + "/scores.csv")
        try FileManager.default.createDirectory(atPath: folder + "/scores.csv", withIntermediateDirectories: false)
        let unreadable = try box.zwgk(["verify"])
        #expect(unreadable.status == 1)
        #expect(unreadable.out.contains("有 1 个文件无法读取,未能核对(读写错误或权限问题,不是被改动的证据)"), "\(unreadable.out)")
        #expect(unreadable.out.contains("scores.csv 无法读取"), "\(unreadable.out)")
        #expect(!unreadable.out.contains("被改动过"), "\(unreadable.out)")
        let result = try Integrity.check(ledger: LedgerAccess.open(box.config, readOnly: true), reports: box.reports)
        #expect(result.ok && !result.complete && result.unreadable.count == 1)

        try FileManager.default.removeItem(atPath: folder + "/scores.csv")
        try "changed".write(toFile: folder + "/scores.csv", atomically: false, encoding: .utf8)
        let changed = try box.zwgk(["verify"])
        #expect(changed.status == 1 && changed.out.contains("与快照清单中的哈希不符:文件被改动过"), "\(changed.out)")
        #expect(!changed.out.contains("无法读取"), "\(changed.out)")
    }

    /// Each write replaces the file whole (a new inode in place, by one exchange with the spare), so a reader
    /// never sees a mix of two states.
    @Test func theHealthFileIsReplacedWhole() throws {
        let box = try Sandbox()
        try FileManager.default.createDirectory(atPath: box.state, withIntermediateDirectories: true)
        var health = Health(pid: 1, startedAt: "2023-01-01T00:00:00.000Z", watch: "inotify")
        func inode(_ path: String) throws -> UInt64 {
            try (FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        }
        health.write(state: box.state)
        let first = try inode(Health.path(state: box.state))
        health.problem = "磁盘已满"
        health.write(state: box.state)
        let second = try inode(Health.path(state: box.state))
        #expect(first != second, "written in place")
        #expect(Health.read(state: box.state) == health)
        health.problem = nil
        health.write(state: box.state)
        #expect(try inode(Health.path(state: box.state)) == first, "the spare is reused: its blocks stay allocated")
        #expect(Health.read(state: box.state) == health)
        #expect(try Data(contentsOf: URL(fileURLWithPath: Health.path(state: box.state))).count == Health.size)
    }

    /// The watcher's read fails once (`ZWGK_FAULT=watch-read`): the error is logged, the watch set up again, and
    /// files keep arriving through it (the backstop rescan is a day away).
    @Test func aFailedWatchIsLoggedAndStartedAgain() throws {
        let box = try Sandbox()
        try box.configure("rescan_seconds = 86400")
        let daemon = try box.startDaemon(environment: ["ZWGK_FAULT": "watch-read"])
        defer { _ = stop(daemon) }
        #expect(eventually { box.daemonLog.contains("zwgk 已启动") })
        try box.drop("a.json", finding("w-1"))
        #expect(eventually { box.daemonLog.contains("监视投递目录 \(box.incoming) 出错(read: Input/output error),重新开始监视") }, "\(box.daemonLog)")
        #expect(eventually { box.names(box.accepted).contains("a.json") }, "\(box.daemonLog)")
        try box.drop("b.json", finding("w-2"))
        #expect(eventually { box.names(box.accepted).contains("b.json") }, "\(box.daemonLog)")
    }
}

import Foundation
import Testing
import ZwgkFormats
import ZwgkTestSupport

@Suite(.serialized, .timeLimit(.minutes(10))) struct RunningDaemon {
    @Test func watchesMergesReportsStatusAndStopsGracefully() throws {
        let box = try Sandbox()
        try box.drop("before.json", finding("b1"))  // waiting before start: taken by the start-up scan
        let daemon = try box.startDaemon()
        #expect(eventually { box.names(box.accepted) == ["before.json"] }, "\(box.daemonLog)")

        let status = try box.zwgk(["status"])
        #expect(status.status == 0, "\(status.out)")
        #expect(status.out.contains("状态:运行中(pid \(daemon.processIdentifier),inotify)"))

        for i in 1...20 { try box.drop("f\(i).json", finding("f\(i)")) }
        try box.drop("bad.json", "[")
        #expect(eventually { box.names(box.accepted).count == 21 && box.names(box.rejected).count == 2 }, "\(box.daemonLog)")
        #expect(try box.totals()["城东街道"] == "95")  // 21 × 0.5 = 10.5, capped at 5

        let seconds = try #require(stop(daemon))
        #expect(seconds < 15, "graceful stop took \(seconds) s")  // not the 20 s after which stop() kills it
        #expect(daemon.terminationStatus == 0)
        #expect(try box.zwgk(["status"]).status == 3)
        #expect(box.daemonLog.contains("zwgk 已停止"))
    }

    @Test func pollModeServesFoldersWhereInotifyIsSilent() throws {
        let box = try Sandbox()
        try box.configure("watch = \"poll\"\npoll_seconds = 0.2")
        let daemon = try box.startDaemon()
        defer { _ = stop(daemon) }
        try box.drop("a.json", finding("a"))
        #expect(eventually { box.names(box.accepted) == ["a.json"] }, "\(box.daemonLog)")
        #expect(box.daemonLog.contains("watch=poll"))
    }

    @Test func aFileStillOpenForWritingIsNotTakenHalfWritten() throws {
        let box = try Sandbox()
        try box.configure("rescan_seconds = 0.2")
        let daemon = try box.startDaemon()
        defer { _ = stop(daemon) }
        // A writer creates the file in place and writes it in two parts.
        let path = box.incoming + "/slow.json"
        FileManager.default.createFile(atPath: path, contents: nil)
        let writer = try #require(FileHandle(forWritingAtPath: path))
        writer.write(Data("[\(finding("s1")),".utf8))
        // Several rescans pass while it is open: it must stay where it is.
        #expect(!eventually(1.0) { box.names(box.incoming).isEmpty })
        #expect(box.names(box.rejected).isEmpty)
        writer.write(Data(" \(finding("s2"))]".utf8))
        try writer.close()
        #expect(eventually { box.names(box.accepted) == ["slow.json"] }, "\(box.daemonLog)")
        #expect(try box.sql("SELECT COUNT(*) FROM records") == "2")
    }

    @Test func reloadTakesANewUnitsFileAndKeepsTheOldOneWhenTheNewIsBad() throws {
        let box = try Sandbox()
        let daemon = try box.startDaemon()
        defer { _ = stop(daemon) }
        #expect(eventually { FileManager.default.fileExists(atPath: box.state + "/health.json") })
        let units = try box.read(box.units)
        try (units + "\n[[unit]]\nname = \"虞乡镇\"\nclass = \"A\"\n").write(toFile: box.units, atomically: true, encoding: .utf8)
        kill(daemon.processIdentifier, SIGHUP)
        #expect(eventually { box.daemonLog.contains("已重新加载") })
        try box.drop("new.json", finding("n1", unit: "虞乡镇"))
        #expect(eventually { box.names(box.accepted) == ["new.json"] }, "\(box.daemonLog)")

        try "[[unit]]\nname = \"x\"\nclass = \"Q\"\n".write(toFile: box.units, atomically: true, encoding: .utf8)
        kill(daemon.processIdentifier, SIGHUP)
        #expect(eventually { box.daemonLog.contains("重新加载失败,继续使用原有配置") })
        #expect(box.daemonLog.contains("第1行"))
        try box.drop("still.json", finding("n2", unit: "虞乡镇"))
        #expect(eventually { box.names(box.accepted).contains("still.json") }, "\(box.daemonLog)")
    }

    @Test func reloadWithABadConfigFileKeepsTheOldOne() throws {
        let box = try Sandbox()
        let daemon = try box.startDaemon()
        defer { _ = stop(daemon) }
        #expect(eventually { FileManager.default.fileExists(atPath: box.state + "/health.json") })
        try box.configure("watch = \"inotfy\"\ncolour = \"blue\"")  // lines 2 and 3, after the sandbox's timezone
        kill(daemon.processIdentifier, SIGHUP)
        #expect(eventually { box.daemonLog.contains("重新加载失败,继续使用原有配置") }, "\(box.daemonLog)")
        let log = box.daemonLog
        #expect(log.contains("共2处问题"), "\(log)")
        #expect(log.contains("第2行:watch 只能是 \"inotify\" 或 \"poll\",现在是“inotfy”"), "\(log)")
        #expect(log.contains("第3行:未知的配置项“colour”"), "\(log)")
        #expect(daemon.isRunning)
        try box.drop("after.json", finding("h1"))
        #expect(eventually { box.names(box.accepted) == ["after.json"] }, "\(box.daemonLog)")

        // Given the daemon's folders, `zwgk status` finds it running, on inotify still, and tells of the failed reload.
        let status = { try box.zwgk(["status", "--spool", box.spool, "--state", box.state, "--reports", box.reports, "--units", box.units], paths: false) }
        #expect(eventually { (try? status().out.contains("最近错误:重新加载失败,继续使用原有配置")) == true }, "\(box.daemonLog)")
        let run = try status()
        #expect(run.status == 0, "\(run.out)\(run.err)")
        #expect(run.out.contains("状态:运行中(pid \(daemon.processIdentifier),inotify)"), "\(run.out)")
        // Pointed at the broken file, it names every problem of it.
        let named = try box.zwgk(["status"])
        #expect(named.status == 1)
        #expect(named.err.contains("共2处问题") && named.err.contains("第2行") && named.err.contains("第3行"), "\(named.err)")
    }

    @Test func theWatchComesBackWithTheIncomingFolder() throws {
        let box = try Sandbox()
        try box.configure("rescan_seconds = 300")  // only a live inotify watch can pick the file up promptly
        let daemon = try box.startDaemon()
        defer { _ = stop(daemon) }
        #expect(eventually { FileManager.default.fileExists(atPath: box.state + "/health.json") })
        try FileManager.default.removeItem(atPath: box.incoming)
        #expect(eventually { (try? box.zwgk(["status"]).out.contains("投递目录")) == true }, "\(box.daemonLog)")
        try FileManager.default.createDirectory(atPath: box.incoming, withIntermediateDirectories: false)
        #expect(eventually { box.daemonLog.contains("重新开始监视") }, "\(box.daemonLog)")
        try box.drop("back.json", finding("w1"))
        #expect(eventually(30) { box.names(box.accepted) == ["back.json"] }, "\(box.daemonLog)")  // well before a rescan
        #expect(try box.zwgk(["status"]).status == 0)
    }

    @Test func missingSpoolIsAClearErrorAtStart() throws {
        let box = try Sandbox()
        try FileManager.default.removeItem(atPath: box.spool)
        let run = try box.zwgk(["daemon"])
        #expect(run.status != 0)
        #expect(run.err.contains("投递目录 \(box.spool) 不存在"))
    }

    @Test func aSecondDaemonIsRefusedAndNamesTheFirst() throws {
        let box = try Sandbox()
        let first = try box.startDaemon()
        defer { _ = stop(first) }
        #expect(eventually { FileManager.default.fileExists(atPath: box.state + "/health.json") })
        let second = try box.zwgk(["daemon"])
        #expect(second.status != 0)
        #expect(second.err.contains("pid \(first.processIdentifier)"))
    }

    @Test func namesWithOddBytesDevicesAndOversizeFilesEndSomewhere() throws {
        let box = try Sandbox()
        // A name that is not UTF-8 (GBK bytes for 财政), written with raw bytes.
        var raw = Array((box.incoming + "/").utf8) + [0xB2, 0xC6, 0xD5, 0xFE] + Array(".json".utf8)
        raw.append(0)
        let fd = raw.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT, 0o644) } }
        #expect(fd >= 0)
        _ = finding("gbk").withCString { write(fd, $0, strlen($0)) }
        close(fd)
        #expect(mknod(box.incoming + "/device.json", S_IFCHR | 0o644, dev_t(1 << 8 | 3)) == 0)
        try box.drop("big.json", "[" + Array(repeating: finding("x"), count: 9000).joined(separator: ",") + "]")
        let run = try box.zwgk(["daemon", "--once"])
        #expect(run.status == 0, "\(run.err)")
        #expect(box.names(box.incoming).isEmpty)
        #expect(box.names(box.accepted) == ["%B2%C6%D5%FE.json"])
        #expect(try box.read(box.rejected + "/device.json.why.txt").contains("不是普通文件"))
        #expect(try box.read(box.rejected + "/big.json.why.txt").contains("超过1 MiB"))
    }
}

/// Mounts a small tmpfs at a new folder for the test; unmounted when released.
final class SmallDisk {
    let path: String
    init(sizeKiB: Int) throws {
        path = NSTemporaryDirectory() + "zwgk-disk-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/mount")
        p.arguments = ["-t", "tmpfs", "-o", "size=\(sizeKiB)k", "tmpfs", path]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw StartFailure(message: "mount tmpfs failed (needs root)") }
    }
    deinit {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/umount")
        p.arguments = ["-l", path]
        try? p.run()
        p.waitUntilExit()
        try? FileManager.default.removeItem(atPath: path)
    }
}

@Suite(.serialized, .timeLimit(.minutes(10))) struct FullDisk {
    @Test func stopsTakingFilesReportsItAndResumesWhenSpaceReturns() throws {
        let disk = try SmallDisk(sizeKiB: 2048)
        let box = try Sandbox()
        // Spool and state on the small disk; the sandbox keeps units and config.
        for folder in ["spool/incoming", "spool/accepted", "spool/rejected", "var"] {
            try FileManager.default.createDirectory(atPath: disk.path + "/" + folder, withIntermediateDirectories: true)
        }
        let args = ["--spool", disk.path + "/spool", "--state", disk.path + "/var"]
        let daemon = try box.startDaemon(args)
        let status = { try box.zwgk(["status", "--config", box.root + "/zwgk.toml", "--reports", box.reports, "--units", box.units] + args, paths: false) }
        defer { _ = stop(daemon) }
        #expect(eventually { FileManager.default.fileExists(atPath: disk.path + "/var/health.json") })

        // Prepare a drop file, then fill the disk to the last byte, then rename the file in.
        let records = (1...400).map { finding("d\($0)", date: "2023-0\($0 % 9 + 1)-1\($0 % 9)") }
        try ("[" + records.joined(separator: ",") + "]").write(toFile: disk.path + "/spool/.full.json", atomically: false, encoding: .utf8)
        let filler = disk.path + "/filler"
        let fill = Process()
        fill.executableURL = URL(fileURLWithPath: "/bin/dd")
        fill.arguments = ["if=/dev/zero", "of=\(filler)", "bs=4k"]
        fill.standardError = FileHandle.nullDevice
        try fill.run()
        fill.waitUntilExit()
        try FileManager.default.moveItem(atPath: disk.path + "/spool/.full.json", toPath: disk.path + "/spool/incoming/full.json")

        let unhealthy = eventually { (try? status().out.contains("磁盘已满")) ?? false }
        #expect(unhealthy, "\(box.daemonLog)")
        #expect(try status().status == 1)
        #expect(box.names(disk.path + "/spool/incoming") == ["full.json"], "the file must wait, not be lost")

        try FileManager.default.removeItem(atPath: filler)
        #expect(eventually { box.names(disk.path + "/spool/accepted") == ["full.json"] }, "\(box.daemonLog)")
        #expect(eventually { (try? status().status) == 0 })
        #expect(box.daemonLog.contains("已恢复正常"))
        let count = Process()
        count.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        count.arguments = [disk.path + "/var/ledger.sqlite", "SELECT COUNT(*) FROM records"]
        let out = Pipe()
        count.standardOutput = out
        try count.run()
        count.waitUntilExit()
        #expect(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).hasPrefix("400"))
    }
}

@Suite(.serialized, .timeLimit(.minutes(10))) struct UnwritableSpool {
    @Test func aReadOnlySpoolIsAClearErrorAtStart() throws {
        let disk = try SmallDisk(sizeKiB: 1024)
        for folder in ["spool/incoming", "spool/accepted", "spool/rejected"] {
            try FileManager.default.createDirectory(atPath: disk.path + "/" + folder, withIntermediateDirectories: true)
        }
        let remount = Process()
        remount.executableURL = URL(fileURLWithPath: "/bin/mount")
        remount.arguments = ["-o", "remount,ro", disk.path]
        try remount.run()
        remount.waitUntilExit()
        #expect(remount.terminationStatus == 0)
        let box = try Sandbox()
        let run = try box.zwgk(
            [
                "daemon", "--config", box.root + "/zwgk.toml", "--spool", disk.path + "/spool", "--state", box.state,
                "--reports", box.reports, "--units", box.units,
            ], paths: false)
        #expect(run.status != 0)
        #expect(run.err.contains("投递目录 \(disk.path)/spool/incoming 没有写权限"), "\(run.err)")
    }
}

/// The deployed layout: the daemon runs as its own user with umask 027 (ledger 0640 in a 0750 state
/// folder); staff in its group read scores, status and history while it writes; others are told why not.
@Suite(.serialized, .timeLimit(.minutes(10))) struct StaffAccess {
    static let service = ["/usr/bin/setpriv", "--reuid=4242", "--regid=4242", "--clear-groups", "/bin/sh", "-c", #"umask 027; exec "$0" "$@""#]
    static let staff = ["/usr/bin/setpriv", "--reuid=4243", "--regid=4243", "--groups=4242"]
    static let outsider = ["/usr/bin/setpriv", "--reuid=4244", "--regid=4244", "--clear-groups"]

    @Test func staffInTheGroupReadTheLedgerWhileTheDaemonWrites() throws {
        let box = try Sandbox()
        for folder in [box.spool, box.incoming, box.accepted, box.rejected, box.reports, box.state] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.ownerAccountID: 4242, .groupOwnerAccountID: 4242], ofItemAtPath: folder)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o750], ofItemAtPath: box.state)
        let daemon = try box.startDaemon(runAs: StaffAccess.service)
        defer { _ = stop(daemon) }
        try box.drop("a.json", finding("s1"))
        #expect(eventually { box.names(box.accepted) == ["a.json"] }, "\(box.daemonLog)")
        let mode = try FileManager.default.attributesOfItem(atPath: box.state + "/ledger.sqlite")[.posixPermissions] as? Int
        #expect(mode == 0o640)

        // While the daemon holds the ledger open in WAL mode, a second file arrives and staff read both.
        try box.drop("b.json", finding("s2"))
        #expect(eventually { box.names(box.accepted) == ["a.json", "b.json"] }, "\(box.daemonLog)")
        let totals = try box.totals(runAs: StaffAccess.staff)
        #expect(totals["城东街道"] == "99", "\(totals)")  // two findings of 0.5
        let history = try box.zwgk(["history", "--unit", "城东街道"], runAs: StaffAccess.staff)
        #expect(history.status == 0 && history.out.contains("s2"), "\(history.err)")
        let status = try box.zwgk(["status"], runAs: StaffAccess.staff)
        #expect(status.status == 0 && status.out.contains("接收 2"), "\(status.out)\(status.err)")

        let denied = try box.zwgk(["scores", "--year", "2023"], runAs: StaffAccess.outsider)
        #expect(denied.status != 0)
        #expect(denied.err.contains("请以 zwgk 组的用户运行"), "\(denied.err)")
    }
}

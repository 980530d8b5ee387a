import Foundation
import Synchronization
import Testing
import ZwgkTestSupport

let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

@Suite(.timeLimit(.minutes(10))) struct DeployFiles {
    @Test func theUnitVerifiesAndRatesSafe() throws {
        let box = try Sandbox()
        let unit = box.root + "/zwgk.service"
        let text = try box.read(repository + "/deploy/zwgk.service").replacing("/usr/local/lib/zwgk/zwgk", with: Sandbox.binary)
        try text.write(toFile: unit, atomically: true, encoding: .utf8)
        let verify = try runProgram("/usr/bin/systemd-analyze", ["verify", unit], environment: ["TMPDIR": box.root])
        #expect(verify.0 == 0, "\(verify.1)")
        #expect(!verify.1.contains("zwgk.service:"), "\(verify.1)")
        let security = try runProgram(
            "/usr/bin/systemd-analyze", ["security", "--offline=true", "--threshold=20", unit],
            environment: ["TMPDIR": box.root])
        let line = try #require(security.1.split(separator: "\n").first { $0.contains("Overall exposure level") })
        let score = try #require(Double(line.split(separator: ":").last!.split(separator: " ").first!))
        #expect(score <= 2.0, "\(line)")
    }

    @Test func installStagesEverythingAndSysusersAndTmpfilesApply() throws {
        let box = try Sandbox()
        let stage = box.root + "/stage"
        let install = try runProgram(
            "/bin/bash", [repository + "/deploy/install.sh"],
            environment: ["DESTDIR": stage, "ZWGK_BINARY": Sandbox.binary])
        #expect(install.0 == 0, "\(install.1)")
        for path in [
            "/usr/local/lib/zwgk/zwgk", "/usr/local/lib/zwgk/zwgk_RubricEngine.resources/rubric-2023.json", "/usr/local/bin/zwgk",
            "/etc/systemd/system/zwgk.service", "/etc/zwgk/zwgk.toml", "/etc/zwgk/units.toml",
            "/usr/lib/systemd/catalog/zwgk.catalog",
        ] {
            #expect(FileManager.default.fileExists(atPath: stage + path), "\(path) not installed")
        }
        // The installed command works from its own folder (it finds its rubric beside it).
        FileManager.default.createFile(atPath: box.root + "/empty.json", contents: nil)
        let check = try runProgram(
            stage + "/usr/local/lib/zwgk/zwgk",
            ["validate", "--units", stage + "/etc/zwgk/units.toml", "--state", box.state, box.root + "/empty.json"])
        #expect(check.1.contains("文件是空的"), "\(check.1)")
        let users = try runProgram("/usr/bin/systemd-sysusers", ["--root=\(stage)", "zwgk.conf"])
        #expect(users.0 == 0, "\(users.1)")
        #expect(try box.read(stage + "/etc/group").contains("zwgk-submit:x:"))
        let dirs = try runProgram("/usr/bin/systemd-tmpfiles", ["--root=\(stage)", "--create", "zwgk.conf"])
        #expect(dirs.0 == 0, "\(dirs.1)")
        var st = stat()
        #expect(stat(stage + "/var/spool/zwgk/incoming", &st) == 0)
        #expect(st.st_mode & 0o7777 == 0o2770)
        // The catalog parses: journalctl lists every MESSAGE_ID zwgk uses.
        let catalog = try runProgram("/usr/bin/journalctl", ["--root=\(stage)", "--update-catalog"])
        #expect(catalog.0 == 0, "\(catalog.1)")
        let listed = try runProgram("/usr/bin/journalctl", ["--root=\(stage)", "--list-catalog"])
        for id in [
            "da50aec4a88546f5af037df9c6f0c1ac", "7a927827deac4867a3796f1f77123840", "276d9d75e2d44455a9f558baf5a1ef34",
            "b8b33d06695d4800a0f1265fa6431f16", "97951f0e70a9456b958dcb0dbfec99ed", "e623afb3a1e14621b99f51ea91b656f1",
            "9c504cfa80cf482da81f0c155ce1a5e2", "722bcfed133d4a96ab12cf1c46a3b8d3", "52f7f3cbe9eb495cbe6ee5b2f3357188",
            "d5d3f26fea074195a21b0f3b47c68982", "bbb611ffc1ce4482a6df2794b7b1adef",
        ] {
            #expect(listed.1.contains(id), "catalog lacks \(id)")
        }
    }
}

/// A NOTIFY_SOCKET: a datagram socket that collects what the daemon sends, with arrival times.
final class NotifyListener: @unchecked Sendable {
    final class Inbox: Sendable {
        let messages = Mutex<[(Date, String)]>([])
        let stopped = Mutex(false)
    }

    let path: String
    private let fd: Int32
    private let inbox = Inbox()
    private var thread: Thread?

    init(folder: String) throws {
        path = folder + "/notify.sock"
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8)
            raw.copyBytes(from: bytes.prefix(raw.count - 1))
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw StartFailure(message: "bind \(path): \(errno)") }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let socketFD = fd
        let box = inbox
        let t = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !box.stopped.withLock({ $0 }) {
                let n = recv(socketFD, &buffer, buffer.count, 0)
                if n > 0 {
                    let text = String(decoding: buffer[..<n], as: UTF8.self)
                    box.messages.withLock { $0.append((Date(), text)) }
                }
            }
            close(socketFD)
        }
        t.start()
        thread = t
    }

    deinit { inbox.stopped.withLock { $0 = true } }

    /// Every `FIELD=value` line received so far, in order.
    var lines: [String] { inbox.messages.withLock { $0.flatMap { $0.1.split(separator: "\n").map(String.init) } } }
    var datagrams: [(Date, String)] { inbox.messages.withLock { $0 } }

    func count(_ line: String) -> Int { lines.filter { $0 == line }.count }
    func last(prefix: String) -> String? { lines.last { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) } }
}

@Suite(.serialized, .timeLimit(.minutes(10))) struct NotifySocket {
    @Test func readyStatusWatchdogReloadAndStoppingAgainstARealSocket() throws {
        let box = try Sandbox()
        let listener = try NotifyListener(folder: box.root)
        for i in 1...3 { try box.drop("backlog\(i).json", finding("b\(i)")) }
        let daemon = try box.startDaemon(environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "400000"])
        defer { _ = stop(daemon, signal: SIGKILL) }

        #expect(eventually { listener.count("READY=1") == 1 }, "\(listener.lines) \(box.daemonLog)")
        // READY came after the state was open, the watch was in place and the backlog was merged.
        #expect(box.names(box.accepted).count == 3)
        let ready = try #require(listener.datagrams.first { $0.1.contains("READY=1") })
        #expect(ready.1.contains("STATUS=运行中:待处理 0 个文件,今日接收 3、拒收 0、重复 0"))

        // STATUS follows the files as they arrive.
        try box.drop("new.json", finding("n1"))
        try box.drop("bad.json", "{")
        #expect(eventually { listener.last(prefix: "STATUS=")?.contains("今日接收 4、拒收 1") == true }, "\(listener.lines)")
        // The same words as `zwgk status`, once both have counted the new file's overdue item (the daemon
        // counts overdue items just after the files, and sends STATUS at most once a second).
        var status = ""
        #expect(
            eventually {
                status = (try? box.zwgk(["status"]).out) ?? ""
                return status.contains("概况:" + (listener.last(prefix: "STATUS=") ?? "(none)"))
            }, "\(status) vs \(listener.lines)")

        // Watchdog pings at half of WATCHDOG_USEC while idle.
        let before = listener.count("WATCHDOG=1")
        #expect(eventually { listener.count("WATCHDOG=1") >= before + 3 }, "\(listener.lines)")

        // Reload: RELOADING=1 with MONOTONIC_USEC, then READY=1 again.
        kill(daemon.processIdentifier, SIGHUP)
        #expect(eventually { listener.count("READY=1") == 2 }, "\(listener.lines)")
        let reloading = try #require(listener.datagrams.first { $0.1.contains("RELOADING=1") })
        #expect(reloading.1.contains("MONOTONIC_USEC="))

        #expect(stop(daemon) != nil)
        #expect(listener.count("STOPPING=1") == 1)
    }

    @Test func aStuckLoopStopsPingingTheWatchdog() throws {
        let box = try Sandbox()
        let listener = try NotifyListener(folder: box.root)
        let daemon = try box.startDaemon(environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "200000", "ZWGK_FAULT": "stuck"])
        defer { _ = stop(daemon, signal: SIGKILL) }
        #expect(eventually { listener.count("READY=1") == 1 && listener.count("WATCHDOG=1") >= 2 }, "\(listener.lines)")
        try box.drop("hang.json", finding("h1"))
        // The pass begins (whenever a loaded machine gets to it) and hangs: wait for two seconds without a
        // ping (twenty intervals), then check that the silence lasts.
        var silent = false
        let deadline = Date().addingTimeInterval(30)
        while !silent && Date() < deadline {
            let pings = listener.count("WATCHDOG=1")
            silent = !eventually(2) { listener.count("WATCHDOG=1") > pings }
        }
        #expect(silent, "a stuck loop kept pinging the watchdog")
        #expect(box.names(box.incoming) == ["hang.json"] && box.names(box.accepted).isEmpty, "the pass did not hang on the file")
        let pings = listener.count("WATCHDOG=1")
        #expect(!eventually(2) { listener.count("WATCHDOG=1") > pings }, "a stuck loop pinged the watchdog again")
    }

    @Test func outsideSystemdNothingIsSentAndNothingBreaks() throws {
        let box = try Sandbox()
        let daemon = try box.startDaemon(environment: ["NOTIFY_SOCKET": ""])
        try box.drop("a.json", finding("a"))
        #expect(eventually { box.names(box.accepted) == ["a.json"] })
        #expect(stop(daemon) != nil)
    }
}

@Suite(.serialized, .timeLimit(.minutes(10))) struct Journald {
    @Test func eventsReachARealJournaldWithTheirFields() throws {
        let box = try Sandbox()
        try box.drop("good.json", finding("g1"))
        try box.drop("bad.json", "{")
        let script = """
            ZWGK_LOG_TARGET=journal '\(Sandbox.binary)' daemon --once --config '\(box.root)/zwgk.toml' --spool '\(box.spool)' \
              --state '\(box.state)' --reports '\(box.reports)' --units '\(box.units)' >/dev/null 2>&1
            journalctl --sync
            journalctl -o json --no-pager SYSLOG_IDENTIFIER=zwgk > '\(box.root)/journal.json'
            """
        let run = try runProgram(repository + "/scripts/with-journald", ["bash", "-c", script])
        #expect(run.0 == 0, "\(run.1)")
        let entries = try box.read(box.root + "/journal.json").split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let accepted = try #require(entries.first { $0["MESSAGE_ID"] as? String == "7a927827deac4867a3796f1f77123840" }, "\(entries)")
        #expect(accepted["ZWGK_FILE"] as? String == "good.json")
        #expect(accepted["ZWGK_RECORD_IDS"] as? String == "g1")
        #expect(accepted["PRIORITY"] as? String == "6")
        #expect((accepted["MESSAGE"] as? String)?.contains("接收 good.json") == true)
        #expect((accepted["CODE_FILE"] as? String)?.hasSuffix("Ingest.swift") == true)
        #expect(Int(accepted["CODE_LINE"] as? String ?? "") != nil)
        #expect(accepted["CODE_FUNC"] != nil)
        let rejected = try #require(entries.first { $0["MESSAGE_ID"] as? String == "276d9d75e2d44455a9f558baf5a1ef34" })
        #expect(rejected["ZWGK_FILE"] as? String == "bad.json")
        #expect(rejected["PRIORITY"] as? String == "4")
        #expect((rejected["ZWGK_REASON"] as? String)?.contains("JSON格式错误") == true)
    }

    /// `zwgk approve` and `zwgk approve --revoke` each leave an event in the journal, with who, the year and the
    /// chain head.
    @Test func approvalsAndRevocationsReachTheJournal() throws {
        let box = try Sandbox()
        try box.drop("good.json", finding("g1"))
        let paths = "--config '\(box.root)/zwgk.toml' --spool '\(box.spool)' --state '\(box.state)' --reports '\(box.reports)' --units '\(box.units)'"
        let script = """
            '\(Sandbox.binary)' daemon --once \(paths) >/dev/null 2>&1
            ZWGK_LOG_TARGET=journal '\(Sandbox.binary)' approve --period 2023-annual --by 张三 --note 常务会议审定 --yes \(paths) >/dev/null
            ZWGK_LOG_TARGET=journal '\(Sandbox.binary)' approve --revoke --period 2023-annual --by 李四 --note 异议成立 \(paths) >/dev/null
            journalctl --sync
            journalctl -o json --no-pager SYSLOG_IDENTIFIER=zwgk > '\(box.root)/journal.json'
            """
        let run = try runProgram(repository + "/scripts/with-journald", ["bash", "-c", script])
        #expect(run.0 == 0, "\(run.1)")
        let entries = try box.read(box.root + "/journal.json").split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let approved = try #require(entries.first { $0["MESSAGE_ID"] as? String == "722bcfed133d4a96ab12cf1c46a3b8d3" }, "\(entries)")
        #expect(approved["ZWGK_BY"] as? String == "张三" && approved["ZWGK_YEAR"] as? String == "2023", "\(approved)")
        #expect((approved["ZWGK_CHAIN_HEAD"] as? String)?.count == 64, "\(approved)")
        let revoked = try #require(entries.first { $0["MESSAGE_ID"] as? String == "52f7f3cbe9eb495cbe6ee5b2f3357188" }, "\(entries)")
        #expect(revoked["ZWGK_BY"] as? String == "李四" && revoked["ZWGK_NOTE"] as? String == "异议成立", "\(revoked)")
    }
}

/// An overdue rectification item reaches a real journald once, with its unit and records, and a restart does
/// not repeat it; `zwgk status` says it in the STATUS words.
@Suite(.serialized, .timeLimit(.minutes(10))) struct OverdueInTheJournal {
    @Test func oneEventPerMissedDeadlineAcrossRestarts() throws {
        let box = try Sandbox()
        // Dated 2023: its deadline (15 days later) passed long ago on any machine running this.
        try box.drop("a.json", #"{"type": "finding", "id": "wsjc-07", "year": 2023, "date": "2023-05-12", "unit": "市财政局", "indicator": "财政预决算"}"#)
        let args = "--config '\(box.root)/zwgk.toml' --spool '\(box.spool)' --state '\(box.state)' --reports '\(box.reports)' --units '\(box.units)'"
        // Each run: start the daemon, wait (polling) until its health file shows its own check, stop it.
        let run = """
            ZWGK_LOG_TARGET=journal '\(Sandbox.binary)' daemon \(args) >/dev/null 2>&1 & P=$!
            for i in $(seq 1 1200); do
              grep -q "pid.: $P," '\(box.state)/health.json' 2>/dev/null && grep -q '"overdue": 1' '\(box.state)/health.json' && break
              sleep 0.05
            done
            '\(Sandbox.binary)' status \(args) > '\(box.root)/status-'$1.txt
            kill -TERM $P; wait $P
            grep -q '"overdue": 1' '\(box.state)/health.json' || { echo "run $1: the daemon never checked" >&2; exit 3; }
            """
        try run.write(toFile: box.root + "/run.sh", atomically: true, encoding: .utf8)
        let script = """
            set -e
            bash '\(box.root)/run.sh' 1
            bash '\(box.root)/run.sh' 2
            journalctl --sync
            journalctl -o json --no-pager SYSLOG_IDENTIFIER=zwgk > '\(box.root)/journal.json'
            """
        let result = try runProgram(repository + "/scripts/with-journald", ["bash", "-c", script])
        #expect(result.0 == 0, "\(result.1)")
        let entries = try box.read(box.root + "/journal.json").split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(entries.filter { $0["MESSAGE_ID"] as? String == "da50aec4a88546f5af037df9c6f0c1ac" }.count == 2, "two starts")
        let overdue = entries.filter { $0["MESSAGE_ID"] as? String == "9c504cfa80cf482da81f0c155ce1a5e2" }
        #expect(overdue.count == 1, "\(overdue)")
        let event = try #require(overdue.first)
        #expect(event["ZWGK_UNIT"] as? String == "市财政局")
        #expect(event["ZWGK_RECORD_IDS"] as? String == "wsjc-07")
        #expect(event["ZWGK_DEADLINE"] as? String == "2023-05-27")
        #expect(event["PRIORITY"] as? String == "5")
        #expect((event["MESSAGE"] as? String)?.hasPrefix("整改逾期:市财政局 的发现问题 wsjc-07(财政预决算)整改期限 2023-05-27 已过") == true)
        for n in [1, 2] {
            let status = try box.read(box.root + "/status-\(n).txt")
            #expect(status.contains(",逾期整改 1 项\n"), "\(status)")
        }
    }
}

/// The real unit from deploy/ under a real systemd PID 1 (`SystemdInstall`).
@Suite(.serialized, .timeLimit(.minutes(10))) struct UnderSystemd {
    @Test func startStatusJournalReloadWatchdogAndStop() async throws {
        // (Blocks for minutes: on a thread of its own, not one of the cooperative pool's.)
        try await blocking {
            let install = try SystemdInstall(watchdogSec: "3s")
            defer { install.down() }
            try install.up()
            let work = install.work
            let inside = install.inside
            let show = install.show
            func drop(_ name: String, _ id: String) throws { try install.drop(name, finding(id)) }

            #expect(try inside(["systemctl", "start", "zwgk"]).0 == 0)
            #expect(try show("ActiveState") == "active")
            try drop("a.json", "u1")
            #expect(eventually { FileManager.default.fileExists(atPath: work + "/spool/accepted/a.json") })
            #expect(eventually { (try? show("StatusText"))?.contains("今日接收 1") == true })
            // The finding's deadline (2023) passed long ago: the status line says so, and the journal once.
            #expect(eventually { (try? show("StatusText"))?.hasSuffix(",逾期整改 1 项") == true }, "\((try? show("StatusText")) ?? "")")
            let status = try inside(["systemctl", "status", "--no-pager", "zwgk"])
            #expect(status.1.contains("Status: \"运行中:待处理 0 个文件,今日接收 1、拒收 0、重复 0"), "\(status.1)")
            #expect(status.1.contains(",逾期整改 1 项\""), "\(status.1)")
            print("systemctl status zwgk (in the test namespace):\n\(status.1)")

            let journal = try inside(["journalctl", "-u", "zwgk", "-o", "json", "--no-pager", "MESSAGE_ID=7a927827deac4867a3796f1f77123840"])
            let entry = try #require(
                journal.1.split(separator: "\n").compactMap {
                    try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
                }.first)
            #expect(entry["ZWGK_FILE"] as? String == "a.json")
            #expect(entry["_SYSTEMD_UNIT"] as? String == "zwgk.service")
            let overdue = try inside(["journalctl", "-u", "zwgk", "-o", "json", "--no-pager", "MESSAGE_ID=9c504cfa80cf482da81f0c155ce1a5e2"])
            let notice = try #require(
                overdue.1.split(separator: "\n").compactMap {
                    try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
                }.first, "\(overdue.1)")
            #expect(notice["ZWGK_UNIT"] as? String == "城东街道" && notice["ZWGK_RECORD_IDS"] as? String == "u1", "\(notice)")

            // The unit is "reloading" from RELOADING=1 until the daemon's READY=1.
            #expect(try inside(["systemctl", "reload", "zwgk"]).0 == 0)
            #expect(eventually { (try? show("ActiveState")) == "active" })
            #expect(
                eventually {
                    (try? inside(["journalctl", "-u", "zwgk", "--no-pager", "-o", "cat"]).1.contains("已重新加载单位名单和考核细则")) == true
                })

            // A stuck loop: the watchdog fires and systemd restarts the service.
            try install.dropIn("stuck", "[Service]\nEnvironment=ZWGK_FAULT=stuck\n")
            _ = try inside(["systemctl", "restart", "zwgk"])
            try drop("b.json", "u2")
            #expect(eventually(60) { (try? show("Result")) == "watchdog" }, "Result=\((try? show("Result")) ?? "?")")
            #expect(eventually { (Int((try? show("NRestarts")) ?? "") ?? 0) >= 1 })
            try install.dropIn("stuck", nil)
            let restart = try inside(["systemctl", "restart", "zwgk"])
            #expect(restart.0 == 0, "\(restart.1)")
            let merged = eventually { FileManager.default.fileExists(atPath: work + "/spool/accepted/b.json") }
            let why =
                merged
                ? ""
                : try inside(["systemctl", "status", "--no-pager", "zwgk"]).1
                    + (try inside(["journalctl", "--no-pager", "-o", "short-monotonic", "-n", "100"]).1)
            #expect(merged, "the file waited through the restarts:\n\(why)")

            #expect(try inside(["systemctl", "stop", "zwgk"]).0 == 0)
            #expect(try show("ActiveState") == "inactive")
            #expect(try show("Result") == "success")
            #expect(try inside(["journalctl", "-u", "zwgk", "--no-pager", "-o", "cat"]).1.contains("zwgk 已停止"))
        }
    }
}

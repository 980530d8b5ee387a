import Foundation
import Logging
import Testing
import ZwgkFormats
import ZwgkTestSupport

@testable import ZwgkService

/// The defects a review of the service found, each with the test that failed before its fix.
@Suite(.serialized, .timeLimit(.minutes(10))) struct ReviewDefects {
    /// A second daemon on the same spool with another state folder would split the spool's files between
    /// two ledgers: it is refused, naming the first (pid and state folder).
    @Test func aSecondDaemonOnTheSameSpoolIsRefused() throws {
        let box = try Sandbox()
        let first = try box.startDaemon()
        defer { _ = stop(first) }
        #expect(eventually(20) { FileManager.default.fileExists(atPath: box.state + "/health.json") })
        let otherState = box.root + "/var2"
        let second = try box.zwgk(
            [
                "daemon", "--config", box.root + "/zwgk.toml", "--spool", box.spool, "--state", otherState,
                "--reports", box.reports, "--units", box.units,
            ], paths: false)
        #expect(second.status == 1)
        #expect(second.err.contains("pid \(first.processIdentifier)"), "\(second.err)")
        #expect(second.err.contains("状态目录 \(box.state)"), "\(second.err)")
        #expect(second.err.contains("投递目录 \(box.spool)"), "\(second.err)")
        // `--once` is a daemon too.
        let once = try box.zwgk(
            [
                "daemon", "--once", "--config", box.root + "/zwgk.toml", "--spool", box.spool, "--state", otherState,
                "--reports", box.reports, "--units", box.units,
            ], paths: false)
        #expect(once.status == 1 && once.err.contains("pid \(first.processIdentifier)"))
        #expect(first.isRunning)
    }

    /// Cancelling a watcher twice (as happens when re-watching fails after a cancel) never touches a
    /// descriptor number that was since given to something else.
    @Test func cancellingAWatcherTwiceLeavesOtherDescriptorsAlone() throws {
        let box = try Sandbox()
        let watcher = try Watcher(folder: box.incoming) { _ in }
        watcher.cancel()
        // The lowest free numbers go to the next opens, so these take the numbers the watcher freed.
        let mine = (0..<8).map { _ in open("/dev/null", O_RDONLY | O_CLOEXEC) }
        defer { for fd in mine { close(fd) } }
        watcher.cancel()
        for fd in mine { #expect(fcntl(fd, F_GETFD) != -1, "descriptor \(fd) was closed by the second cancel") }
    }

    /// `submit` places exactly the bytes it validated: the file is read once.
    @Test func submitPlacesTheBytesItValidated() throws {
        let box = try Sandbox()
        let config = box.config
        let checker = try DropChecker(config: config)
        let valid = Array(goodFinding.utf8)
        var reads = 0
        let outcome = try checker.submit(box.root + "/drop.json") { _ in
            reads += 1
            // A file someone rewrites between two reads: valid the first time, broken afterwards.
            let bytes = reads == 1 ? valid : Array("{broken".utf8)
            return .read(bytes: bytes, size: bytes.count)
        }
        guard case .placed(let path) = outcome else {
            Issue.record("refused: \(outcome)")
            return
        }
        #expect(reads == 1)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == valid)
    }

    /// A writer killed at any step of a snapshot leaves debris the next run removes, ending with exactly one
    /// complete snapshot; a forced replacement killed after its exchange keeps the new snapshot.
    @Test(arguments: ["snapshot-files", "snapshot-manifest", "snapshot-exchanged"])
    func aSnapshotKilledMidWayLeavesOneCompleteSnapshotAndNoDebris(fault: String) throws {
        let box = try Sandbox()
        try box.drop("a.json", finding("a", date: "2023-05-02"))
        #expect(try box.zwgk(["daemon", "--once"]).status == 0)
        if fault == "snapshot-exchanged" {
            #expect(try box.zwgk(["snapshot", "--period", "2023-Q2"]).status == 0)
            try box.drop("b.json", finding("b", date: "2023-05-03"))
            #expect(try box.zwgk(["daemon", "--once"]).status == 0)
        }
        let killed = try box.zwgk(
            ["snapshot", "--period", "2023-Q2"] + (fault == "snapshot-exchanged" ? ["--force"] : []),
            environment: ["ZWGK_FAULT": fault])
        #expect(killed.signal == SIGKILL, "\(fault): \(killed.status) \(killed.err)")
        let year = box.reports + "/2023"
        #expect(box.names(year).contains { $0.hasPrefix(".") }, "the kill left its temporary folder")

        let again = try box.zwgk(["snapshot", "--period", "2023-Q2"])
        #expect(again.status == 0, "\(again.err)")
        #expect(box.names(year) == ["Q2"], "\(box.names(year))")
        let folder = year + "/Q2"
        guard case .object(let manifest) = try JSONReader.parse(try box.read(folder + "/manifest.json")),
            case .object(let sums)? = manifest["files"], case .object(let records)? = manifest["records"]
        else {
            Issue.record("no manifest")
            return
        }
        #expect(sums.keys.sorted() == box.names(folder).filter { $0 != "manifest.json" }, "every file, each in the manifest")
        for name in sums.keys {
            #expect(sums[name] == .string(ContentHash.hex(Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))))), "\(name)")
        }
        // Before the exchange the old snapshot stays; after it, the new one (with both records) does.
        let expected = fault == "snapshot-exchanged" ? "2" : "1"
        #expect(records["count"] == .number(expected))
    }

    /// A folder without a manifest where a snapshot goes is set aside and removed once the snapshot is in place.
    @Test func aFolderWithoutAManifestIsReplacedWithoutDebris() throws {
        let box = try Sandbox()
        #expect(try box.zwgk(["daemon", "--once"]).status == 0)
        try FileManager.default.createDirectory(atPath: box.reports + "/2023/Q3", withIntermediateDirectories: true)
        try "half".write(toFile: box.reports + "/2023/Q3/report.html", atomically: true, encoding: .utf8)
        #expect(try box.zwgk(["snapshot", "--period", "2023-Q3"]).status == 0)
        #expect(box.names(box.reports + "/2023") == ["Q3"])
        #expect(FileManager.default.fileExists(atPath: box.reports + "/2023/Q3/manifest.json"))
    }

    /// `validate` reads a file exactly as the daemon does: a symbolic link is refused by both, in the same words.
    @Test func validateRefusesASymlinkAsTheDaemonDoes() throws {
        let box = try Sandbox()
        try goodFinding.write(toFile: box.root + "/real.json", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: box.root + "/link.json", withDestinationPath: box.root + "/real.json")
        let validate = try box.zwgk(["validate", box.root + "/link.json"])
        #expect(validate.status == 1)
        #expect(validate.out.contains(Rejection.symlink), "\(validate.out)")
        try FileManager.default.createSymbolicLink(atPath: box.incoming + "/link.json", withDestinationPath: box.root + "/real.json")
        #expect(try box.zwgk(["daemon", "--once"]).status == 0)
        let why = try box.read(box.rejected + "/link.json.why.txt")
        #expect(why.contains(Rejection.symlink))
        let submit = try box.zwgk(["submit", box.root + "/link.json"])
        #expect(submit.status == 1 && submit.out.contains(Rejection.symlink))
    }
}

/// The service's timers run on an injected clock: a test moves time past a due date and the snapshot is
/// written, without waiting.
@Suite(.serialized, .timeLimit(.minutes(10))) struct InjectedClock {
    @Test func movingTheClockPastADueDateWritesTheSnapshot() async throws {
        let box = try Sandbox()
        var settings = Config.localDefault
        (settings.spool, settings.state, settings.reports, settings.units) = (box.spool, box.state, box.reports, box.units)
        let config = settings
        // Q1 falls due on 6 April 02:00 in Shanghai (5 days' grace), which is 5 April 18:00 UTC.
        let clock = ManualClock(now: Date(timeIntervalSince1970: 1_680_714_000))  // 2023-04-05T17:00:00Z
        let service = try SpoolService(config: config, logger: Logger(label: "test"), clock: clock) { config }
        let running = Task { try await service.run() }
        defer { running.cancel() }
        // The rescan and the snapshot timers are asleep on the clock.
        // Generous bounds: this service runs on Swift Testing's two cooperative threads, which long synchronous
        // tests elsewhere in the suite may hold for a minute or more; each wait ends as soon as its condition holds.
        #expect(await until(240) { clock.sleepers >= 2 })
        let manifest = box.reports + "/2023/Q1/manifest.json"
        #expect(!FileManager.default.fileExists(atPath: manifest))
        clock.advance(by: .seconds(2 * 3600))
        #expect(await until(240) { FileManager.default.fileExists(atPath: manifest) })
        guard case .object(let o) = try JSONReader.parse(try box.read(manifest)), case .string(let written)? = o["written_at"] else {
            Issue.record("no manifest")
            return
        }
        #expect(written == "2023-04-05T19:00:00.000Z", "written at the clock's time")
        running.cancel()
        _ = await running.result
    }
}

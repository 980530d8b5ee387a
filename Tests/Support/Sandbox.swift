public import Foundation
import Testing
import ZwgkFormats
public import ZwgkService

/// A throwaway zwgk installation in a temporary folder: spool, state, reports, units and config,
/// driven through the real `zwgk` binary.
public final class Sandbox {
    public let root: String
    public var spool: String { root + "/spool" }
    public var incoming: String { spool + "/incoming" }
    public var accepted: String { spool + "/accepted" }
    public var rejected: String { spool + "/rejected" }
    public var state: String { root + "/var" }
    public var reports: String { root + "/reports" }
    public var units: String { root + "/units.toml" }

    public init(units: String? = nil) throws {
        root = NSTemporaryDirectory() + "zwgk-test-\(UUID().uuidString)"
        for folder in [incoming, accepted, rejected] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let text = try units ?? String(contentsOf: Bundle.module.url(forResource: "Fixtures/units", withExtension: "toml")!, encoding: .utf8)
        try text.write(toFile: self.units, atomically: true, encoding: .utf8)
        try "timezone = \"Asia/Shanghai\"\n".write(toFile: root + "/zwgk.toml", atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// The configuration the sandbox's paths make, for running the service in process.
    public var config: Config {
        var config = Config.localDefault
        (config.spool, config.state, config.reports, config.units) = (spool, state, reports, units)
        return config
    }

    /// The built `zwgk` next to the test bundle.
    public static let binary: String = {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [here, here.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("zwgk").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return here.appendingPathComponent("zwgk").path
    }()

    /// Sets a process to run `command` (its first element the executable).
    public static func command(_ p: Process, _ command: [String]) {
        p.executableURL = URL(fileURLWithPath: command[0])
        p.arguments = Array(command.dropFirst())
    }

    public struct Run {
        public var status: Int32
        public var signal: Int32?
        public var out: String
        public var err: String
    }

    /// Runs `zwgk ARGS --config … --spool … --state … --reports … --units …`, through `runAs` (a command
    /// such as setpriv that runs its arguments as another user) when given.
    @discardableResult
    public func zwgk(_ args: [String], environment: [String: String] = [:], paths: Bool = true, runAs: [String] = []) throws -> Run {
        var all = args
        if paths {
            all += ["--config", root + "/zwgk.toml", "--spool", spool, "--state", state, "--reports", reports, "--units", units]
        }
        return try run(runAs + [Sandbox.binary(runAs: runAs)] + all, environment: environment)
    }

    /// Runs `command` (its first element the executable) in the sandbox's folder, output through files.
    public func run(_ command: [String], environment: [String: String] = [:]) throws -> Run {
        let p = Process()
        Sandbox.command(p, command)
        p.currentDirectoryURL = URL(fileURLWithPath: root)
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        // Files, not pipes: a child that writes much to one stream must never block on it.
        let outPath = root + "/.run-\(UUID().uuidString).out"
        let errPath = outPath + ".err"
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        p.standardOutput = FileHandle(forWritingAtPath: outPath)
        p.standardError = FileHandle(forWritingAtPath: errPath)
        try p.run()
        p.waitUntilExit()
        let killed = p.terminationReason == .uncaughtSignal
        return Run(
            status: p.terminationStatus, signal: killed ? p.terminationStatus : nil,
            out: try read(outPath), err: try read(errPath))
    }

    /// Writes a drop file straight into `incoming/` (as a program writing elsewhere and renaming would).
    public func drop(_ name: String, _ content: String) throws {
        let temp = root + "/." + name
        try content.write(toFile: temp, atomically: false, encoding: .utf8)
        try FileManager.default.moveItem(atPath: temp, toPath: incoming + "/" + name)
    }

    /// The names in `folder`, sorted; none if it does not exist. A folder that exists but cannot be listed fails the test.
    public func names(_ folder: String) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        } catch {
            if FileManager.default.fileExists(atPath: folder) { Issue.record("cannot list \(folder): \(error)") }
            return []
        }
    }

    public func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    /// `zwgk scores --format json`, parsed: unit → total.
    public func totals(year: Int = 2023, runAs: [String] = []) throws -> [String: String] {
        let run = try zwgk(["scores", "--year", String(year), "--format", "json"], runAs: runAs)
        #expect(run.status == 0, "\(run.err)")
        guard case .object(let o) = try JSONReader.parse(run.out), case .array(let units)? = o["units"] else {
            throw UnexpectedOutput(description: "zwgk scores printed no units: \(run.out)\(run.err)")
        }
        var result: [String: String] = [:]
        for case .object(let u) in units {
            if case .string(let name)? = u["unit"], case .number(let total)? = u["total"] { result[name] = total }
        }
        return result
    }

    /// Rows in the ledger, counted with the sqlite3 command.
    public func sql(_ query: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [state + "/ledger.sqlite", query]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw UnexpectedOutput(description: "sqlite3 \(query) exited \(p.terminationStatus)") }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

public let goodFinding =
    #"{"type": "finding", "id": "wsjc-2023-017", "year": 2023, "date": "2023-05-12", "unit": "市财政局", "indicator": "财政预决算", "method": "网上检查"}"#
public let goodNotice = #"{"type": "notice", "id": "运政办通〔2023〕12号", "year": 2023, "date": "2023-04-10", "level": "quarterly", "units": ["市财政局", "城东街道"]}"#

extension Sandbox {
    /// Starts `zwgk daemon` in the background, output to files in the sandbox.
    public func startDaemon(_ extra: [String] = [], environment: [String: String] = [:], runAs: [String] = []) throws -> Process {
        let p = Process()
        Sandbox.command(
            p,
            runAs + [
                Sandbox.binary(runAs: runAs), "daemon", "--config", root + "/zwgk.toml", "--spool", spool, "--state", state,
                "--reports", reports, "--units", units,
            ] + extra)
        p.currentDirectoryURL = URL(fileURLWithPath: root)
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        FileManager.default.createFile(atPath: root + "/daemon.out", contents: nil)
        let log = FileHandle(forWritingAtPath: root + "/daemon.out")!
        log.seekToEndOfFile()
        p.standardOutput = log
        p.standardError = log
        try p.run()
        return p
    }

    public var daemonLog: String { (try? read(root + "/daemon.out")) ?? "" }

    /// Appends configuration lines to the sandbox's zwgk.toml.
    public func configure(_ lines: String) throws {
        let old = try read(root + "/zwgk.toml")
        try (old + lines + "\n").write(toFile: root + "/zwgk.toml", atomically: true, encoding: .utf8)
    }
}

/// Waits until `condition` holds, checking every 10 ms, for at most `seconds` (generous: a loaded 2-core
/// machine runs many tests at once; a condition that holds returns at once). Returns whether it held.
@discardableResult
public func eventually(_ seconds: Double = 30, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(10_000)
    }
    return try condition()
}

/// Sends `signal` and waits for the process to exit; returns the seconds it took, or nil if it did not.
public func stop(_ p: Process, signal: Int32 = SIGTERM, within seconds: Double = 20) -> Double? {
    let start = Date()
    kill(p.processIdentifier, signal)
    guard eventually(seconds, { !p.isRunning }) else {
        kill(p.processIdentifier, SIGKILL)
        return nil
    }
    return Date().timeIntervalSince(start)
}

/// Polls `condition` every 10 ms for at most `seconds` of real time, from async tests (a service running in the
/// test process works meanwhile); returns as soon as it holds.
public func until(_ seconds: Double = 60, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}

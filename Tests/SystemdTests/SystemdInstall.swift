import Foundation
import Testing
import ZwgkTestSupport

/// The real unit from deploy/ under a real systemd PID 1 (scripts/with-systemd), with a drop-in that only
/// relocates the binary and data into a scratch folder, runs as root (the read-only host has no zwgk user) and
/// sets `WatchdogSec=`; every hardening setting stays in force. `down()` stops systemd and removes the folder.
final class SystemdInstall {
    let work: String
    var units: String { work + "/units" }
    var incoming: String { work + "/spool/incoming" }
    var accepted: String { work + "/spool/accepted" }
    private let env: [String: String]
    private var prefix: [String] = []

    init(watchdogSec: String) throws {
        // Outside /tmp and /var/tmp (the unit's PrivateTmp= hides them), wherever the checkout is. A folder of
        // its own: another checkout's test run ending must not remove it.
        work = "/var/lib/zwgk-test-\(UUID().uuidString)"
        env = ["WORK": work, "UNITS": work + "/units"]
        let fm = FileManager.default
        try fm.createDirectory(atPath: units + "/zwgk.service.d", withIntermediateDirectories: true)
        let binary = work + "/bin/zwgk"
        #expect(try stageBinary(into: work + "/bin") == binary)  // with its resource bundles
        try fm.copyItem(atPath: repository + "/deploy/units.example.toml", toPath: work + "/units.toml")
        for name in try fm.contentsOfDirectory(atPath: repository + "/Tests/SystemdUnits") {
            try fm.copyItem(atPath: repository + "/Tests/SystemdUnits/" + name, toPath: units + "/" + name)
        }
        try fm.copyItem(atPath: repository + "/deploy/zwgk.service", toPath: units + "/zwgk.service")
        for folder in ["spool/incoming", "spool/accepted", "spool/rejected", "state", "reports"] {
            try fm.createDirectory(atPath: work + "/" + folder, withIntermediateDirectories: true)
        }
        try """
        spool = "\(work)/spool"
        state = "\(work)/state"
        reports = "\(work)/reports"
        units = "\(work)/units.toml"
        """.write(toFile: work + "/zwgk.toml", atomically: true, encoding: .utf8)
        try """
        [Service]
        ExecStart=
        ExecStart=\(binary) daemon --config \(work)/zwgk.toml
        User=
        Group=
        SupplementaryGroups=
        StateDirectory=
        ConfigurationDirectory=
        ReadWritePaths=
        ReadWritePaths=\(work)
        WatchdogSec=\(watchdogSec)
        """.write(toFile: units + "/zwgk.service.d/test.conf", atomically: true, encoding: .utf8)
    }

    /// Starts systemd as PID 1 of its namespaces.
    func up() throws {
        let up = try runProgram(repository + "/scripts/with-systemd", ["up"], environment: env)
        #expect(up.0 == 0, "\(up.1)")
        prefix = try runProgram(repository + "/scripts/with-systemd", ["ns"], environment: env).1
            .split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        try #require(prefix.count > 1, "with-systemd ns printed no nsenter command")
    }

    /// Stops systemd and removes the folder.
    func down() {
        _ = try? runProgram(repository + "/scripts/with-systemd", ["down"], environment: env)
        try? FileManager.default.removeItem(atPath: work)
    }

    /// Runs a command inside systemd's namespaces.
    func inside(_ args: [String]) throws -> (Int32, String) {
        try runProgram("/usr/bin/" + prefix[0], Array(prefix.dropFirst()) + args)
    }

    /// `systemctl show -p PROPERTY --value zwgk`.
    func show(_ property: String) throws -> String {
        try inside(["systemctl", "show", "-p", property, "--value", "zwgk"]).1.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes a drop-in `NAME.conf` for the unit (nil removes it) and reloads systemd's view of the unit.
    func dropIn(_ name: String, _ text: String?) throws {
        let path = units + "/zwgk.service.d/\(name).conf"
        if let text { try text.write(toFile: path, atomically: true, encoding: .utf8) } else { try FileManager.default.removeItem(atPath: path) }
        #expect(try inside(["systemctl", "daemon-reload"]).0 == 0)
    }

    /// Places `content` in `incoming/` as `name` (written beside it, then renamed in).
    func drop(_ name: String, _ content: String) throws {
        try content.write(toFile: work + "/." + name, atomically: false, encoding: .utf8)
        try FileManager.default.moveItem(atPath: work + "/." + name, toPath: incoming + "/" + name)
    }

    /// The unit's journal, as text.
    func journal(_ extra: [String] = []) -> String {
        (try? inside(["journalctl", "-u", "zwgk", "--no-pager"] + extra).1) ?? ""
    }
}

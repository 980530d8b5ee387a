import Foundation
import Testing
import ZwgkTestSupport

/// zwgk.toml and the units file are bounded (issue 17): a hostile one is refused with a clear message, and on
/// SIGHUP the running daemon keeps the configuration it has.
@Suite(.serialized, .timeLimit(.minutes(10))) struct HostileConfiguration {
    static let deep = "x = " + String(repeating: "[", count: 200_000) + "\n"

    @Test func aDeeplyNestedFileOnReloadKeepsTheOldConfiguration() throws {
        let box = try Sandbox()
        let daemon = try box.startDaemon()
        defer { _ = stop(daemon) }
        #expect(eventually { FileManager.default.fileExists(atPath: box.state + "/health.json") })
        let config = try box.read(box.root + "/zwgk.toml")
        let units = try box.read(box.units)

        try (config + Self.deep).write(toFile: box.root + "/zwgk.toml", atomically: true, encoding: .utf8)
        kill(daemon.processIdentifier, SIGHUP)
        #expect(eventually { box.daemonLog.components(separatedBy: "重新加载失败,继续使用原有配置").count == 2 }, "\(box.daemonLog)")
        #expect(box.daemonLog.contains("嵌套过深"), "\(box.daemonLog)")
        #expect(daemon.isRunning)

        try config.write(toFile: box.root + "/zwgk.toml", atomically: true, encoding: .utf8)
        try ("[[unit]]\n" + String(repeating: "a.", count: 100_000) + "b = 1\n" + units).write(toFile: box.units, atomically: true, encoding: .utf8)
        kill(daemon.processIdentifier, SIGHUP)
        #expect(eventually { box.daemonLog.components(separatedBy: "重新加载失败,继续使用原有配置").count == 3 }, "\(box.daemonLog)")
        #expect(daemon.isRunning)
        try box.drop("after.json", finding("h1"))
        #expect(eventually { box.names(box.accepted) == ["after.json"] }, "\(box.daemonLog)")
    }

    /// A configuration "file" that is a FIFO or a device is refused at once instead of being read forever.
    @Test func aConfigurationThatIsNoFileIsRefusedAtOnce() throws {
        let box = try Sandbox()
        #expect(mkfifo(box.root + "/fifo.toml", 0o644) == 0)
        let fifo = try box.zwgk(["status", "--config", box.root + "/fifo.toml"], paths: false)
        #expect(fifo.status == 1 && fifo.err.contains("不是普通文件"), "\(fifo.err)")
        let zero = try box.zwgk(
            [
                "scores", "--year", "2023", "--config", box.root + "/zwgk.toml", "--units", "/dev/zero",
                "--spool", box.spool, "--state", box.state, "--reports", box.reports,
            ], paths: false)
        #expect(zero.status == 1 && zero.err.contains("不是普通文件"), "\(zero.err)")
    }
}

import ArgumentParser
import Logging
import ServiceLifecycle
import Systemd
import UnixSignals
import ZwgkService

struct DaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon", abstract: "运行服务:监视投递目录,检查并合并文件入账,直到收到 SIGTERM/SIGINT;SIGHUP 重新加载配置。")

    @OptionGroup var paths: PathOptions
    @Flag(help: "只处理 incoming/ 中现有的文件,然后退出。")
    var once = false
    @Option(help: "发现新文件的方式:inotify 或 poll(网络共享目录用 poll)。")
    var watch: String?

    func run() async throws {
        var config = try service { try paths.resolve() }
        if let watch {
            guard let mode = WatchMode(rawValue: watch) else { throw fail("--watch 只能是 inotify 或 poll") }
            config.watch = mode
        }
        LogTarget.bootstrap(identifier: "zwgk")
        let logger = Logger(label: "zwgk")
        if once {
            let summary = try service { try Daemon(config: config, logger: logger).ingestWaiting() }
            print(
                "已处理 \(summary.files) 个文件:接收 \(summary.accepted),重复 \(summary.duplicates),拒收 \(summary.rejected),新增记录 \(summary.records) 条"
                    + (summary.deferred > 0 ? ",\(summary.deferred) 个仍在写入中、留待下次" : "")
                    + (summary.unplaced > 0 ? ",\(summary.unplaced) 个已判定但无法移出 incoming/(见日志)" : "")
                    + (summary.recovered > 0 ? "(其中 \(summary.recovered) 个是上次中断时已决定、本次完成移动的文件)" : ""))
            return
        }
        let options = paths
        let watchOverride = config.watch
        let spoolService = try service {
            try SpoolService(config: config, logger: logger) {
                var fresh = try options.resolve()
                fresh.watch = watchOverride
                return fresh
            }
        }
        var groupConfig = ServiceGroupConfiguration(services: [spoolService], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfig.maximumGracefulShutdownDuration = .seconds(20)
        do {
            try await ServiceGroup(configuration: groupConfig).run()
        } catch {
            throw fail("\(error)")
        }
    }
}

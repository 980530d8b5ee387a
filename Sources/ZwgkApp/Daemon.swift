public import Foundation
import Ledger
public import Logging
#if canImport(Glibc)
import Glibc
#endif

/// The service: holds the state lock, the ledger and the rules, and takes files from the spool.
public struct Daemon {
    public let config: Config
    let logger: Logger
    let lock: DaemonLock
    let spool: Spool
    let ingest: Ingest

    /// Opens everything the service needs, or says precisely what is missing.
    public init(config: Config, logger: Logger, now: @escaping @Sendable () -> Date = Date.init) throws {
        self.config = config
        self.logger = logger
        spool = Spool(root: config.spool)
        let rules: Rules
        do {
            try spool.prepare()
            try FS.makeDirectory(config.state)
            rules = try Rules.load(config)
        } catch let error as StartError {
            throw fail(error.description)
        } catch {
            throw fail("状态目录 \(config.state) 无法创建:\(error)")
        }
        lock = DaemonLock(state: config.state)
        do { try lock.acquire() } catch { throw fail(error.description) }
        let ledger: Ledger
        do {
            ledger = try Ledger(path: config.state + "/ledger.sqlite")
        } catch {
            throw fail("\(error)")
        }
        ingest = Ingest(spool: spool, ledger: ledger, rules: rules, logger: logger, now: now)
    }

    /// Takes every ready file now waiting in `incoming/`.
    public func ingestWaiting() throws -> IngestSummary {
        try ingest.run(spool.waiting())
    }

    /// Polls `incoming/` every `interval` seconds until SIGTERM or SIGINT; SIGHUP reloads the config and units.
    public mutating func runUntilStopped(interval: Double) throws {
        var signals = sigset_t()
        sigemptyset(&signals)
        for s in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&signals, s) }
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        logger.info("zwgk 已启动", metadata: ["spool": "\(config.spool)", "state": "\(config.state)"])
        var timeout = timespec(tv_sec: Int(interval), tv_nsec: Int((interval - interval.rounded(.down)) * 1e9))
        while true {
            let summary = try ingestWaiting()
            if summary.files > 0 {
                logger.info("本轮处理 \(summary.files) 个文件", metadata: ["accepted": "\(summary.accepted)",
                                                                      "duplicates": "\(summary.duplicates)", "rejected": "\(summary.rejected)"])
            }
            let signal = sigtimedwait(&signals, nil, &timeout)
            if signal == SIGTERM || signal == SIGINT {
                logger.info("zwgk 正在停止")
                return
            }
            if signal == SIGHUP { reload() }
        }
    }

    private func reload() {
        do {
            ingest.rules = try Rules.load(config)
            logger.info("已重新加载单位名单和考核细则")
        } catch {
            logger.error("重新加载失败,继续使用原有配置:\(error)")
        }
    }
}

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
    var ingest: Ingest

    /// Opens everything the service needs, or says precisely what is missing.
    public init(config: Config, logger: Logger, now: @escaping @Sendable () -> Date = Date.init) throws {
        self.config = config
        self.logger = logger
        spool = Spool(root: config.spool)
        let rules: Rules
        guard case .directory = FS.kind(config.spool) else {
            throw fail("投递目录 \(config.spool) 不存在。请创建它(及其下的 incoming/、accepted/、rejected/),或用 --spool 指定正确的目录")
        }
        do {
            try spool.prepare()
            try FS.makeDirectory(config.state)
            rules = try Rules.load(config)
        } catch let error as StartError {
            throw fail(error.description)
        } catch {
            throw fail("状态目录 \(config.state) 无法创建:\(error)")
        }
        for warning in rules.roster.warnings { logger.warning("单位名单 \(config.units) \(warning)") }
        lock = DaemonLock(state: config.state)
        do { try lock.acquire() } catch { throw fail(error.description) }
        let ledger: Ledger
        do {
            ledger = try Ledger(path: config.state + "/ledger.sqlite")
        } catch {
            throw fail("\(error)")
        }
        ingest = Ingest(spool: spool, ledger: ledger, rules: rules, logger: logger, now: now)
        do { try ingest.settleUnfinished() } catch { throw fail("\(error)") }
    }

    /// Takes every ready file now waiting in `incoming/`.
    public func ingestWaiting() throws -> IngestSummary {
        try ingest.run(spool.waiting())
    }
}

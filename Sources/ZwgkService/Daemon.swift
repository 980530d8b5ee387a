import Foundation
import Ledger
public import Logging
import RubricEngine

/// The service's state in hand: the locks on the state folder and the spool, the ledger and the rules,
/// and the ingest that takes files from the spool.
public struct Daemon {
    public let config: Config
    let logger: Logger
    let stateLock: ProcessLock
    let spoolLock: ProcessLock
    let spool: Spool
    var ingest: Ingest

    /// Opens everything the service needs, or says precisely what is missing.
    public init(config: Config, logger: Logger, clock: any ServiceClock = SystemClock()) throws(ServiceError) {
        self.config = config
        self.logger = logger
        spool = Spool(root: config.spool)
        guard case .directory = FS.kind(config.spool) else {
            throw ServiceError(.spool, "投递目录 \(config.spool) 不存在。请创建它(及其下的 incoming/、accepted/、rejected/),或用 --spool 指定正确的目录")
        }
        try spool.prepare()
        do {
            try FS.makeDirectory(config.state)
        } catch {
            throw ServiceError(.state, "状态目录 \(config.state) 无法创建:\(error)")
        }
        let rules = try Rules.load(config)
        for warning in rules.roster.warnings { logger.warning("单位名单 \(config.units) \(warning)") }
        stateLock = .state(config.state)
        try stateLock.acquire(state: config.state, what: "状态目录 \(config.state)")
        spoolLock = .spool(config.spool)
        try spoolLock.acquire(state: config.state, what: "投递目录 \(config.spool)")
        let ledger: Ledger
        do {
            ledger = try Ledger(path: config.state + "/ledger.sqlite")
        } catch {
            throw ServiceError(.ledger, "\(error)")
        }
        ingest = Ingest(spool: spool, ledger: ledger, rules: rules, logger: logger, clock: clock)
        do { try ingest.settleUnfinished() } catch { throw ServiceError(.ledger, "\(error)") }
    }

    /// Takes every ready file now waiting in `incoming/`.
    public func ingestWaiting() throws -> IngestSummary {
        try ingest.run(spool.waiting())
    }
}

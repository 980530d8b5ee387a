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
    /// What the daemon is working on, so that what it died on twice is set aside.
    let notes: CrashNotes?

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
        do {
            let notes = try CrashNotes(state: config.state)
            try notes.prune { [spool, reports = SnapshotWriter(root: config.reports)] subject in
                switch subject {
                case .file(let name, _): if case .missing = FS.kind(spool.incoming + "/" + name) { false } else { true }
                case .snapshot(let period): Period(period).map { !reports.exists($0) } ?? false
                }
            }
            if let subject = notes.diedOn { Self.logDeath(on: subject, deaths: notes.deaths[subject] ?? 0, logger: logger) }
            self.notes = notes
        } catch {
            // (Not a reason to stop taking files: only a file the daemon dies on would not be set aside.)
            logger.error("\(error);无法记录正在处理的文件,反复导致服务停止的文件将不会被自动隔离")
            notes = nil
        }
        ingest.notes = notes
    }

    /// What the previous process was working on when it died, as a start finds it.
    private static func logDeath(on subject: CrashNotes.Subject, deaths: Int, logger: Logger) {
        let what =
            switch subject {
            case .file(let name, _): "检查文件 \(name)"
            case .snapshot(let period): "生成 \(period) 快照"
            }
        guard deaths >= CrashNotes.limit, case .snapshot(let period) = subject else {
            logger.warning("上次运行在\(what)时意外停止(第 \(deaths) 次);\(deaths >= CrashNotes.limit ? "此后将跳过它" : "再次停在这里将跳过它")")
            return
        }
        // (A file set aside is told when it is moved to rejected/.)
        logger.error(
            "上次运行在\(what)时意外停止(第 \(deaths) 次);此后将跳过它,请联系系统管理员",
            metadata: Event.snapshotSkipped.metadata(["period": "\(period)", "deaths": "\(deaths)"]))
    }

    /// Takes every ready file now waiting in `incoming/`.
    public func ingestWaiting() throws -> IngestSummary {
        try ingest.run(spool.waiting())
    }
}

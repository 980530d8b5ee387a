import CShims
import Foundation
import Ledger
public import Logging
public import ServiceLifecycle
import Synchronization
import Systemd
import UnixSignals

/// The long-running service: a full scan (and recovery) at start, then every file announced by inotify
/// or found by the periodic rescan (or by polling), merged in batches; SIGHUP reloads the rules; a failed
/// pass (a full disk, say) marks the daemon unhealthy and is retried until it succeeds. Under systemd it
/// reports READY once the state is open, the watch in place and the start-up backlog merged; keeps a
/// one-line STATUS current; and pings the watchdog only while the loop is idle or making progress.
public final class SpoolService: Service, @unchecked Sendable {
    // Mutable state is touched only from `run()`, one pass at a time.
    var daemon: Daemon
    let resolve: @Sendable () throws -> Config
    let logger: Logger
    let clock: any ServiceClock
    private let queue = WorkQueue()
    private let heartbeat: Heartbeat
    var health: Health
    private var watcher: Watcher?
    private var watchLost = false
    private var statusSentAt: Duration
    private var lastStatus = ""
    let deadlines: DeadlineWatch
    private var deadlineCheckPending = false
    private var startupCheck: StartupCheck?

    /// Opens the state and spool as `Daemon` does; `resolve` re-reads the configuration on SIGHUP. Every
    /// timer and every "now" comes from `clock`.
    public init(config: Config, logger: Logger, clock: any ServiceClock = SystemClock(),
                resolve: @escaping @Sendable () throws -> Config) throws(ServiceError) {
        daemon = try Daemon(config: config, logger: logger, clock: clock)
        self.clock = clock
        self.resolve = resolve
        self.logger = logger
        heartbeat = Heartbeat(clock: clock)
        deadlines = DeadlineWatch(logger: logger, clock: clock)
        statusSentAt = clock.uptime - .seconds(10)
        health = Health(pid: getpid(), startedAt: Timestamp.iso(clock.now), watch: config.watch.rawValue)
    }

    var config: Config { daemon.config }

    public func run() async throws {
        // A write to a pipe nobody reads must fail with EPIPE, not end the daemon.
        signal(SIGPIPE, SIG_IGN)
        // Trap SIGHUP before anything else: its default action would end the process.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        if config.watch == .inotify { try watch() }
        defer { watcher?.cancel() }
        health.write(state: config.state)
        logger.info("zwgk 已启动", metadata: Event.started.metadata(["spool": "\(config.spool)", "state": "\(config.state)",
                                                                     "watch": "\(config.watch.rawValue)"]))

        // Start-up: merge the backlog (finishing whatever a crash left), asking for more time as it goes.
        var extendedAt = clock.uptime
        daemon.ingest.progress = { [heartbeat, clock] _ in
            heartbeat.touch()
            if clock.uptime - extendedAt > .seconds(5) {
                Notify.extendTimeout(seconds: 30)
                extendedAt = clock.uptime
            }
        }
        // What snapshot writers killed while the daemon was away left behind (each write also cleans its year).
        SnapshotWriter(root: config.reports).removeAllLeftovers()
        queue.scan()
        let firstRetry = pass(refreshStatus: false)
        daemon.ingest.progress = { [heartbeat] _ in heartbeat.touch() }
        Notify.ready(status: statusLine())
        // Then the tamper check, in the background; its verdict is taken in by the pass it wakes, which writes the
        // snapshots that fell due while the daemon was away (none are written from a ledger not yet checked).
        let queue = self.queue
        startupCheck = StartupCheck(config: config, logger: logger) {
            queue.snapshots()
            queue.refresh()
        }
        checkDeadlines()
        health.write(state: config.state)
        sendStatus(trailing: true)

        let regular = config.watch == .inotify ? config.rescanSeconds : config.pollSeconds
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                let (queue, clock) = (self.queue, self.clock)
                group.addTask {
                    while !Task.isCancelled {
                        try? await clock.sleep(for: .seconds(regular))
                        queue.scan()
                    }
                }
                group.addTask {
                    for await _ in hangups { queue.reload() }
                }
                let snapshotSchedule = config.schedule
                let years = Array(daemon.ingest.rules.rubrics.keys)
                group.addTask {
                    // Wakes at each due moment (and at least hourly, so a changed clock is noticed).
                    while !Task.isCancelled {
                        let now = clock.now
                        let wait = (snapshotSchedule.next(after: now, years: years)?.timeIntervalSince(now) ?? 3600) + 1
                        try? await clock.sleep(for: .seconds(min(wait, 3600)))
                        queue.snapshots()
                    }
                }
                group.addTask { await DeadlineWatch.daily(snapshotSchedule, clock: clock, queue: queue) }
                if let interval = Notify.watchdogInterval() {
                    let heartbeat = self.heartbeat
                    group.addTask {
                        while !Task.isCancelled {
                            try? await clock.sleep(for: interval / 2)
                            if heartbeat.alive(within: interval / 2) { Notify.watchdog() }
                        }
                    }
                }
                if let firstRetry { later(in: &group, after: firstRetry, queue.scan) }
                for await _ in queue.wakes.cancelOnGracefulShutdown() {
                    if let retry = pass() { later(in: &group, after: retry, queue.scan) }
                    if let wait = deadlines.refreshIn, wait > 0, !deadlineCheckPending {
                        deadlineCheckPending = true
                        later(in: &group, after: wait, queue.deadlines)
                    }
                    if !lastStatusIsCurrent && !refreshPending {
                        refreshPending = true
                        later(in: &group, after: 1, queue.refresh)
                    }
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            Notify.stopping()
        }
        logger.info("zwgk 已停止", metadata: Event.stopped.metadata())
    }

    /// Starts (or restarts) the inotify watch on `incoming/`.
    private func watch() throws(ServiceError) {
        watcher?.cancel()
        watcher = nil
        let queue = self.queue
        watcher = try Watcher(folder: daemon.spool.incoming) { event in
            switch event {
            case .arrived(let names): queue.arrived(names)
            case .overflow: queue.scan()
            case .folderGone: queue.folderGone()
            }
        }
        watchLost = false
    }

    private func later(in group: inout DiscardingTaskGroup, after seconds: Double, _ action: @escaping @Sendable () -> Void) {
        let clock = self.clock
        group.addTask {
            try? await clock.sleep(for: .seconds(seconds))
            action()
        }
    }

    /// One pass over the waiting work. Returns seconds after which to try again, if needed.
    private func pass(refreshStatus: Bool = true) -> Double? {
        heartbeat.begin()
        defer { heartbeat.end() }
        let work = queue.take()
        if work.rewatch { watchLost = true }
        if watchLost, config.watch == .inotify, case .directory = FS.kind(daemon.spool.incoming) {
            do {
                try watch()
                logger.notice("投递目录已恢复,重新开始监视 \(daemon.spool.incoming)")
            } catch {
                logger.error("\(error)")
            }
        }
        if work.reload {
            Notify.reloading()
            reload()
            Notify.ready(status: statusLine())
        }
        var retry: Double?
        var processed = false
        do {
            guard case .directory = FS.kind(daemon.spool.incoming) else {
                throw ServiceError(.spool, "投递目录 \(daemon.spool.incoming) 不存在或不是目录;请恢复该目录(恢复后自动继续)")
            }
            let names = work.scan ? daemon.spool.waiting() : work.names
            let summary = try daemon.ingest.run(names, checkWriters: work.scan)
            processed = summary.files > 0
            if summary.rectificationRecords > 0 { deadlines.recordsAdded() }
            if processed {
                health.lastBatchAt = Timestamp.iso(clock.now)
                logger.info("处理 \(summary.files) 个文件:接收 \(summary.accepted),重复 \(summary.duplicates),拒收 \(summary.rejected)",
                            metadata: ["accepted": "\(summary.accepted)", "duplicates": "\(summary.duplicates)",
                                       "rejected": "\(summary.rejected)", "records": "\(summary.records)"])
            }
            if summary.deferred > 0 { retry = 1 }
            // (A wake for the status alone retried nothing: it does not clear a failure.)
            if work.scan || !work.names.isEmpty, let problem = health.problem {
                logger.notice("已恢复正常(此前:\(problem))", metadata: Event.recovered.metadata())
                health.problem = nil
            }
        } catch {
            let message = Self.describe(error)
            if health.problem != message { logger.error("暂停接收文件:\(message)", metadata: Event.unhealthy.metadata()) }
            health.problem = message
            health.lastError = message
            health.lastErrorAt = Timestamp.iso(clock.now)
            retry = 5
        }
        if work.snapshots || work.scan { writeDueSnapshots() }
        if work.deadlines { deadlineCheckPending = false }
        // (Not in the start-up pass: `run` checks once the backlog is merged and due snapshots are written.)
        let checked = refreshStatus && (work.deadlines || deadlines.refreshIn == 0) && health.problem == nil
        if checked { checkDeadlines() }
        health.integrity = startupCheck?.problem
        health.write(state: config.state)
        if work.refresh { refreshPending = false }
        if refreshStatus && (processed || checked || work.refresh || work.reload || health.problem != nil || lastStatus.isEmpty) {
            sendStatus(trailing: work.refresh)
        }
        return retry
    }

    /// Writes every due snapshot that is missing (a failure is logged and retried at the next wake).
    private func writeDueSnapshots() {
        guard startupCheck?.allowsSnapshots ?? false else { return }
        let scheduler = SnapshotScheduler(schedule: config.schedule, writer: SnapshotWriter(root: config.reports))
        do {
            let written = try scheduler.catchUp(now: clock.now, rules: daemon.ingest.rules, ledger: daemon.ingest.ledger)
            for period in written {
                logger.info("已生成 \(period) 快照", metadata: Event.snapshotWritten.metadata(["period": "\(period)",
                                                                                            "folder": "\(scheduler.writer.folder(period))"]))
                lastStatusIsCurrent = false
            }
            // A large year's snapshot takes a few hundred MB for a few seconds: hand them back to the system
            // rather than keep them through months of idling.
            if !written.isEmpty { zwgk_trim_heap() }
        } catch {
            logger.error("生成快照失败,稍后重试:\(error)", metadata: ["unhealthy": "snapshot"])
            health.lastError = "生成快照失败:\(error)"
            health.lastErrorAt = Timestamp.iso(clock.now)
        }
    }

    /// Counts the overdue rectification items and announces newly missed deadlines (a failure is logged and
    /// retried at the next check).
    private func checkDeadlines() {
        do {
            try deadlines.check(ledger: daemon.ingest.ledger, rules: daemon.ingest.rules, timeZone: config.timeZone)
            health.overdue = deadlines.overdue
        } catch {
            logger.error("检查整改期限失败,稍后重试:\(error)")
            health.lastError = "检查整改期限失败:\(error)"
            health.lastErrorAt = Timestamp.iso(clock.now)
        }
    }

    /// Sends STATUS= at most once a second; a skipped update is sent by the one trailing refresh, which
    /// always sends (else a refresh landing just inside the second would reschedule itself forever).
    private func sendStatus(trailing: Bool = false) {
        guard trailing || clock.uptime - statusSentAt >= .seconds(1) else {
            lastStatusIsCurrent = false
            return
        }
        let line = statusLine()
        if line != lastStatus { Notify.status(line) }
        lastStatus = line
        statusSentAt = clock.uptime
        lastStatusIsCurrent = true
    }

    private var lastStatusIsCurrent = true
    private var refreshPending = false

    /// The one-line status, worded exactly as the summary line of `zwgk status`.
    private func statusLine() -> String {
        let today = (try? daemon.ingest.ledger.counts(since: Timestamp.iso(StatusReport.startOfDay(clock.now, timeZone: config.timeZone))))
            ?? FileCounts()
        let snapshot = SnapshotWriter(root: config.reports).latest().map { "\($0.0)" }
        return StatusReport.summary(problem: health.problem ?? health.integrity, backlog: daemon.spool.readyNames().count, today: today, lastSnapshot: snapshot,
                                    overdue: deadlines.overdue ?? 0)
    }

    /// An operator's description of a failed pass.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let failure as FS.Failure where failure.isDiskFull:
            return "磁盘已满,暂停接收文件,空间恢复后自动继续(\(failure))"
        case let failure as LedgerError where failure.code == .diskFull:
            return "磁盘已满,账本无法写入,暂停接收文件,空间恢复后自动继续(\(failure))"
        default:
            return "\(error)"
        }
    }
}

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
    // Mutable state is touched only by the jobs `run()` gives its work thread, one at a time (it awaits each).
    var daemon: Daemon
    let resolve: @Sendable () throws -> Config
    let logger: Logger
    let clock: any ServiceClock
    private let queue = WorkQueue()
    private let heartbeat: Heartbeat
    /// Long work's steps feed `heartbeat`; a stop ends the work at its next step.
    let progress: WorkProgress
    var health: Health
    private var watcher: Watcher?
    private var watchLost = false
    var statusSentAt: Duration
    var lastStatus = ""
    var lastStatusIsCurrent = true
    var refreshPending = false
    /// Periods whose due snapshot the last catch-up skipped: the daemon died twice writing each.
    var skippedSnapshots: [String] = []
    let deadlines: DeadlineWatch
    private var deadlineCheckPending = false
    var startupCheck: StartupCheck?

    /// Opens the state and spool as `Daemon` does; `resolve` re-reads the configuration on SIGHUP. Every
    /// timer and every "now" comes from `clock`.
    public init(
        config: Config, logger: Logger, clock: any ServiceClock = SystemClock(),
        resolve: @escaping @Sendable () throws -> Config
    ) throws(ServiceError) {
        daemon = try Daemon(config: config, logger: logger, clock: clock)
        self.clock = clock
        self.resolve = resolve
        self.logger = logger
        heartbeat = Heartbeat(clock: clock)
        progress = WorkProgress(heartbeat: heartbeat)
        daemon.ingest.work = progress
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
        // Every pass, snapshot and check runs on a thread of its own, never on the cooperative pool; this task only
        // waits for it. A stop (SIGTERM, or the task cancelled) ends the work at its next step and the loop after it.
        let worker = WorkThread(name: "zwgk-work")
        defer { worker.finish() }
        let (queue, progress) = (self.queue, self.progress)
        var failure: ServiceError?
        await withTaskCancellationOrGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                let clock = self.clock
                // The watchdog first: from READY on (sent during the start) systemd counts, and the start's own long
                // steps after it (the deadline count over a large ledger) feed the heartbeat as the passes do.
                if let interval = Notify.watchdogInterval() {
                    let heartbeat = self.heartbeat
                    group.addTask {
                        while !Task.isCancelled {
                            try? await clock.sleep(for: interval / 2)
                            if heartbeat.alive(within: interval / 2) { Notify.watchdog() }
                        }
                    }
                }
                let firstRetry: Double?
                switch await worker.run({ Result { () throws(ServiceError) in try self.busy(self.startUp) } }) {
                case .success(let retry): firstRetry = retry
                case .failure(let error):
                    failure = error
                    group.cancelAll()
                    return
                }
                let regular = config.watch == .inotify ? config.rescanSeconds : config.pollSeconds
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
                if let firstRetry { later(in: &group, after: firstRetry, queue.scan) }
                for await _ in queue.wakes {
                    if progress.isStopped { break }
                    let next = await worker.run { self.busy { self.pass() } }
                    if let retry = next.retry { later(in: &group, after: retry, queue.scan) }
                    if let wait = next.deadlinesIn { later(in: &group, after: wait, queue.deadlines) }
                    if next.refresh { later(in: &group, after: 1, queue.refresh) }
                }
                group.cancelAll()
            }
        } onCancelOrGracefulShutdown: {
            Notify.stopping()
            progress.stop()
            queue.finish()
        }
        watcher?.cancel()
        if let failure { throw failure }
        logger.info("zwgk 已停止", metadata: Event.stopped.metadata())
    }

    /// Runs `work` as the watchdog's "busy": from here on it must show progress (each step touches the heartbeat).
    private func busy<T, E: Error>(_ work: () throws(E) -> T) throws(E) -> T {
        heartbeat.begin()
        defer { heartbeat.end() }
        return try work()
    }

    /// The start: the watch set up, the backlog merged (finishing whatever a crash left) asking systemd for more
    /// time as it goes, READY sent, the tamper check started. Returns seconds after which to scan again, if needed.
    private func startUp() throws(ServiceError) -> Double? {
        if config.watch == .inotify { try watch() }
        health.write(state: config.state)
        logger.info(
            "zwgk 已启动",
            metadata: Event.started.metadata([
                "spool": "\(config.spool)", "state": "\(config.state)",
                "watch": "\(config.watch.rawValue)",
            ]))
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
        let firstRetry = pass(refreshStatus: false).retry
        daemon.ingest.progress = { [heartbeat] _ in heartbeat.touch() }
        Notify.ready(status: statusLine())
        heartbeat.ready()
        // Then the tamper check, in the background; its verdict is taken in by the pass it wakes, which writes the
        // snapshots that fell due while the daemon was away (none are written from a ledger not yet checked).
        let queue = self.queue
        startupCheck = StartupCheck(config: config, logger: logger, clock: clock) {
            queue.snapshots()
            queue.refresh()
        }
        checkDeadlines()
        health.write(state: config.state)
        sendStatus(trailing: true)
        return firstRetry
    }

    /// Starts (or restarts) the inotify watch on `incoming/`.
    private func watch() throws(ServiceError) {
        watcher?.cancel()
        watcher = nil
        let (queue, logger, folder) = (self.queue, self.logger, daemon.spool.incoming)
        watcher = try Watcher(folder: folder) { event in
            switch event {
            case .arrived(let names): queue.arrived(names)
            case .overflow: queue.scan()
            case .folderGone: queue.folderGone()
            case .failed(let reason):
                logger.error("监视投递目录 \(folder) 出错(\(reason)),重新开始监视", metadata: ["watch_error": "\(reason)"])
                queue.folderGone()
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

    /// What a pass asks the loop to schedule: a retry, a deadline recount and a STATUS refresh, each after a wait.
    struct FollowUps: Sendable {
        var retry: Double?
        var deadlinesIn: Double?
        var refresh = false
    }

    /// One pass over the waiting work, on the work thread.
    private func pass(refreshStatus: Bool = true) -> FollowUps {
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
                logger.info(
                    "处理 \(summary.files) 个文件:接收 \(summary.accepted),重复 \(summary.duplicates),拒收 \(summary.rejected)",
                    metadata: [
                        "accepted": "\(summary.accepted)", "duplicates": "\(summary.duplicates)",
                        "rejected": "\(summary.rejected)", "records": "\(summary.records)",
                    ])
            }
            if summary.deferred > 0 { retry = 1 }
            // (A wake for the status alone retried nothing: it does not clear a failure.)
            if work.scan || !work.names.isEmpty, let problem = health.problem {
                logger.notice("已恢复正常(此前:\(problem))", metadata: Event.recovered.metadata())
                health.problem = nil
            }
        } catch is Stopping {
            // Stopping: the batch in hand was not committed, its files wait for the next start.
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
        var next = FollowUps(retry: retry)
        if let wait = deadlines.refreshIn, wait > 0, !deadlineCheckPending {
            deadlineCheckPending = true
            next.deadlinesIn = wait
        }
        if !lastStatusIsCurrent && !refreshPending {
            refreshPending = true
            next.refresh = true
        }
        return next
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

public import Foundation
public import Ledger
import RubricEngine
import ZwgkFormats

/// What `zwgk status` reports: for people by default, JSON for programs.
public struct StatusReport {
    public enum State: String {
        case running
        case stopped
        case unhealthy
    }

    public var state: State
    public var pid: Int32?
    public var problems: [String] = []
    public var backlog = 0
    public var oldestWaiting: String?
    public var today = FileCounts()
    public var total = FileCounts()
    public var lastRejection: String?
    public var lastSnapshot: String?
    public var lastError: String?
    public var watch: String?
    /// Rectification items overdue today: the running daemon's count, else counted from the ledger.
    public var overdue = 0
    var lastSnapshotPeriod: String?

    /// Exit status: 0 running and healthy, 3 stopped (as `systemctl is-active`), 1 unhealthy.
    public var exitCode: Int32 {
        switch state {
        case .running: 0
        case .stopped: 3
        case .unhealthy: 1
        }
    }

    /// Gathers the status from the folders and ledger named by `config`, read-only.
    public static func gather(_ config: Config, now: Date) -> StatusReport {
        var report = StatusReport(state: .stopped)
        let holder = ProcessLock.state(config.state).holder()
        report.pid = holder.map { $0.pid ?? -1 }
        if holder == nil, access(config.state + "/zwgk.lock", R_OK) != 0, errno == EACCES {
            report.problems.append("没有权限读取状态目录 \(config.state),无法判断服务状态。请以 zwgk 组的用户运行,或使用 systemctl status zwgk")
        }
        var daemonOverdue: Int?
        if report.pid != nil {
            report.state = .running
            if let health = Health.read(state: config.state), health.pid == report.pid {
                if let problem = health.problem { report.problems.append(problem) }
                if let integrity = health.integrity { report.problems.append(integrity) }
                report.lastError = health.lastError.map { "\($0)(\(health.lastErrorAt ?? ""))" }
                report.watch = health.watch
                daemonOverdue = health.overdue
            }
        }
        var rules: Rules?
        do {
            rules = try Rules.load(config)
        } catch {
            report.problems.append(error.description)
        }
        let spool = Spool(root: config.spool)
        if FS.list(spool.incoming) == nil {
            report.problems.append("投递目录 \(spool.incoming) 不存在或无法读取")
        } else {
            let waiting = spool.readyNames()
            report.backlog = waiting.count
            if let first = waiting.first {
                let ns = FS.changeTime(spool.incoming + "/" + first)
                report.oldestWaiting = "\(first)(\(Timestamp.iso(Date(timeIntervalSince1970: Double(ns) / 1e9))))"
            }
        }
        let ledgerPath = config.state + "/ledger.sqlite"
        if case .regular = FS.kind(ledgerPath) {
            do {
                let ledger = try Ledger(path: ledgerPath, readOnly: true)
                report.total = try ledger.counts()
                report.today = try ledger.counts(since: Timestamp.iso(startOfDay(now, timeZone: config.timeZone)))
                if let r = try ledger.recentFiles(limit: 200).first(where: { $0.outcome == .rejected }) {
                    report.lastRejection = "\(r.receipt.name)(\(r.receipt.receivedAt)):\(Rejection.firstProblem(r.reason))"
                }
                // The daemon's own count, in the words of its STATUS line; without a daemon, counted here.
                if let daemonOverdue {
                    report.overdue = daemonOverdue
                } else if let rules {
                    report.overdue = try LedgerAccess.overdue(in: ledger, rules: rules, asOf: LocalDay.of(now, timeZone: config.timeZone)).count
                }
            } catch {
                report.problems.append("\(error)")
            }
        }
        let writer = SnapshotWriter(root: config.reports)
        let skipped = CrashNotes.snapshotsSetAside(state: config.state).filter { Period($0).map { !writer.exists($0) } ?? false }
        if let text = CrashNotes.skippedText(skipped) { report.problems.append(text) }
        if let (period, written) = writer.latest() {
            report.lastSnapshot = "\(period)(\(written))"
            report.lastSnapshotPeriod = "\(period)"
        }
        if !report.problems.isEmpty { report.state = .unhealthy }
        return report
    }

    static func startOfDay(_ now: Date, timeZone: String) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")!
        return calendar.startOfDay(for: now)
    }

    /// The one-line summary, the same words as the daemon's STATUS= line in `systemctl status`.
    static func summary(problem: String?, backlog: Int, today: FileCounts, lastSnapshot: String?, overdue: Int) -> String {
        if let problem { return "异常:\(problem)" }
        return "运行中:待处理 \(backlog) 个文件,今日接收 \(today.accepted)、拒收 \(today.rejected)、重复 \(today.duplicate),最近快照 \(lastSnapshot ?? "无")"
            + (overdue > 0 ? ",逾期整改 \(overdue) 项" : "")
    }

    public var text: String {
        let stateText: String
        switch state {
        case .running: stateText = "运行中(pid \(pid ?? -1)\(watch.map { ",\($0)" } ?? ""))"
        case .stopped: stateText = "未运行"
        case .unhealthy: stateText = "异常" + (pid != nil ? "(pid \(pid!))" : "")
        }
        var lines = ["状态:\(stateText)"]
        if state != .stopped {
            lines.append(
                "概况:"
                    + StatusReport.summary(
                        problem: problems.first, backlog: backlog, today: today,
                        lastSnapshot: lastSnapshotPeriod, overdue: overdue))
        }
        for p in problems { lines.append("问题:\(p)") }
        lines.append("待处理:\(backlog) 个文件" + (oldestWaiting.map { ",最早:\($0)" } ?? ""))
        lines.append("今日:接收 \(today.accepted),重复 \(today.duplicate),拒收 \(today.rejected)")
        lines.append("累计:接收 \(total.accepted),重复 \(total.duplicate),拒收 \(total.rejected),入账记录 \(total.records) 条")
        lines.append("最近拒收:\(lastRejection ?? "无")")
        lines.append("最近错误:\(lastError ?? "无")")
        lines.append("最近快照:\(lastSnapshot ?? "无")")
        lines.append("逾期整改:\(overdue) 项" + (overdue > 0 ? "(zwgk rectification --state overdue 列出)" : ""))
        // Names and reasons come from dropped files: each line is shown as one line, its control characters escaped.
        return lines.map { ControlText.escaped($0) }.joined(separator: "\n") + "\n"
    }

    public var json: String {
        func counts(_ c: FileCounts) -> JSONValue {
            var o = JSONObject()
            o.append("accepted", .number(String(c.accepted)))
            o.append("duplicate", .number(String(c.duplicate)))
            o.append("rejected", .number(String(c.rejected)))
            o.append("records", .number(String(c.records)))
            return .object(o)
        }
        var o = JSONObject()
        o.append("state", .string(state.rawValue))
        o.append("pid", pid.map { .number(String($0)) } ?? .null)
        o.append("problems", .array(problems.map { .string($0) }))
        o.append("backlog", .number(String(backlog)))
        o.append("oldest_waiting", oldestWaiting.map { .string($0) } ?? .null)
        o.append("today", counts(today))
        o.append("total", counts(total))
        o.append("last_rejection", lastRejection.map { .string($0) } ?? .null)
        o.append("last_snapshot", lastSnapshot.map { .string($0) } ?? .null)
        o.append("last_error", lastError.map { .string($0) } ?? .null)
        o.append("overdue", .number(String(overdue)))
        return JSONWriter.pretty(.object(o))
    }
}

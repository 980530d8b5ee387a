import Foundation
import Logging
import Synchronization
import Testing
import ZwgkFormats
import ZwgkTestSupport

@testable import ZwgkService

/// Log events kept in memory, for reading back what the service logged (and with which MESSAGE_ID).
final class CapturedLog: Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let entries = Mutex<[Entry]>([])

    var all: [Entry] { entries.withLock { $0 } }

    /// How many deadline checks were logged (at debug level).
    var checks: Int { all.filter { $0.level == .debug && $0.message.hasPrefix("已检查整改期限") }.count }

    func with(_ event: Event) -> [Entry] { all.filter { $0.metadata["message_id"] == event.rawValue } }

    var logger: Logger {
        Logger(label: "test") { _ in Handler(log: self) }
    }

    struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }.mapValues { "\($0)" }
            log.entries.withLock { $0.append(Entry(level: event.level, message: "\(event.message)", metadata: all)) }
        }
    }
}

/// The daemon watches rectification deadlines on its injected clock: nothing is said while an item is in time;
/// at `snapshot_time` after its deadline it is overdue, in STATUS words and with one journal event; a restart does
/// not say it again; a rectification report ends it.
@Suite(.serialized, .timeLimit(.minutes(10))) struct DeadlineWatching {
    static let finding = #"{"type": "finding", "id": "wsjc-05", "year": 2023, "date": "2023-05-12", "unit": "市财政局", "indicator": "财政预决算"}"#

    func config(_ box: Sandbox) -> Config {
        var config = box.config
        config.timeZone = "Asia/Shanghai"  // snapshot_time 02:00, 15 days: the finding's deadline is 27 May
        return config
    }

    /// Runs the service on `clock` until `body` returns, then stops it and lets go of its locks. The service's tasks
    /// and the test's polls run on a thread of their own (`onOwnThread`): in a full run, blocking tests can hold the
    /// cooperative pool for minutes, and the polls' deadlines would pass with the service never scheduled.
    func running(_ box: Sandbox, clock: ManualClock, log: CapturedLog, _ body: () async throws -> Void) async throws {
        let config = config(box)
        let service = try SpoolService(config: config, logger: log.logger, clock: clock) { config }
        try await onOwnThread {
            // A child task inherits the thread; an unstructured one would not.
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                defer { group.cancelAll() }
                try await body()
            }
        }
    }

    /// The daemon's count in the words of its STATUS line (`zwgk status`'s summary reads the daemon's own).
    func summary(_ box: Sandbox, _ clock: ManualClock) -> String {
        StatusReport.gather(config(box), now: clock.now).text.split(separator: "\n").first { $0.hasPrefix("概况:") }.map(String.init) ?? ""
    }

    func healthOverdue(_ box: Sandbox) -> Int? { Health.read(state: box.state)?.overdue }

    @Test func crossingADeadlineIsToldOnceAcrossRestartsAndEndsWithTheReport() async throws {
        let box = try Sandbox()
        let log = CapturedLog()
        try box.drop("a.json", Self.finding)
        // 27 May 2023, 12:00 in Shanghai: the deadline day itself.
        let clock = ManualClock(now: utc("2023-05-27T04:00:00Z"))
        try await running(box, clock: clock, log: log) {
            #expect(await until { healthOverdue(box) == 0 && clock.sleepers >= 3 }, "\(log.all.map(\.message))")
            #expect(!summary(box, clock).contains("逾期整改"), "\(summary(box, clock))")
            // 01:00 on the 28th: overdue since midnight, but the daily check is at 02:00.
            clock.advance(by: .seconds(13 * 3600))
            #expect(!(await until(2) { healthOverdue(box) == 1 }), "checked before snapshot_time")
            #expect(log.with(.rectificationOverdue).isEmpty)
            // 02:00:01: checked.
            clock.advance(by: .seconds(3601))
            #expect(await until { healthOverdue(box) == 1 }, "\(log.all.map(\.message))")
            #expect(summary(box, clock).hasSuffix(",逾期整改 1 项"), "\(summary(box, clock))")
            let events = log.with(.rectificationOverdue)
            #expect(events.count == 1)
            #expect(events.first?.metadata["unit"] == "市财政局")
            #expect(events.first?.metadata["record_ids"] == "wsjc-05")
            #expect(events.first?.metadata["deadline"] == "2023-05-27")
            #expect(events.first?.message.contains("整改逾期:市财政局 的发现问题 wsjc-05(财政预决算)整改期限 2023-05-27 已过") == true)
            // The next day's check finds it still overdue and says nothing new.
            let checks = log.checks
            clock.advance(by: .seconds(86400))
            #expect(await until { log.checks == checks + 1 }, "\(log.all.map(\.message))")
            #expect(healthOverdue(box) == 1)
            #expect(log.with(.rectificationOverdue).count == 1)
        }
        #expect(try box.sql("SELECT year || ' ' || target || ' ' || unit || ' ' || deadline FROM overdue_announced") == "2023 wsjc-05 市财政局 2023-05-27")

        // A restart a week later: still overdue, not told again.
        let later = ManualClock(now: utc("2023-06-05T04:00:00Z"))
        let before = log.checks
        try await running(box, clock: later, log: log) {
            // (The health file still holds the first run's count: wait for this run's own check at start.)
            #expect(await until { log.checks == before + 1 && later.sleepers >= 3 })
            #expect(healthOverdue(box) == 1)
            #expect(summary(box, later).hasSuffix(",逾期整改 1 项"), "\(summary(box, later))")
            #expect(log.with(.rectificationOverdue).count == 1, "the restart repeated the event")
            // A bonus cannot change the 整改台账: its arrival costs no check.
            let checks = log.checks
            try box.drop(
                "bonus.json", #"{"type": "finding", "id": "hp-01", "year": 2023, "date": "2023-06-01", "unit": "城东街道", "indicator": "政策咨询", "clause": "好评"}"#)
            #expect(await until { box.names(box.accepted).contains("bonus.json") })
            #expect(log.checks == checks, "\(log.all.map(\.message))")
            // The unit reports: the item awaits re-check, nothing is overdue any more, without waiting for 02:00.
            try box.drop("b.json", #"{"type": "rectification", "id": "zg-05", "year": 2023, "date": "2023-06-05", "target": "wsjc-05", "measures": "已公开"}"#)
            #expect(await until { box.names(box.accepted).contains("b.json") && healthOverdue(box) == 0 }, "\(log.all.map(\.message))")
            #expect(log.checks == checks + 1)
            #expect(!summary(box, later).contains("逾期整改"), "\(summary(box, later))")
        }
        #expect(log.with(.rectificationOverdue).count == 1)
    }

    /// A failed re-check sets a new deadline; missing that one is told too, once.
    @Test func aNewDeadlineMissedIsToldAgain() async throws {
        let box = try Sandbox()
        let log = CapturedLog()
        try box.drop(
            "a.json",
            "[\(Self.finding), " + """
                {"type": "rectification", "id": "zg-05", "year": 2023, "date": "2023-05-20", "target": "wsjc-05", "measures": "已公开"},
                {"type": "recheck", "id": "fc-05", "year": 2023, "date": "2023-05-22", "target": "wsjc-05", "result": "failed", "rectify_by": "2023-05-31"}]
                """)
        let clock = ManualClock(now: utc("2023-05-31T04:00:00Z"))
        try await running(box, clock: clock, log: log) {
            #expect(await until { healthOverdue(box) == 0 && clock.sleepers >= 3 })
            clock.advance(by: .seconds(14 * 3600 + 1))  // 1 June, 02:00:01
            #expect(await until { healthOverdue(box) == 1 })
            let events = log.with(.rectificationOverdue)
            #expect(events.count == 1)
            #expect(events.first?.metadata["record_ids"] == "wsjc-05,fc-05", "the finding and the re-check that set the deadline")
            #expect(events.first?.metadata["deadline"] == "2023-05-31")
        }
    }

    @Test func theDailyCheckIsAtSnapshotTimeInTheZone() {
        let schedule = Schedule(hour: 2, minute: 0, graceDays: 5, timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        #expect(schedule.nextDaily(after: utc("2023-05-27T04:00:00Z")) == utc("2023-05-27T18:00:00Z"))
        #expect(schedule.nextDaily(after: utc("2023-05-27T18:00:00Z")) == utc("2023-05-28T18:00:00Z"))
        #expect(schedule.nextDaily(after: utc("2023-05-27T17:59:59Z")) == utc("2023-05-27T18:00:00Z"))
        // Local wall-clock time on either side of a change to summer time.
        let berlin = Schedule(hour: 12, minute: 0, graceDays: 5, timeZone: TimeZone(identifier: "Europe/Berlin")!)
        #expect(berlin.nextDaily(after: utc("2023-03-25T12:00:00Z")) == utc("2023-03-26T10:00:00Z"))
        #expect(berlin.nextDaily(after: utc("2023-03-24T12:00:00Z")) == utc("2023-03-25T11:00:00Z"))
    }
}

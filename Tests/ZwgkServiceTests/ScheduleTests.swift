import Foundation
import Ledger
import Logging
import Reports
import RubricEngine
import Testing
import ZwgkFormats
import ZwgkService
import ZwgkTestSupport

let shanghai = TimeZone(identifier: "Asia/Shanghai")!

func at(_ text: String) -> Date {
    // "2023-04-06 02:00" in Asia/Shanghai.
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = shanghai
    let parts = text.split(whereSeparator: { $0 == "-" || $0 == " " || $0 == ":" }).map { Int($0)! }
    return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4]))!
}

@Suite(.timeLimit(.minutes(10))) struct SnapshotSchedule {
    let schedule = Schedule(hour: 2, minute: 0, graceDays: 5, timeZone: shanghai)

    @Test func dueTheDayAfterThePeriodPlusGraceAtTheTimeOfDay() {
        #expect(schedule.due(Period("2023-Q1")!) == at("2023-04-06 02:00"))
        #expect(schedule.due(Period("2023-Q2")!) == at("2023-07-06 02:00"))
        #expect(schedule.due(Period("2023-Q3")!) == at("2023-10-06 02:00"))
        #expect(schedule.due(Period("2023-Q4")!) == at("2024-01-06 02:00"))
        #expect(schedule.due(Period("2023-annual")!) == at("2024-01-06 02:00"))
        #expect(schedule.due(by: at("2023-07-06 01:59"), years: [2023]).map(\.name) == ["Q1"])
        #expect(schedule.due(by: at("2023-07-06 02:00"), years: [2023]).map(\.name) == ["Q1", "Q2"])
        #expect(schedule.next(after: at("2023-07-06 02:00"), years: [2023]) == at("2023-10-06 02:00"))
        #expect(schedule.next(after: at("2024-01-06 02:00"), years: [2023]) == nil)
    }

    /// An hour-by-hour simulated year: files arrive, the daemon merges them and writes what falls due;
    /// it is down from 2023-06-25 to 2023-07-20, across Q2's due moment. Every snapshot must be written
    /// exactly once, never rewritten, and match a fresh recomputation of the records it counted.
    @Test func aSimulatedYearWithDowntimeWritesEverySnapshotOnce() throws {
        let box = try Sandbox()
        let config = box.config
        try FileManager.default.createDirectory(atPath: box.state, withIntermediateDirectories: true)
        let rules = try Rules.load(config)
        let ledger = try Ledger(path: box.state + "/ledger.sqlite")
        let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

        // (arrival, record date, id): one finding a fortnight, and one Q1 record that arrives in May (补录).
        var arrivals: [(Date, String, String)] = []
        var day = at("2023-01-03 10:00")
        var n = 0
        while day < at("2023-12-31 00:00") {
            n += 1
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = shanghai
            let c = calendar.dateComponents([.year, .month, .day], from: day)
            arrivals.append((day, String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!), "s\(n)"))
            day = day.addingTimeInterval(14 * 86400)
        }
        let onTimeInQ1 = arrivals.filter { $0.1 <= "2023-03-31" }.count
        arrivals.append((at("2023-05-02 09:00"), "2023-03-20", "late-q1"))
        arrivals.sort { $0.0 < $1.0 }

        let down = at("2023-06-25 00:00")..<at("2023-07-20 09:00")
        var now = at("2023-01-01 00:00")
        var written: [(Period, Date)] = []
        var simulatedNow = now
        while now < at("2024-02-01 00:00") {
            while let first = arrivals.first, first.0 <= now {
                arrivals.removeFirst()
                try box.drop("\(first.2).json", finding(first.2, unit: "城东街道", indicator: "已公布标准目录执行情况", date: first.1))
            }
            if !down.contains(now) {
                simulatedNow = now
                let clock = simulatedNow
                let ingest = Ingest(spool: Spool(root: box.spool), ledger: ledger, rules: rules, logger: quiet, clock: ManualClock(now: clock))
                _ = try ingest.run(Spool(root: box.spool).waiting())
                let scheduler = SnapshotScheduler(schedule: schedule, writer: SnapshotWriter(root: box.reports))
                for period in try scheduler.catchUp(now: now, rules: rules, ledger: ledger) { written.append((period, now)) }
            }
            now = now.addingTimeInterval(3600)
        }

        #expect(written.map(\.0.name) == ["Q1", "Q2", "Q3", "Q4", "annual"])
        #expect(written[0].1 == at("2023-04-06 02:00"))
        #expect(written[1].1 == at("2023-07-20 09:00"), "Q2 fell due while down: caught up at restart")
        #expect(written[2].1 == at("2023-10-06 02:00"))
        #expect(written[3].1 == at("2024-01-06 02:00") && written[4].1 == at("2024-01-06 02:00"))

        let entries = try ledger.entries(year: 2023)
        for (period, _) in written {
            let folder = box.reports + "/2023/" + period.name
            guard case .object(let manifest) = try JSONReader.parse(try box.read(folder + "/manifest.json")),
                case .object(let records)? = manifest["records"], case .number(let last)? = records["last_seq"]
            else {
                Issue.record("no manifest for \(period)")
                continue
            }
            let counted = entries.filter { $0.seq <= Int64(last)! }
            let fresh = Scorer.standings(rubric: rules.rubrics[2023]!, roster: rules.roster, entries: counted, cutoff: period.cutoff)
            var context = ReportContext(standings: fresh, period: period)
            // (An annual snapshot states its approval state: 初评, none yet.)
            if period.span == .annual { context.approvals = ApprovalHistory() }
            #expect(
                try box.read(folder + "/scores.json") == ScoresJSON.render(context),
                "\(period) differs from a fresh recomputation")
        }
        // The Q1 record that came in May is in Q2's report as a late entry, and Q1's snapshot never changed.
        #expect(try box.read(box.reports + "/2023/Q2/report.html").contains("补录记录"))
        #expect(try box.read(box.reports + "/2023/Q2/report.html").contains("late-q1"))
        let q1 = Points(100) - Points(exactly: "0.5")! * onTimeInQ1
        #expect(try box.read(box.reports + "/2023/Q1/scores.json").contains("\"total\": \(q1)"), "Q1 counts only what had arrived")
        #expect(try box.read(box.reports + "/2023/Q2/summary.md").contains("补录"))
        #expect(try box.read(box.reports + "/2023/annual/report.html").contains("全年失分最多的指标"))
        #expect(try box.read(box.reports + "/2023/Q3/report.html").contains("较第二季度"))
    }
}

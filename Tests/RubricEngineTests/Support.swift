import RubricEngine

/// The shipped 2023 rubric, loaded once.
let rubric2023: Rubric = try! Rubric.builtIn()

/// A class-A town, a class-B department assigned every assigned-only row, and a bare B department.
let testRoster = UnitRoster(units: [
    Unit(name: "甲镇", unitClass: "A"),
    Unit(name: "乙局", unitClass: "B", assigned: rubric2023.rows.values.filter { $0.applies == .assigned }.map(\.name)),
    Unit(name: "丙局", unitClass: "B"),
])

func day(_ s: String) -> Day { Day(s)! }
func pts(_ s: String) -> Points { Points(exactly: s)! }

/// Builds ledger entries in arrival order with generated ids.
struct Ledgerish {
    var entries: [LedgerEntry] = []

    mutating func finding(
        _ unit: String, _ indicator: String, clause: String? = nil, count: Int = 1, score: String? = nil,
        points: String? = nil, date: String = "2023-05-10", id: String? = nil
    ) {
        let seq = Int64(entries.count + 1)
        let f = Finding(
            id: id ?? "f\(seq)", year: 2023, date: day(date), unit: unit, indicator: indicator, clause: clause,
            count: count, score: score.map(pts), points: points.map(pts))
        entries.append(LedgerEntry(seq: seq, record: .finding(f)))
    }

    mutating func notice(_ level: String, _ units: [String], date: String = "2023-05-10", id: String? = nil) {
        let seq = Int64(entries.count + 1)
        entries.append(LedgerEntry(seq: seq, record: .notice(Notice(id: id ?? "n\(seq)", year: 2023, date: day(date), level: level, units: units))))
    }

    mutating func retract(_ target: String, units: [String]? = nil, date: String = "2023-12-20") {
        let seq = Int64(entries.count + 1)
        entries.append(
            LedgerEntry(
                seq: seq,
                record: .retraction(
                    Retraction(
                        id: "r\(seq)", year: 2023, date: day(date), target: target,
                        reason: "申诉成立", units: units))))
    }

    func standings(cutoff: String = "2023-12-31", roster: UnitRoster = testRoster) -> Standings {
        Scorer.standings(rubric: rubric2023, roster: roster, entries: entries, cutoff: day(cutoff))
    }

    func card(_ unit: String, cutoff: String = "2023-12-31") -> Scorecard {
        standings(cutoff: cutoff).cards.first { $0.unit.name == unit }!
    }

    func row(_ unit: String, _ name: String, cutoff: String = "2023-12-31") -> RowScore {
        card(unit, cutoff: cutoff).rows.first { $0.row.name == name }!
    }
}

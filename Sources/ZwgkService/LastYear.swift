public import Ledger
public import RubricEngine

/// The year before, for an annual report: scored from its own records with its own rubric (`[rubrics]`),
/// over the units of today's units file, each matched by its name or a former one (`formerly`).
public enum LastYear {
    /// Compares `current` (a year's standings) with the year before; nil when there is no rubric for the year
    /// before or the ledger holds no record of it. A unit counts as assessed the year before when a record of
    /// that year names it (now or formerly), or when that year's annual snapshot in `snapshots` lists it.
    /// Last year's grades are given under today's `[grades]`, when configured.
    public static func compare(_ current: Standings, rules: Rules, ledger: Ledger, snapshots: SnapshotWriter) throws(LedgerError) -> YearOverYear? {
        let year = current.rubric.year - 1
        guard let rubric = rules.rubrics[year] else { return nil }
        let period = Period(year: year, span: .annual)
        var tally = Tally(rubric: rubric, roster: rules.roster, cutoff: period.cutoff)
        var named: Set<String> = []
        var any = false
        try ledger.forEachEntry(year: year) { entry, _ in
            any = true
            named.formUnion(entry.record.units)
            tally.add(entry)
        }
        guard any else { return nil }
        if let listed = snapshots.published(period)?.units.keys { named.formUnion(listed) }
        // A former name first: for a unit renamed since, the name it was assessed under.
        let formerName = { (unit: Unit) -> String? in (unit.formerly + [unit.name]).first(where: named.contains) }
        let previous = tally.standings().keeping { formerName($0) != nil }
        return YearOverYear.compare(current: current, previous: previous, formerName: formerName, previousGrading: rules.grading(previous))
    }
}

public import Ledger
public import RubricEngine

/// The year before, for an annual report: scored from its own records with its own rubric (`[rubrics]`),
/// over the units of today's units file, each matched by its name or a former one (`formerly`).
public enum LastYear {
    /// The year before `year`, scored from its own records with its own rubric; nil when there is no rubric for
    /// it or the ledger holds no record of it. A unit counts as assessed that year when a record of that year names
    /// it (now or formerly), or when that year's annual snapshot in `snapshots` lists it. Grades are given under
    /// today's `[grades]`, when configured. Taken before the year itself is scored: only the results are held.
    public static func results(before year: Int, rules: Rules, ledger: Ledger, snapshots: SnapshotWriter) throws(LedgerError) -> PreviousYear? {
        let year = year - 1
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
        return PreviousYear(tally.standings(), formerName: { ($0.formerly + [$0.name]).first(where: named.contains) },
                            grade: rules.grading)
    }
}

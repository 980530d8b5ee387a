public import Ledger
public import RubricEngine

/// The year before, for an annual report: scored from its own records with its own rubric (`[rubrics]`),
/// over the units of today's units file, each matched by its name or a former one (`formerly`).
public enum LastYear {
    /// The year before `year`: as its annual snapshot published it when there is one (the units, classes, totals,
    /// ranks and grades of then; an approved year's are frozen), else scored afresh from its own records with its
    /// own rubric over today's units; nil when neither can be had. Scored afresh, a unit counts as assessed that
    /// year when a record of that year names it (now or formerly), and grades are given under today's `[grades]`.
    /// Taken before the year itself is scored: only the results are held.
    public static func results(before year: Int, rules: Rules, ledger: Ledger, snapshots: SnapshotWriter) throws(LedgerError) -> PreviousYear? {
        let year = year - 1
        let period = Period(year: year, span: .annual)
        let rubric = rules.rubrics[year]
        if snapshots.exists(period), let published = snapshots.publishedUnits(period) {
            let bases = rubric.map { r in Dictionary(uniqueKeysWithValues: r.classes.map { ($0.name, r.base(of: $0.name)) }) } ?? [:]
            return PreviousYear(year: year, published: published, roster: rules.roster, bases: bases)
        }
        guard let rubric else { return nil }
        var tally = Tally(rubric: rubric, roster: rules.roster, cutoff: period.cutoff)
        var named: Set<String> = []
        var any = false
        try ledger.forEachEntry(year: year) { entry, _ in
            any = true
            named.formUnion(entry.record.units)
            tally.add(entry)
        }
        guard any else { return nil }
        // A former name first: for a unit renamed since, the name it was assessed under.
        return PreviousYear(
            tally.standings(), formerName: { ($0.formerly + [$0.name]).first(where: named.contains) },
            grade: rules.grading)
    }
}

/// One step of a unit's history: a record, and what it did to the unit's rows.
public struct TrailStep: Sendable, Equatable {
    public struct Change: Sendable, Equatable {
        public var row: String
        /// nil while the row was pending (an assigned score not yet given).
        public var before: Points?
        public var after: Points?
    }

    public var entry: LedgerEntry
    public var changes: [Change]
    /// The unit's total after this step.
    public var total: Points
}

extension Scorer {
    /// Whether `record` can bear on `unit`'s score or its 整改台账: a finding or notice naming it, any
    /// retraction, or the unit's own rectification report or re-check.
    public static func mayTouch(_ record: Record, unit: Unit) -> Bool {
        switch record {
        case .finding(let f): f.unit == unit.name
        case .notice(let n): n.units.contains(unit.name)
        case .retraction: true
        case .rectification(let r): r.unit == unit.name
        case .recheck(let r): r.unit == unit.name
        }
    }

    /// Every record that touched `unit` in `rubric`'s year, in arrival order, each with the row scores it
    /// changed (the whole year counted, retractions included): replayed one record at a time. The unit's
    /// rectification reports and re-checks are steps too, with no change.
    public static func trail(of unit: Unit, rubric: Rubric, entries: [LedgerEntry]) -> [TrailStep] {
        let roster = UnitRoster(units: [unit])
        let entries = entries.filter { $0.record.year == rubric.year && mayTouch($0.record, unit: unit) }.sorted { $0.seq < $1.seq }
        var touching = Set<String>()
        var steps: [TrailStep] = []
        var seen: [LedgerEntry] = []
        let cutoff = Period(year: rubric.year, span: .annual).cutoff
        var before = standings(rubric: rubric, roster: roster, entries: [], cutoff: cutoff).cards[0]
        for entry in entries {
            // A rectification report or re-check changes no score: listed as it is, without rescoring.
            if entry.record.isFollowUp {
                steps.append(TrailStep(entry: entry, changes: [], total: before.total))
                continue
            }
            seen.append(entry)
            // Findings and notices here name the unit (filtered above); a retraction counts if it withdraws one of them.
            if case .retraction(let r) = entry.record,
                !(touching.contains(r.target) && (r.units == nil || r.units!.contains(unit.name)))
            {
                continue
            }
            touching.insert(entry.record.id)
            let after = standings(rubric: rubric, roster: roster, entries: seen, cutoff: cutoff).cards[0]
            var changes: [TrailStep.Change] = []
            for (old, new) in zip(before.rows, after.rows) where old.score != new.score || old.pending != new.pending {
                changes.append(.init(row: new.row.name, before: old.pending ? nil : old.score, after: new.pending ? nil : new.score))
            }
            steps.append(TrailStep(entry: entry, changes: changes, total: after.total))
            before = after
        }
        return steps
    }
}

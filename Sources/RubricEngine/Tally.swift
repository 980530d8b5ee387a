/// Scores records one at a time, so that a large ledger is never held as a list: ``add(_:)`` every
/// entry in arrival order, then take the ``standings()``. `Scorer.standings` is this over a list.
public struct Tally {
    public let rubric: Rubric
    public let roster: UnitRoster
    public let cutoff: Day
    /// Every row of the rubric, numbered.
    private let rows: [Row]
    private let rowNumber: [String: Int]
    /// For each unit (by roster position), its entries by row number; empty until the unit has one.
    private var items: [[[(RowEntry, Int?)]]]
    /// For each unit, which row numbers are on its card; computed on first use.
    private var applicable: [[Bool]?]
    /// Names as met in records, to roster position and row number (nil: not found).
    private var unitByName: [ByteKey: Int?] = [:]
    private var rowByName: [ByteKey: Int?] = [:]
    /// For each row number, clause names as met in records, to clause position.
    private var clauseByName: [[(name: String?, index: Int?)]]
    private var withdrawals = Withdrawals()
    private var unplaced: [Unplaced] = []

    public init(rubric: Rubric, roster: UnitRoster, cutoff: Day) {
        self.rubric = rubric
        self.roster = roster
        self.cutoff = cutoff
        rows = rubric.rows.values.sorted { $0.id < $1.id }
        rowNumber = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1.id, $0) })
        items = Array(repeating: [], count: roster.units.count)
        applicable = Array(repeating: nil, count: roster.units.count)
        clauseByName = Array(repeating: [], count: rows.count)
    }

    /// Adds one ledger entry; entries must come in arrival order. Other years' records are ignored.
    public mutating func add(_ entry: LedgerEntry) {
        guard entry.record.year == rubric.year else { return }
        switch entry.record {
        case .finding(let f):
            guard let unit = unitPosition(f.unit) else {
                unplaced.append(Unplaced(recordID: f.id, unit: f.unit, reason: "单位不在当前单位名单中"))
                return
            }
            guard let row = rowNumber(f.indicator), applies(row, to: unit) else {
                unplaced.append(Unplaced(recordID: f.id, unit: f.unit, reason: "指标“\(f.indicator)”不适用于该单位"))
                return
            }
            let clauseAt = clausePosition(f.clause, row: row)
            let e = RowEntry(seq: entry.seq, recordID: f.id, date: f.date, isNotice: false,
                             clause: clauseAt.map { rows[row].clauses[$0].name } ?? f.clause,
                             count: f.count, score: f.score, points: f.points, method: f.method, evidence: f.evidence,
                             file: entry.file, afterCutoff: f.date > cutoff, withdrawnBy: nil)
            append(e, clause: clauseAt, unit: unit, row: row)
        case .notice(let n):
            for name in n.units {
                guard let unit = unitPosition(name) else {
                    unplaced.append(Unplaced(recordID: n.id, unit: name, reason: "单位不在当前单位名单中"))
                    continue
                }
                let card = roster.rows(for: roster.units[unit], in: rubric)
                guard let row = card.first(where: { $0.noticeLevel == n.level }).flatMap({ rowNumber[$0.id] }) else {
                    unplaced.append(Unplaced(recordID: n.id, unit: name, reason: "没有对应“\(n.level)”通报的指标"))
                    continue
                }
                let e = RowEntry(seq: entry.seq, recordID: n.id, date: n.date, isNotice: true, clause: nil, count: 1,
                                 score: nil, points: nil, method: n.title, evidence: n.evidence, file: entry.file,
                                 afterCutoff: n.date > cutoff, withdrawnBy: nil)
                append(e, clause: 0, unit: unit, row: row)
            }
        case .retraction(let r):
            withdrawals.add(r)
        }
    }

    /// Every unit's card, ranked within its class.
    public consuming func standings() -> Standings {
        var classes: [ClassStandings] = []
        let withdrawnAny = !withdrawals.retractions.isEmpty
        for unitClass in rubric.classes {
            var cards: [Scorecard] = []
            for (u, unit) in roster.units.enumerated() where unit.unitClass == unitClass.name {
                let card = roster.rows(for: unit, in: rubric)
                // Taken out as each card is scored, so the entries are not held twice.
                var byRow = items[u]
                items[u] = []
                var cardItems: [[(RowEntry, Int?)]] = card.map { row in
                    byRow.isEmpty ? [] : byRow[rowNumber[row.id]!]
                }
                byRow = []
                if withdrawnAny {
                    for r in cardItems.indices {
                        for i in cardItems[r].indices {
                            cardItems[r][i].0.withdrawnBy = withdrawals.by(cardItems[r][i].0.recordID, unit: unit.name)
                        }
                    }
                }
                let scores = zip(card, cardItems).map { Scorer.score($0, $1) }
                var scorecard = Scorecard(unit: unit, rows: scores, total: scores.map(\.score).sum(), rank: 0, retractions: [])
                if withdrawnAny {
                    scorecard.retractions = Scorer.retractionEffects(for: scorecard, items: cardItems, withdrawals: withdrawals)
                }
                cards.append(scorecard)
            }
            Scorer.rank(&cards)
            classes.append(ClassStandings(unitClass: unitClass, cards: cards))
        }
        return Standings(rubric: rubric, cutoff: cutoff, classes: classes, unplaced: unplaced)
    }

    private mutating func append(_ e: RowEntry, clause: Int?, unit: Int, row: Int) {
        if items[unit].isEmpty { items[unit] = Array(repeating: [], count: rows.count) }
        items[unit][row].append((e, clause))
    }

    private mutating func unitPosition(_ name: String) -> Int? {
        let key = ByteKey(name)
        if let known = unitByName[key] { return known }
        let found = roster.position(of: name)
        unitByName[key] = .some(found)
        return found
    }

    private mutating func rowNumber(_ indicator: String) -> Int? {
        let key = ByteKey(indicator)
        if let known = rowByName[key] { return known }
        let found = rubric.row(named: indicator).flatMap { rowNumber[$0.id] }
        rowByName[key] = .some(found)
        return found
    }

    private mutating func applies(_ row: Int, to unit: Int) -> Bool {
        if let known = applicable[unit] { return known[row] }
        var onCard = Array(repeating: false, count: rows.count)
        for r in roster.rows(for: roster.units[unit], in: rubric) { onCard[rowNumber[r.id]!] = true }
        applicable[unit] = onCard
        return onCard[row]
    }

    private mutating func clausePosition(_ clause: String?, row: Int) -> Int? {
        if let known = clauseByName[row].first(where: { $0.name.map(ByteKey.init) == clause.map(ByteKey.init) }) {
            return known.index
        }
        let r = rows[row]
        let found = r.clause(named: clause).flatMap { c in r.clauses.firstIndex(of: c) }
        clauseByName[row].append((clause, found))
        return found
    }
}

/// A name compared and hashed by its UTF-8 bytes: Chinese names are hashed without Unicode normalisation.
/// Byte-equal names are equal names; lookups that miss fall back to the rubric's and roster's own.
struct ByteKey: Hashable {
    let name: String

    init(_ name: String) { self.name = name }

    static func == (a: ByteKey, b: ByteKey) -> Bool { a.name.utf8.elementsEqual(b.name.utf8) }

    func hash(into hasher: inout Hasher) {
        if name.utf8.withContiguousStorageIfAvailable({ hasher.combine(bytes: UnsafeRawBufferPointer($0)) }) == nil {
            for b in name.utf8 { hasher.combine(b) }
        }
    }
}

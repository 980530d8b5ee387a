import Dispatch

/// Scores records one at a time, so that a large ledger is never held as a list: ``add(_:)`` every
/// entry in arrival order, then take the ``standings()``. `Scorer.standings` is this over a list.
public struct Tally {
    public let rubric: Rubric
    public let roster: UnitRoster
    public let cutoff: Day
    /// Every row of the rubric, numbered.
    private let rows: [Row]
    private let numberByID: [String: Int]
    /// For each unit (by roster position), its entries by row number; empty until the unit has one.
    private var items: [[[RowEntry]]]
    /// For each unit, the row numbers on its card in printed order, and whether each row is on it;
    /// computed on first use.
    private var cards: [(rows: [Int], has: [Bool])?]
    /// Names as met in records, to roster position and row number (nil: not found).
    private var unitByName = NameMap<Int?>()
    private var rowByName = NameMap<Int?>()
    /// For each row number, clause names as met in records, to clause position.
    private var clauseByName: [[(name: String?, index: Int?)]]
    private var withdrawals = Withdrawals()
    private var unplaced: [Unplaced] = []

    public init(rubric: Rubric, roster: UnitRoster, cutoff: Day) {
        self.rubric = rubric
        self.roster = roster
        self.cutoff = cutoff
        rows = rubric.rows.values.sorted { $0.id < $1.id }
        numberByID = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1.id, $0) })
        items = Array(repeating: [], count: roster.units.count)
        cards = Array(repeating: nil, count: roster.units.count)
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
            guard let row = rowNumber(f.indicator), card(unit).has[row] else {
                unplaced.append(Unplaced(recordID: f.id, unit: f.unit, reason: "指标“\(f.indicator)”不适用于该单位"))
                return
            }
            let clauseAt = clausePosition(f.clause, row: row)
            let e = RowEntry(
                seq: entry.seq, recordID: f.id, date: f.date, isNotice: false,
                clause: clauseAt.map { rows[row].clauses[$0].name } ?? f.clause, clauseIndex: clauseAt,
                count: f.count, score: f.score, points: f.points, method: f.method, evidence: f.evidence,
                note: f.note, file: entry.file, source: entry.source, afterCutoff: f.date > cutoff, withdrawnBy: nil)
            append(e, unit: unit, row: row)
        case .notice(let n):
            for name in n.units {
                guard let unit = unitPosition(name) else {
                    unplaced.append(Unplaced(recordID: n.id, unit: name, reason: "单位不在当前单位名单中"))
                    continue
                }
                guard let row = card(unit).rows.first(where: { rows[$0].noticeLevel == n.level }) else {
                    unplaced.append(Unplaced(recordID: n.id, unit: name, reason: "没有对应“\(n.level)”通报的指标"))
                    continue
                }
                // A notice counts as an occurrence of the row's (single) clause.
                let e = RowEntry(
                    seq: entry.seq, recordID: n.id, date: n.date, isNotice: true, clause: nil, clauseIndex: 0, count: 1,
                    score: nil, points: nil, method: nil, evidence: n.evidence, note: n.title, file: entry.file,
                    source: entry.source, afterCutoff: n.date > cutoff, withdrawnBy: nil)
                append(e, unit: unit, row: row)
            }
        case .retraction(let r):
            withdrawals.add(r)
        case .rectification, .recheck:
            break  // tracked in the 整改台账 (RectificationBook), never scored
        }
    }

    /// Every unit's card, ranked within its class. The classes are scored on every core.
    public consuming func standings() -> Standings {
        let (withdrawals, classes, roster, rubric, numberByID) = (self.withdrawals, rubric.classes, roster, rubric, numberByID)
        nonisolated(unsafe) var results = [ClassStandings?](repeating: nil, count: classes.count)
        // Each class's units are distinct, so each iteration reads and writes only its own units' entries.
        items.withUnsafeMutableBufferPointer { items in
            nonisolated(unsafe) let items = items
            results.withUnsafeMutableBufferPointer { results in
                nonisolated(unsafe) let results = results
                DispatchQueue.concurrentPerform(iterations: classes.count) { c in
                    var cards: [Scorecard] = []
                    for (u, unit) in roster.units.enumerated() where unit.unitClass == classes[c].name {
                        // Marked in place, then taken out as the card is scored: the entries are held once.
                        if !withdrawals.retractions.isEmpty {
                            for r in items[u].indices {
                                for i in items[u][r].indices {
                                    guard let by = withdrawals.by(items[u][r][i].recordID, unit: unit) else { continue }
                                    items[u][r][i].withdrawnBy = by
                                }
                            }
                        }
                        let byRow = items[u]
                        items[u] = []
                        let scores = roster.rows(for: unit, in: rubric).map { row in
                            Scorer.score(row, byRow.isEmpty ? [] : byRow[numberByID[row.id]!])
                        }
                        var card = Scorecard(unit: unit, rows: scores, total: scores.map(\.score).sum(), rank: 0, retractions: [])
                        if !withdrawals.retractions.isEmpty {
                            card.retractions = Scorer.retractionEffects(for: card, withdrawals: withdrawals)
                        }
                        cards.append(card)
                    }
                    Scorer.rank(&cards)
                    results[c] = ClassStandings(unitClass: classes[c], cards: cards)
                }
            }
        }
        return Standings(rubric: rubric, cutoff: cutoff, classes: results.map { $0! }, unplaced: unplaced)
    }

    private mutating func append(_ e: RowEntry, unit: Int, row: Int) {
        if items[unit].isEmpty { items[unit] = Array(repeating: [], count: rows.count) }
        items[unit][row].append(e)
    }

    private mutating func unitPosition(_ name: String) -> Int? {
        if let known = unitByName[name] { return known }
        let found = roster.position(of: name)
        unitByName[name] = .some(found)
        return found
    }

    private mutating func rowNumber(_ indicator: String) -> Int? {
        if let known = rowByName[indicator] { return known }
        let found = rubric.row(named: indicator).flatMap { numberByID[$0.id] }
        rowByName[indicator] = .some(found)
        return found
    }

    private mutating func card(_ unit: Int) -> (rows: [Int], has: [Bool]) {
        if let known = cards[unit] { return known }
        let onCard = roster.rows(for: roster.units[unit], in: rubric).map { numberByID[$0.id]! }
        var has = Array(repeating: false, count: rows.count)
        for r in onCard { has[r] = true }
        cards[unit] = (onCard, has)
        return (onCard, has)
    }

    private mutating func clausePosition(_ clause: String?, row: Int) -> Int? {
        if let known = clauseByName[row].first(where: { a in
            if let a = a.name, let clause { sameBytes(a, clause) } else { a.name == nil && clause == nil }
        }) {
            return known.index
        }
        let r = rows[row]
        let found = r.clause(named: clause).flatMap { c in r.clauses.firstIndex(of: c) }
        clauseByName[row].append((clause, found))
        return found
    }
}

/// Names to values, hashed and compared by their UTF-8 bytes: the scorer looks up a unit and a row for
/// every record, and Chinese names would otherwise be hashed through Unicode normalisation. Byte-equal
/// names are equal names; a name not found here is looked up in the rubric or roster and added.
struct NameMap<Value> {
    private var slots: [(name: String, hash: UInt64, value: Value)?] = Array(repeating: nil, count: 64)
    private var count = 0

    subscript(name: String) -> Value? {
        get {
            let hash = fnv1a(name)
            var i = Int(truncatingIfNeeded: hash) & (slots.count - 1)
            while let slot = slots[i] {
                if slot.hash == hash && sameBytes(slot.name, name) { return slot.value }
                i = (i + 1) & (slots.count - 1)
            }
            return nil
        }
        set {
            guard let newValue else { return }  // entries are only ever added
            if (count + 1) * 2 > slots.count {
                let old = slots
                slots = Array(repeating: nil, count: old.count * 2)
                count = 0
                for case let slot? in old { insert(slot) }
            }
            insert((name, fnv1a(name), newValue))
        }
    }

    private mutating func insert(_ entry: (name: String, hash: UInt64, value: Value)) {
        var i = Int(truncatingIfNeeded: entry.hash) & (slots.count - 1)
        while let slot = slots[i] {
            if slot.hash == entry.hash && sameBytes(slot.name, entry.name) {
                slots[i] = entry
                return
            }
            i = (i + 1) & (slots.count - 1)
        }
        slots[i] = entry
        count += 1
    }
}

/// FNV-1a over a string's UTF-8.
func fnv1a(_ s: String) -> UInt64 {
    s.utf8.withContiguousStorageIfAvailable(fnv1a) ?? Array(s.utf8).withUnsafeBufferPointer(fnv1a)
}

/// FNV-1a over bytes.
func fnv1a(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
    return hash
}

/// Whether two strings have the same UTF-8 bytes.
func sameBytes(_ a: String, _ b: String) -> Bool {
    guard a.utf8.count == b.utf8.count else { return false }
    return a.utf8.withContiguousStorageIfAvailable { x in
        b.utf8.withContiguousStorageIfAvailable { y in sameBytes(x, y) }
    }.flatMap { $0 } ?? a.utf8.elementsEqual(b.utf8)
}

/// Whether two byte buffers are equal, eight bytes at a time.
func sameBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    guard let x = a.baseAddress, let y = b.baseAddress else { return true }
    var i = 0
    while i + 8 <= a.count {
        if UnsafeRawPointer(x).loadUnaligned(fromByteOffset: i, as: UInt64.self)
            != UnsafeRawPointer(y).loadUnaligned(fromByteOffset: i, as: UInt64.self)
        {
            return false
        }
        i += 8
    }
    while i < a.count {
        if x[i] != y[i] { return false }
        i += 1
    }
    return true
}

/// The 整改台账 on one day: every item open by then with its state, grouped by unit (units-file order, then
/// units no longer in it by name; within a unit by date, then arrival), and each unit's counts.
public struct RectificationList: Sendable {
    public let asOf: Day
    public let policy: RectificationPolicy
    /// The items, each with its state that day.
    public let rows: RectificationRows
    /// Each unit with items, in the order of `rows`.
    public let units: [UnitRectification]
    /// Unit name to its rows' positions in `rows` and its place in `units`.
    private let rangeByUnit: [String: (rows: Range<Int>, summary: Int?)]

    init(items: [RectificationItem], asOf: Day, policy: RectificationPolicy, roster: UnitRoster) {
        var positions = NameMap<Int?>()
        var buckets = [[Int32]](repeating: [], count: roster.units.count)
        var others: [String: [Int32]] = [:]
        for (i, item) in items.enumerated() where item.date <= asOf {
            let position: Int?
            if let known = positions[item.unit] {
                position = known
            } else {
                position = roster.position(of: item.unit)
                positions[item.unit] = .some(position)
            }
            if let position { buckets[position].append(Int32(i)) } else { others[item.unit, default: []].append(Int32(i)) }
        }
        buckets += others.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }.map { others[$0]! }
        var order: [Int32] = []
        var statuses: [ItemStatus] = []
        order.reserveCapacity(items.count)
        statuses.reserveCapacity(items.count)
        for var bucket in buckets where !bucket.isEmpty {
            // Arrival order is item order; a stable sort by date keeps it among items of one day.
            bucket.sort { a, b in (items[Int(a)].date, a) < (items[Int(b)].date, b) }
            for i in bucket {
                order.append(i)
                statuses.append(items[Int(i)].status(asOf: asOf, policy: policy)!)
            }
        }
        self.init(asOf: asOf, policy: policy, rows: RectificationRows(items: items, order: order, statuses: statuses))
    }

    private init(asOf: Day, policy: RectificationPolicy, rows: RectificationRows, units: [UnitRectification]? = nil) {
        self.asOf = asOf
        self.policy = policy
        self.rows = rows
        // Each unit's rows are together: one pass finds where each unit's begin and end, and counts them.
        var summaries: [UnitRectification] = []
        var ranges: [String: (rows: Range<Int>, summary: Int?)] = [:]
        var start = rows.startIndex
        while start < rows.endIndex {
            let unit = rows.unit(at: start)
            var end = start
            var summary = UnitRectification(unit: unit)
            while end < rows.endIndex, sameBytes(rows.unit(at: end), unit) {
                if units == nil { summary.count(rows.status(at: end)) }
                end += 1
            }
            summaries.append(summary)
            ranges[unit] = (start..<end, units == nil ? summaries.count - 1 : units!.firstIndex { $0.unit == unit })
            start = end
        }
        self.units = units ?? summaries
        rangeByUnit = ranges
    }

    /// One unit's items.
    public func rows(of unit: String) -> RectificationRows {
        guard let range = rangeByUnit[unit]?.rows else { return rows.slice(0..<0) }
        return rows.slice(range)
    }

    /// One unit's counts, if it has items.
    public func summary(of unit: String) -> UnitRectification? {
        rangeByUnit[unit]?.summary.map { units[$0] }
    }

    /// All units' counts together.
    public var total: UnitRectification {
        units.reduce(into: UnitRectification(unit: "合计")) { $0.add($1) }
    }

    /// The items of `unit` only (all units when nil) in `state` only (every state when nil); the unit counts
    /// follow the unit filter, not the state filter.
    public func filtered(unit: String? = nil, state: ItemState? = nil) -> RectificationList {
        guard unit != nil || state != nil else { return self }
        let base = unit.map { rows(of: $0) } ?? rows
        let kept = state.map { s in base.indices.filter { base.status(at: $0).state == s } } ?? Array(base.indices)
        let units = unit.map { name in self.units.filter { $0.unit == name } } ?? self.units
        return RectificationList(asOf: asOf, policy: policy, rows: base.picking(kept), units: units)
    }
}

/// One item on the day asked: the item and its state.
public struct RectificationRow: Sendable {
    public var item: RectificationItem
    public var status: ItemStatus
}

/// Rows of a ``RectificationList``: the items are shared with the book, each row only points at one.
public struct RectificationRows: RandomAccessCollection, Sendable {
    private let items: [RectificationItem]
    private let order: [Int32]
    private let statuses: [ItemStatus]
    public let startIndex: Int
    public let endIndex: Int

    init(items: [RectificationItem], order: [Int32], statuses: [ItemStatus], range: Range<Int>? = nil) {
        self.items = items
        self.order = order
        self.statuses = statuses
        startIndex = range?.lowerBound ?? 0
        endIndex = range?.upperBound ?? order.count
    }

    public subscript(position: Int) -> RectificationRow {
        RectificationRow(item: items[Int(order[position])], status: statuses[position])
    }

    func unit(at position: Int) -> String { items[Int(order[position])].unit }
    func status(at position: Int) -> ItemStatus { statuses[position] }
    func slice(_ range: Range<Int>) -> RectificationRows { RectificationRows(items: items, order: order, statuses: statuses, range: range) }
    func picking(_ positions: [Int]) -> RectificationRows {
        RectificationRows(items: items, order: positions.map { order[$0] }, statuses: positions.map { statuses[$0] })
    }
}

/// A unit's items by state, and its rates.
public struct UnitRectification: Sendable, Equatable {
    public var unit: String
    public var open = 0
    public var overdue = 0
    public var reported = 0
    public var closed = 0
    public var withdrawn = 0
    /// Closed items whose closing rectification came by the deadline in force.
    public var closedOnTime = 0

    public init(unit: String) { self.unit = unit }

    /// Items to rectify: every item but the withdrawn.
    public var items: Int { open + overdue + reported + closed }
    /// 整改率: closed ÷ items; nil without items.
    public var rectificationRate: Ratio? { items > 0 ? Ratio(closed, items) : nil }
    /// 按期整改率 (`on_time_rate`): closed on time ÷ closed; nil when none is closed.
    public var onTimeRate: Ratio? { closed > 0 ? Ratio(closedOnTime, closed) : nil }

    mutating func count(_ status: ItemStatus) {
        switch status.state {
        case .open: open += 1
        case .overdue: overdue += 1
        case .reported: reported += 1
        case .closed:
            closed += 1
            if !status.late { closedOnTime += 1 }
        case .withdrawn: withdrawn += 1
        }
    }

    mutating func add(_ other: UnitRectification) {
        open += other.open
        overdue += other.overdue
        reported += other.reported
        closed += other.closed
        withdrawn += other.withdrawn
        closedOnTime += other.closedOnTime
    }
}

/// A share, written exactly: as a decimal to four places (`0.6667`, `1.0`) or a percentage to two (`66.67%`).
public struct Ratio: Sendable, Equatable {
    public var numerator: Int
    public var denominator: Int

    public init(_ numerator: Int, _ denominator: Int) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// Ten-thousandths, rounded half up.
    private var basisPoints: Int { (numerator * 20_000 + denominator) / (2 * denominator) }

    /// `0.6667`, `0.5`, `1.0`: at most four decimals, at least one.
    public var decimal: String {
        let b = basisPoints
        var fraction = String(b % 10_000)
        fraction = String(repeating: "0", count: 4 - fraction.count) + fraction
        while fraction.count > 1 && fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(b / 10_000).\(fraction)"
    }

    /// `66.67%`, `50%`, `100%`.
    public var percent: String {
        let b = basisPoints
        let cents = b % 100
        return "\(b / 100)" + (cents == 0 ? "" : cents % 10 == 0 ? ".\(cents / 10)" : cents < 10 ? ".0\(cents)" : ".\(cents)") + "%"
    }
}

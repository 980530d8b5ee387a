/// Every problem of a rejected file: the first ``listLimit`` in full, in file order, and how many more there
/// were. However many problems a file has, what is kept and written stays small (a `.why.txt` under 64 KiB).
public struct Problems: Error, Sendable, Equatable, CustomStringConvertible {
    /// The most problems listed in full.
    public static let listLimit = 100
    /// The most bytes of problem lines in a listing; problems past it are counted, not listed.
    public static let listingBudget = 48 * 1024

    /// The problems listed, in file order (at most ``listLimit``).
    public var all: [Problem]
    /// How many problems the file has in all.
    public var count: Int

    /// `problems`, of which the first ``listLimit`` are kept.
    public init(_ problems: [Problem]) {
        all = Array(problems.prefix(Problems.listLimit))
        count = problems.count
    }

    /// The first problems of a file (`first`, trimmed to ``listLimit``) and how many it has in all.
    public init(first: [Problem], count: Int) {
        all = Array(first.prefix(Problems.listLimit))
        self.count = max(count, all.count)
    }

    public var description: String { all.map(\.description).joined(separator: "\n") }

    /// The rejection reason: `共N处问题:`, one numbered, indented line per listed problem, and
    /// `还有 N 处问题未列出` when not all are listed.
    public var listing: String {
        var lines: [String] = []
        var bytes = 0
        for (i, problem) in all.enumerated() {
            let line = "  \(i + 1). \(problem)"
            if bytes + line.utf8.count > Problems.listingBudget { break }
            bytes += line.utf8.count + 1
            lines.append(line)
        }
        if lines.count < count {
            lines.append("  还有 \(count - lines.count) 处问题未列出(只列出前\(lines.count)处)。请先改正以上问题,再用 zwgk validate 检查其余的。")
        }
        return "共\(count)处问题:\n" + lines.joined(separator: "\n")
    }
}

/// The first `limit` items by key (ties in the order added) of however many are added, and their count:
/// memory stays bounded, and an item that cannot be among the first is never made.
struct FirstByKey<Key: Comparable, Item> {
    let limit: Int
    private var kept: [(key: Key, order: Int, item: Item)] = []
    /// The key at which an added item can no longer be among the first `limit`.
    private var bound: Key?
    /// How many items were added.
    private(set) var count = 0

    init(limit: Int) { self.limit = limit }

    mutating func add(_ key: Key, _ item: () -> Item) {
        defer { count += 1 }
        if let bound, !(key < bound) { return }
        kept.append((key, count, item()))
        if kept.count >= 2 * limit { compact() }
    }

    private mutating func compact() {
        kept.sort { ($0.key, $0.order) < ($1.key, $1.order) }
        if kept.count >= limit {
            kept.removeLast(kept.count - limit)
            bound = kept.last?.key
        }
    }

    /// The first `limit` items, in key order.
    mutating func first() -> [Item] {
        compact()
        return kept.map(\.item)
    }
}

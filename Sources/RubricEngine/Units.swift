import ZwgkFormats

/// An assessed unit from the units file.
public struct Unit: Sendable, Equatable {
    public var name: String
    /// The class name (`A`, `B`).
    public var unitClass: String
    /// Assigned-only rows that apply to this unit, as normalised row names.
    public var assigned: Set<String>
    /// Names the unit had before (`formerly = ["旧名"]`), for a renamed unit: records naming them are its records.
    public var formerly: [String]

    public init(name: String, unitClass: String, assigned: [String] = [], formerly: [String] = []) {
        self.name = name
        self.unitClass = unitClass
        self.assigned = Set(assigned.map(Rubric.normalise))
        self.formerly = formerly
    }

    /// Its current name, then its former ones.
    public var names: [String] { [name] + formerly }
}

/// Every assessed unit, in the order of the units file.
public struct UnitRoster: Sendable {
    public private(set) var units: [Unit]
    private var index: [String: Int]
    /// Harmless oddities of the units file, worth telling the operator (with their lines).
    public var warnings: [UnitsFileError] = []

    public init(units: [Unit]) {
        self.units = units
        // A current name wins over a former one.
        let former = units.enumerated().flatMap { i, unit in unit.formerly.map { ($0, i) } }
        let current = Dictionary(units.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.index = Dictionary(former, uniquingKeysWith: { a, _ in a }).merging(current) { _, now in now }
    }

    /// The unit called `name` now or formerly.
    public subscript(name: String) -> Unit? { index[name].map { units[$0] } }

    /// Where the unit called `name` (now or formerly) stands in the units file.
    public func position(of name: String) -> Int? { index[name] }

    /// The rows of `rubric` that apply to `unit`, in printed order.
    public func rows(for unit: Unit, in rubric: Rubric) -> [Row] {
        rubric.rows(of: unit.unitClass).filter { $0.applies == .all || unit.assigned.contains(rubric.normalisedName(of: $0)) }
    }

    /// Whether `row` is on `unit`'s card: its class lists it and, for an assigned-only row, the unit is assigned it.
    public func applies(_ row: Row, to unit: Unit, in rubric: Rubric) -> Bool {
        rubric.unitClass(unit.unitClass)?.rowIDs.contains(row.id) == true
            && (row.applies == .all || unit.assigned.contains(rubric.normalisedName(of: row)))
    }

    /// Unit names closest to `name`, for "did you mean" hints.
    public func suggestions(for name: String) -> [String] {
        closest(to: name, among: units.map(\.name))
    }
}

/// A problem in the units file, with its line.
public struct UnitsFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var problem: String
    public var description: String { line > 0 ? "第\(line)行:\(problem)" : problem }
}

extension UnitRoster {
    /// Reads a units file (`[[unit]]` tables with `name`, `class`, `assigned`) and checks every
    /// class and assigned row against the rubrics in force. Reports every problem found.
    public static func load(toml text: String, rubrics: [Rubric]) throws(UnitsFileErrors) -> UnitRoster {
        let root: TOMLTable
        do {
            root = try TOMLReader.parse(text)
        } catch {
            throw UnitsFileErrors(errors: [UnitsFileError(line: error.line, problem: error.reason)])
        }
        var errors: [UnitsFileError] = []
        var warnings: [UnitsFileError] = []
        for key in root.keys where key != "unit" {
            errors.append(UnitsFileError(line: root.line(of: key) ?? 0, problem: "未知的顶层键“\(key)”(每个单位写成一个 [[unit]] 表)"))
        }
        guard case .array(let items)? = root["unit"], !items.isEmpty else {
            errors.append(UnitsFileError(line: 0, problem: "没有任何 [[unit]] 表"))
            throw UnitsFileErrors(errors: errors)
        }
        let classNames = Set(rubrics.flatMap { $0.classes.map(\.name) })
        var units: [Unit] = []
        var seen: [String: Int] = [:]
        for item in items {
            guard case .table(let t) = item else { continue }
            let line = t.line
            func fail(_ p: String) { errors.append(UnitsFileError(line: line, problem: p)) }
            for key in t.keys where !["name", "class", "assigned", "formerly"].contains(key) {
                errors.append(UnitsFileError(line: t.line(of: key) ?? line, problem: "未知的键“\(key)”(只能有 name、class、assigned、formerly)"))
            }
            guard case .string(let name)? = t["name"], !name.trimmingSpaces.isEmpty else {
                fail("缺少单位名称 name")
                continue
            }
            guard name == name.trimmingSpaces else {
                fail("单位名称“\(name)”首尾有空格")
                continue
            }
            if let first = seen[name] {
                fail("单位“\(name)”重复(第\(first)行已有)")
                continue
            }
            seen[name] = line
            guard case .string(let unitClass)? = t["class"], classNames.contains(unitClass) else {
                fail("单位“\(name)”的 class 必须是 \(classNames.sorted().joined(separator: " 或 "))")
                continue
            }
            var assigned = Set<String>()
            switch t["assigned"] {
            case nil: break
            case .array(let values)?:
                for v in values {
                    guard case .string(let rowName) = v else {
                        fail("单位“\(name)”的 assigned 只能包含指标名称字符串")
                        continue
                    }
                    let candidates = rubrics.compactMap { $0.row(named: rowName) }
                    guard let row = candidates.first else {
                        let hint = closest(to: rowName, among: rubrics.flatMap { $0.rows.values.map(\.name) })
                        fail("单位“\(name)”的 assigned 中“\(rowName)”不是考核细则中的指标" + (hint.isEmpty ? "" : ",是否是:\(hint.joined(separator: "、"))"))
                        continue
                    }
                    guard candidates.contains(where: { $0.applies == .assigned }) else {
                        warnings.append(UnitsFileError(line: line, problem: "单位“\(name)”的 assigned 中“\(row.name)”适用于全部单位,无需指定(已忽略)"))
                        continue
                    }
                    guard rubrics.contains(where: { r in r.rows(of: unitClass).contains { $0.id == row.id } }) else {
                        warnings.append(UnitsFileError(line: line, problem: "单位“\(name)”是\(unitClass)类,\(unitClass)类没有指标“\(row.name)”(已忽略)"))
                        continue
                    }
                    assigned.insert(Rubric.normalise(row.name))
                }
            default:
                fail("单位“\(name)”的 assigned 必须是字符串数组")
            }
            var formerly: [String] = []
            switch t["formerly"] {
            case nil: break
            case .array(let values)?:
                for v in values {
                    guard case .string(let old) = v, !old.trimmingSpaces.isEmpty, old == old.trimmingSpaces else {
                        fail("单位“\(name)”的 formerly 只能包含非空、首尾无空格的原单位名称字符串")
                        continue
                    }
                    guard old != name, !formerly.contains(old) else {
                        fail("单位“\(name)”的 formerly 中“\(old)”重复或与现名相同")
                        continue
                    }
                    formerly.append(old)
                }
            default:
                fail("单位“\(name)”的 formerly 必须是字符串数组,如 formerly = [\"原单位名称\"]")
            }
            units.append(Unit(name: name, unitClass: unitClass, assigned: Array(assigned), formerly: formerly))
        }
        // A former name belongs to one unit and is nobody's current name.
        var formerOwner: [String: String] = [:]
        for unit in units {
            for old in unit.formerly {
                if seen[old] != nil {
                    errors.append(UnitsFileError(line: seen[unit.name] ?? 0, problem: "“\(old)”既是现有单位名称,又写在单位“\(unit.name)”的 formerly 中"))
                } else if let other = formerOwner[old] {
                    errors.append(UnitsFileError(line: seen[unit.name] ?? 0, problem: "原名称“\(old)”同时写在单位“\(other)”和“\(unit.name)”的 formerly 中"))
                } else {
                    formerOwner[old] = unit.name
                }
            }
        }
        guard errors.isEmpty else { throw UnitsFileErrors(errors: errors) }
        var roster = UnitRoster(units: units)
        roster.warnings = warnings
        return roster
    }
}

/// Every problem found in a units file.
public struct UnitsFileErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [UnitsFileError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

extension String {
    var trimmingSpaces: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}

/// The longest text (in characters) given suggestions: the edit distance costs its length times each candidate's.
public let closestTextLimit = 64

/// Up to three candidates nearest to `text` by edit distance, when reasonably close; none for a text longer
/// than ``closestTextLimit`` (no name is that long, and the work would grow with it).
public func closest(to text: String, among candidates: [String]) -> [String] {
    guard text.utf8.count <= closestTextLimit * 4, text.count <= closestTextLimit else { return [] }
    let target = Array(Rubric.normalise(text))
    let scored = candidates.map { c -> (String, Int) in
        let d = editDistance(target, Array(Rubric.normalise(c)))
        return (c, d)
    }
    let limit = max(1, target.count / 2)
    return Array(scored.filter { $0.1 <= limit }.sorted { $0.1 < $1.1 }.map(\.0).prefix(3))
}

private func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

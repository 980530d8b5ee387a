import RubricEngine

/// "Did you mean" suggestions for one file: each text's worked out once per kind of name, and at most
/// ``budget`` worked out in all (only the first problems are listed, and each suggestion costs an edit
/// distance per candidate).
final class Hints {
    static let budget = 200
    /// What a text is compared with: field names, unit names, indicator names.
    enum Kind: Hashable { case field, unit, indicator }
    private struct Key: Hashable {
        var kind: Kind
        var text: String
    }
    private var cache: [Key: [String]] = [:]

    /// Up to three of `candidates` near `text` (see `closest`); none once the budget is spent.
    func closest(to text: String, among candidates: @autoclosure () -> [String], kind: Kind) -> [String] {
        let key = Key(kind: kind, text: text)
        if let known = cache[key] { return known }
        guard cache.count < Hints.budget else { return [] }
        let found = RubricEngine.closest(to: text, among: candidates())
        cache[key] = found
        return found
    }

    /// Unit names near `name`.
    func units(near name: String, in roster: UnitRoster) -> [String] {
        let key = Key(kind: .unit, text: name)
        if let known = cache[key] { return known }
        guard cache.count < Hints.budget else { return [] }
        let found = roster.suggestions(for: name)
        cache[key] = found
        return found
    }
}

/// The rubric rows named in one file, each name looked up once (a file of 20,000 findings names a few dozen
/// indicators; normalising each name again was a fifth of the file's time).
final class RowNames {
    private struct Key: Hashable {
        var year: Int
        var name: String
    }
    private var known: [Key: Row?] = [:]

    func row(named name: String, in rubric: Rubric) -> Row? {
        let key = Key(year: rubric.year, name: name)
        if let row = known[key] { return row }
        let row = rubric.row(named: name)
        if known.count < 10_000 { known[key] = row }
        return row
    }
}

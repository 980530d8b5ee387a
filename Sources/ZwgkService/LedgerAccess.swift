import Foundation
public import Ledger
public import RubricEngine

#if canImport(Glibc)
import Glibc
#endif

/// Opening the ledger for a command.
public enum LedgerAccess {
    /// The ledger of `config`'s state folder. Read-only: nil when there is none yet; an unreadable one is
    /// an error that says how to get access.
    public static func open(_ config: Config, readOnly: Bool) throws(ServiceError) -> Ledger? {
        let path = config.state + "/ledger.sqlite"
        if readOnly, case .missing = FS.kind(path) {
            guard errno == ENOENT else {
                throw ServiceError(.ledger, "无法读取账本 \(path):\(String(cString: strerror(errno)))。请以 zwgk 组的用户运行(sudo usermod -aG zwgk 用户名),或检查 --state")
            }
            return nil
        }
        do {
            if !readOnly { try FS.makeDirectory(config.state) }
            return try Ledger(path: path, readOnly: readOnly)
        } catch {
            throw ServiceError(.ledger, "\(error)")
        }
    }
}

extension LedgerAccess {
    /// Scores the ledger's records of `rubric`'s year at `cutoff`, read one at a time (none when there is no ledger yet).
    public static func standings(_ config: Config, rules: Rules, rubric: Rubric, cutoff: Day) throws -> Standings {
        var tally = Tally(rubric: rubric, roster: rules.roster, cutoff: cutoff)
        try open(config, readOnly: true)?.forEachEntry(year: rubric.year) { entry, _ in tally.add(entry) }
        return tally.standings()
    }

    /// The records of `year` that can bear on `unit`, in ledger order; a year's ledger is not held whole.
    public static func entries(_ config: Config, touching unit: RubricEngine.Unit, year: Int) throws -> [LedgerEntry] {
        var entries: [LedgerEntry] = []
        try open(config, readOnly: true)?.forEachEntry(year: year) { entry, _ in
            if Scorer.mayTouch(entry.record, unit: unit) { entries.append(entry) }
        }
        return entries
    }
}

public import DropFile
import Foundation
public import Ledger

/// `validate` and `submit`: files read and checked exactly as the daemon reads and checks them (the same
/// `DropInput`, the same rules, the ledger as it is now), without changing any state.
public struct DropChecker {
    let rules: Rules
    let ledger: Ledger?
    let spool: Spool

    /// Loads the rules and opens the ledger read-only (none yet is fine: nothing is stored).
    public init(config: Config) throws(ServiceError) {
        rules = try Rules.load(config)
        ledger = try LedgerAccess.open(config, readOnly: true)
        spool = Spool(root: config.spool)
    }

    /// The daemon's verdict on `input`, read as `format` (as the daemon reads a file of that extension).
    public func check(_ input: DropInput, format: DropFormat = .json) -> Result<ValidFile, RejectionReason> {
        let lookups = LookupErrors()
        let verdict = input.verdict(format: format, context: rules.context(ledger: ledger, errors: lookups))
        if let error = lookups.first { return .failure(RejectionReason("  无法检查:账本读取失败(\(error)),请稍后重试。")) }
        return verdict
    }

    /// What `submit` did with one file.
    public enum Submitted {
        /// Placed into `incoming/` under this path.
        case placed(String)
        case refused(RejectionReason)
    }

    /// Reads `path` once, checks what was read, and places exactly those bytes into `incoming/` (temporary
    /// name, fsync, rename). `read` is how the file is read (tests pass their own).
    public func submit(_ path: String, read: (String) -> DropInput = { DropInput.read($0) }) throws(FS.Failure) -> Submitted {
        let input = read(path)
        switch check(input, format: DropInput.format(of: path)) {
        case .failure(let reason):
            return .refused(reason)
        case .success:
            guard case .read(let bytes, _) = input else { return .refused(RejectionReason("  无法读取该文件。")) }
            // Placed under a name the daemon takes: not hidden, not an office lock file (the check above passed, so
            // it ends in .json, .xlsx or .csv).
            var name = (path as NSString).lastPathComponent
            while name.hasPrefix(".") || name.hasPrefix("~$") { name.removeFirst(name.hasPrefix(".") ? 1 : 2) }
            return .placed(spool.incoming + "/" + (try spool.place(bytes, as: name)))
        }
    }
}

import RubricEngine

/// Something the ledger could not do, with the file it concerns, what kind of failure it was (`code`, to
/// decide on without reading the text) and SQLite's result code when the failure was SQLite's.
public struct LedgerError: Error, CustomStringConvertible, Sendable {
    public typealias Code = SQLiteError.Code

    public var path: String
    public var action: String
    /// What kind of failure. A record the ledger holds but cannot read is `corrupt`.
    public var code: Code
    /// SQLite's (extended) result code; nil when the failure was not SQLite's (a damaged record).
    public var resultCode: Int32?
    /// What failed underneath, kept as a value: a `SQLiteError`, a `LedgerRecordError`, or an `ApprovalRefusal`.
    public var cause: any Error
    /// Set when an approval (审定) refused the change: the code is then `constraint`.
    public var refusal: ApprovalRefusal?
    /// Set when the file's schema is newer than this zwgk's: the code is then `other`.
    public var newerSchema: NewerSchema? { cause as? NewerSchema }

    /// "Unhealthy, retry later": a full disk, a busy or read-only ledger, an I/O error.
    public var isTransient: Bool { code.isTransient }

    public var description: String { "账本 \(path) \(action)失败:\(cause)" }

    public init(path: String, action: String, code: Code, resultCode: Int32? = nil, cause: any Error) {
        self.path = path
        self.action = action
        self.code = code
        self.resultCode = resultCode
        self.cause = cause
    }

    /// `action` on the ledger at `path` was refused by the year's approval state.
    init(path: String, action: String, refusal: ApprovalRefusal) {
        self.init(path: path, action: action, code: .constraint, cause: refusal)
        self.refusal = refusal
    }

    /// `action` on the ledger at `path` failed with `error`.
    init(path: String, action: String, error: any Error) {
        switch error {
        case let e as SQLiteError:
            self.init(path: path, action: action, code: e.code, resultCode: e.resultCode, cause: e)
        case let e as LedgerRecordError:
            self.init(path: path, action: action, code: .corrupt, cause: e)
        default:
            self.init(path: path, action: action, code: .other, cause: error)
        }
    }
}

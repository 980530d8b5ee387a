import CSQLite

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed SQLite call: what kind of failure (`code`, to decide on), SQLite's own result code, and its message.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// The kinds of failure a caller decides on, derived from SQLite's result code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: Hashable, Sendable {
            case diskFull, busy, readOnly, corrupt, constraint, cannotOpen, ioError, other
        }

        private var kind: Kind

        private init(_ kind: Kind) {
            self.kind = kind
        }

        /// The disk (or the user's quota) is full: SQLITE_FULL, or an I/O error from ENOSPC/EDQUOT.
        public static let diskFull = Code(.diskFull)
        /// Another connection holds a lock: SQLITE_BUSY, SQLITE_LOCKED.
        public static let busy = Code(.busy)
        /// The file or its folder cannot be written: SQLITE_READONLY.
        public static let readOnly = Code(.readOnly)
        /// The file is damaged or not a database: SQLITE_CORRUPT, SQLITE_NOTADB.
        public static let corrupt = Code(.corrupt)
        /// A constraint refused the change (a unique key, or the append-only triggers): SQLITE_CONSTRAINT.
        public static let constraint = Code(.constraint)
        /// The file could not be opened (missing, or no permission on it or its folder): SQLITE_CANTOPEN.
        public static let cannotOpen = Code(.cannotOpen)
        /// Reading or writing the file failed: SQLITE_IOERR.
        public static let ioError = Code(.ioError)
        /// Any other failure.
        public static let other = Code(.other)

        /// The kind of a SQLite result code, primary or extended.
        public init(resultCode: Int32) {
            self.init(resultCode: resultCode, systemErrno: 0)
        }

        /// The kind of a SQLite result code, with the OS error behind it (`sqlite3_system_errno`): an I/O
        /// error from a full disk is `diskFull`.
        init(resultCode: Int32, systemErrno: Int32) {
            switch resultCode & 0xff {
            case SQLITE_FULL: kind = .diskFull
            case SQLITE_BUSY, SQLITE_LOCKED: kind = .busy
            case SQLITE_READONLY: kind = .readOnly
            case SQLITE_CORRUPT, SQLITE_NOTADB: kind = .corrupt
            case SQLITE_CONSTRAINT: kind = .constraint
            case SQLITE_CANTOPEN: kind = .cannotOpen
            case SQLITE_IOERR: kind = systemErrno == ENOSPC || systemErrno == EDQUOT ? .diskFull : .ioError
            default: kind = .other
            }
        }

        /// A condition that may pass by itself (space freed, a lock released, a mount remounted
        /// read-write): the daemon is unhealthy and retries later rather than giving up.
        public var isTransient: Bool {
            switch kind {
            case .diskFull, .busy, .ioError, .readOnly: true
            case .corrupt, .constraint, .cannotOpen, .other: false
            }
        }

        public var description: String {
            switch kind {
            case .diskFull: "磁盘已满"
            case .busy: "账本被占用"
            case .readOnly: "账本只读"
            case .corrupt: "文件已损坏或不是账本数据库"
            case .constraint: "违反约束"
            case .cannotOpen: "无法打开文件"
            case .ioError: "读写出错"
            case .other: "其他错误"
            }
        }
    }

    /// What kind of failure, to decide on without reading the message.
    public var code: Code
    /// SQLite's result code, extended where SQLite gives one (SQLITE_FULL is 13, SQLITE_CONSTRAINT_TRIGGER 1811).
    public var resultCode: Int32
    /// SQLite's own message.
    public var message: String

    /// (Begins "SQLite错误(<result code>)", as it always has.)
    public var description: String {
        "SQLite错误(\(resultCode)):\(message)" + (code == .other ? "" : "(\(code))")
    }

    init(resultCode: Int32, message: String, systemErrno: Int32 = 0) {
        self.code = Code(resultCode: resultCode, systemErrno: systemErrno)
        self.resultCode = resultCode
        self.message = message
    }
}

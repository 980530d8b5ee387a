/// Why the service cannot start or go on, or why a command cannot do what was asked. The code says what
/// kind of failure it is (callers decide on it, never on the text); the message says it to the operator.
public struct ServiceError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure, for callers that act differently on them. A struct around a private enum (as
    /// swift-service-lifecycle's errors are), so that kinds can be added without breaking a caller's `switch`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Hashable, Sendable {
            case spool, state, locked, rules, units, config, watch, ledger, snapshot, diskFull, input, approval
        }

        private let kind: Kind
        /// For ``locked(pid:)``: the process holding the lock, where its lock file names it. Not part of equality.
        public let pid: Int32?

        private init(_ kind: Kind, pid: Int32? = nil) {
            self.kind = kind
            self.pid = pid
        }

        /// The spool folder is missing, not a folder, or not writable.
        public static let spool = Code(.spool)
        /// The state folder cannot be created or used.
        public static let state = Code(.state)
        /// Another process holds the state folder or the spool.
        public static func locked(pid: Int32?) -> Code { Code(.locked, pid: pid) }
        /// Any ``locked(pid:)``, to compare with.
        public static let locked = Code(.locked)
        /// A rubric file is missing or wrong.
        public static let rules = Code(.rules)
        /// The units file is missing or wrong.
        public static let units = Code(.units)
        /// The configuration file is wrong.
        public static let config = Code(.config)
        /// inotify could not watch the spool.
        public static let watch = Code(.watch)
        /// The ledger cannot be opened, read or written.
        public static let ledger = Code(.ledger)
        /// A snapshot cannot be written.
        public static let snapshot = Code(.snapshot)
        /// The disk is full: waiting for space is the remedy.
        public static let diskFull = Code(.diskFull)
        /// A file or argument given on the command line is unusable.
        public static let input = Code(.input)
        /// The year's approval (审定) state refuses what was asked: approving twice, revoking what is not approved.
        public static let approval = Code(.approval)

        public static func == (a: Code, b: Code) -> Bool { a.kind == b.kind }
        public func hash(into hasher: inout Hasher) { hasher.combine(kind) }
        public var description: String { kind.rawValue }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

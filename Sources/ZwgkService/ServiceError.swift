/// Why the service cannot start or go on, or why a command cannot do what was asked. The code says what
/// kind of failure it is (callers decide on it, never on the text); the message says it to the operator.
public struct ServiceError: Error, CustomStringConvertible, Sendable {
    /// The kinds of failure, for callers that act differently on them.
    public enum Code: Sendable, Equatable {
        /// The spool folder is missing, not a folder, or not writable.
        case spool
        /// The state folder cannot be created or used.
        case state
        /// Another process holds the state folder or the spool.
        case locked(pid: Int32?)
        /// A rubric file is missing or wrong.
        case rules
        /// The units file is missing or wrong.
        case units
        /// The configuration file is wrong.
        case config
        /// inotify could not watch the spool.
        case watch
        /// The ledger cannot be opened, read or written.
        case ledger
        /// A snapshot cannot be written.
        case snapshot
        /// The disk is full: waiting for space is the remedy.
        case diskFull
        /// A file or argument given on the command line is unusable.
        case input
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

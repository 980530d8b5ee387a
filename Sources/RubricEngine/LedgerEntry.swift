/// A record as the ledger holds it: arrival order and where it came from.
public struct LedgerEntry: Sendable, Equatable {
    /// Arrival order; later entries have larger numbers.
    public var seq: Int64
    public var record: Record
    /// The drop file it came in.
    public var file: String
    /// When it was received (ISO 8601, UTC).
    public var received: String
    /// Where in a spreadsheet drop file it was (`发现问题!12`, `第12行`); nil for JSON.
    public var source: String?

    public init(seq: Int64, record: Record, file: String = "", received: String = "", source: String? = nil) {
        self.seq = seq
        self.record = record
        self.file = file
        self.received = received
        self.source = source
    }

    /// The file and place it came from, as shown to people: `8月检查.xlsx 发现问题!12`, or the file alone.
    public var origin: String { source.map { "\(file) \($0)" } ?? file }
}

// TEMPORARY until the typed ledger errors land; removed at merge.
extension LedgerError {
    public enum Code: Sendable { case diskFull, other }
    public var code: Code { underlying.contains("(13)") ? .diskFull : .other }
}

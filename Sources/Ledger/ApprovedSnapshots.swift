import ZwgkFormats

/// The annual snapshot an approval (审定) wrote, pinned in the ledger by its manifest's SHA-256: the manifest
/// holds every file's hash, so the approved result cannot be changed, files and manifest together, without
/// `zwgk verify` seeing it. Append-only and chained per year like the approvals.
public struct ApprovedSnapshot: Sendable, Equatable {
    public var id: Int64
    public var year: Int
    /// The approval that wrote it.
    public var approvalID: Int64
    public var manifestSHA256: String
    /// ISO 8601 UTC.
    public var at: String
    public var chain: String

    /// Its link in the year's chain of pins: the SHA-256 hex of `<previous>\n<id>\n<year>\n<approval id>\n<manifest
    /// sha256>\n<at>` (`previous` the year's pin before it, "" for the first).
    static func link(previous: String, id: Int64, year: Int, approvalID: Int64, manifestSHA256: String, at: String) -> String {
        ContentHash.hex("\(previous)\n\(id)\n\(year)\n\(approvalID)\n\(manifestSHA256)\n\(at)")
    }
}

extension Ledger {
    /// Pins the annual snapshot `approvalID` wrote for `year`, by its manifest's SHA-256.
    @discardableResult
    public func pinApprovedSnapshot(year: Int, approvalID: Int64, manifestSHA256: String, at: String) throws(LedgerError) -> ApprovedSnapshot {
        do {
            return try db.transaction {
                let id = try Chain.nextID(in: "approved_snapshots", on: db)
                let previous = try Chain.lastLink(in: "approved_snapshots", year: year, on: db)
                let chain = ApprovedSnapshot.link(
                    previous: previous, id: id, year: year, approvalID: approvalID,
                    manifestSHA256: manifestSHA256, at: at)
                try db.withStatement(
                    """
                    INSERT INTO approved_snapshots(id, year, approval_id, manifest_sha256, at, chain) VALUES (?, ?, ?, ?, ?, ?)
                    """
                ) { s in
                    try s.bind([.int(id), .int(year), .int(approvalID), .text(manifestSHA256), .text(at), .text(chain)]).run()
                }
                return ApprovedSnapshot(id: id, year: year, approvalID: approvalID, manifestSHA256: manifestSHA256, at: at, chain: chain)
            }
        } catch {
            throw fail("登记审定快照", error)
        }
    }

    /// The pins of `year`'s approved snapshots (all years when nil), oldest first.
    public func approvedSnapshots(year: Int? = nil) throws(LedgerError) -> [ApprovedSnapshot] {
        guard hasChains else { return [] }
        do {
            let sql =
                "SELECT id, year, approval_id, manifest_sha256, at, chain FROM approved_snapshots"
                + (year == nil ? "" : " WHERE year = ?") + " ORDER BY id"
            return try db.withStatement(sql) { s in
                try s.bind(year.map { [.int($0)] } ?? [])
                var out: [ApprovedSnapshot] = []
                while try s.step() {
                    out.append(
                        ApprovedSnapshot(
                            id: s.int(0), year: Int(s.int(1)), approvalID: s.int(2), manifestSHA256: s.text(3) ?? "",
                            at: s.text(4) ?? "", chain: s.text(5) ?? ""))
                }
                return out
            }
        } catch {
            throw fail("读取审定快照登记", error)
        }
    }

    /// The pins whose chain link does not hold: changed, removed or slipped in behind the ledger's back.
    public func brokenApprovedSnapshotLinks(year: Int? = nil) throws(LedgerError) -> [ApprovedSnapshot] {
        var previous: [Int: String] = [:]
        var broken: [ApprovedSnapshot] = []
        for pin in try approvedSnapshots(year: year) {
            let expected = ApprovedSnapshot.link(
                previous: previous[pin.year] ?? "", id: pin.id, year: pin.year, approvalID: pin.approvalID,
                manifestSHA256: pin.manifestSHA256, at: pin.at)
            if pin.chain != expected { broken.append(pin) }
            previous[pin.year] = pin.chain
        }
        return broken
    }
}

import ZwgkFormats

/// The ledger's hash chains, one per year: each record's `chain` column covers the record's own content
/// hash and the chain of the year's record before it, so a record changed, removed or slipped in behind the
/// ledger's back breaks every link after it, and an approval that noted the year's last link pins them all.
///
/// The formula (what `zwgk verify` recomputes): `chain = SHA-256 hex of the UTF-8 text`
///
///     <previous>\n<seq>\n<year>\n<id>\n<sha256>\n<file>\n<file sha256>\n<source>
///
/// where `previous` is the `chain` of the same year's record with the next lower `seq` (the empty string
/// for the year's first record), `seq`, `year` in decimal, `id` the record's id as stored (it never holds a
/// control character), `sha256` the record's stored content hash (lowercase hex of its canonical text), and
/// where it came from: its drop file's name (a JSON string) and SHA-256 as the file journal holds them, and
/// its place in a spreadsheet (a JSON string, `null` for JSON files).
public enum Chain {
    /// Where a record came from, as the link covers it.
    public struct Origin: Sendable, Equatable {
        public var file: String
        public var fileSHA256: String
        public var source: String?

        public init(file: String, fileSHA256: String, source: String? = nil) {
            self.file = file
            self.fileSHA256 = fileSHA256
            self.source = source
        }
    }

    /// The link of a record, given the year's previous link ("" for the first).
    public static func link(previous: String, seq: Int64, year: Int, id: String, sha256: String, origin: Origin) -> String {
        var h = ContentHash()
        h.update(previous)
        h.update("\n\(seq)\n\(year)\n")
        h.update(id)
        h.update("\n")
        h.update(sha256)
        h.update("\n" + JSONWriter.quote(origin.file) + "\n" + origin.fileSHA256 + "\n" + (origin.source.map(JSONWriter.quote) ?? "null"))
        return h.finalize()
    }

    /// The link of an entry of the approval journal, given the previous entry's of the same year ("" for the
    /// first): the SHA-256 hex of the UTF-8 text
    ///
    ///     <previous>\n<id>\n<year>\n<period>\n<action>\n<by>\n<note>\n<at>\n<chain head>\n<last seq>\n<records>
    ///
    /// with the texts as JSON strings (`note` `null` when there is none) and the numbers in decimal; so an
    /// entry changed, removed or slipped in breaks the year's later links.
    public static func link(previous: String, _ a: Approval) -> String {
        var h = ContentHash()
        h.update(previous)
        let texts = [a.period, a.action.rawValue, a.by].map(JSONWriter.quote)
        h.update("\n\(a.id)\n\(a.year)\n" + texts.joined(separator: "\n") + "\n" + (a.note.map(JSONWriter.quote) ?? "null"))
        h.update("\n" + JSONWriter.quote(a.at) + "\n" + JSONWriter.quote(a.chainHead) + "\n\(a.lastSeq)\n\(a.records)")
        return h.finalize()
    }

    /// The next row id of a chained journal (`approvals`, `approved_snapshots`): the id is part of a row's link, so
    /// it is chosen before the insert, and never one used before (as AUTOINCREMENT would not).
    static func nextID(in journal: String, on db: Connection) throws -> Int64 {
        try db.withStatement(
            """
            SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '\(journal)'), 0),
                       COALESCE((SELECT MAX(id) FROM \(journal)), 0)) + 1
            """
        ) { s in
            _ = try s.step()
            return s.int(0)
        }
    }

    /// The last link of `year` in a chained journal ("" when it has none).
    static func lastLink(in journal: String, year: Int, on db: Connection) throws -> String {
        try db.withStatement("SELECT chain FROM \(journal) WHERE year = ? ORDER BY id DESC LIMIT 1") { s in
            try s.bind([.int(year)])
            return try s.step() ? (s.text(0) ?? "") : ""
        }
    }

    /// The last link of `year` on `db` and the record it ends at ("" and 0 for a year without records).
    static func head(of year: Int, on db: Connection) throws -> (chain: String, seq: Int64) {
        try db.withStatement("SELECT chain, seq FROM records WHERE year = ? ORDER BY seq DESC LIMIT 1") { s in
            try s.bind([.int(year)])
            guard try s.step() else { return ("", 0) }
            return (s.text(0) ?? "", s.int(1))
        }
    }

    /// Migration 5: links every record already in the ledger, in `seq` order, once.
    static func fill(_ db: Connection) throws {
        var heads: [Int64: String] = [:]
        var links: [(seq: Int64, chain: String)] = []
        try db.withStatement(
            """
            SELECT r.seq, r.year, r.id, r.sha256, f.name, f.sha256, r.source FROM records r LEFT JOIN files f ON f.id = r.file_id ORDER BY r.seq
            """
        ) { s in
            while try s.step() {
                let seq = s.int(0), year = s.int(1)
                let origin = Origin(file: s.text(4) ?? "", fileSHA256: s.text(5) ?? "", source: s.text(6))
                let chain = link(previous: heads[year] ?? "", seq: seq, year: Int(year), id: s.text(2) ?? "", sha256: s.text(3) ?? "", origin: origin)
                heads[year] = chain
                links.append((seq, chain))
            }
        }
        try db.withStatement("UPDATE records SET chain = ? WHERE seq = ?") { s in
            for l in links { try s.bind([.text(l.chain), .int(l.seq)]).run() }
        }
    }
}

extension Ledger {
    /// The chain link stored on the record numbered `seq` ("" for 0 or a record without one); nil when there is no such record.
    public func chainLink(seq: Int64) throws(LedgerError) -> String? {
        guard seq > 0 else { return "" }
        guard hasChains else { return "" }
        do {
            return try db.withStatement("SELECT chain FROM records WHERE seq = ?") { s in
                try s.bind([.int(seq)])
                return try s.step() ? (s.text(0) ?? "") : nil
            }
        } catch {
            throw fail("读取链值", error)
        }
    }
}

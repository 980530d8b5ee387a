import Dispatch
public import RubricEngine

// MARK: - Reading records

extension Ledger {
    /// The record stored under (year, id), if any.
    public func record(year: Int, id: String) throws(LedgerError) -> Record? {
        do {
            return try db.withStatement("SELECT body FROM records WHERE year = ? AND id = ?") { s in
                try s.bind([.int(year), .text(id)])
                guard try s.step() else { return nil }
                return try Record(canonicalUTF8: s.bytes(0))
            }
        } catch {
            throw fail("读取记录", error)
        }
    }

    /// Retractions stored that target (year, id), in arrival order.
    public func retractions(year: Int, target: String) throws(LedgerError) -> [Retraction] {
        do {
            return try db.withStatement("SELECT body FROM records WHERE year = ? AND target = ? ORDER BY seq") { s in
                try s.bind([.int(year), .text(target)])
                var out: [Retraction] = []
                while try s.step() {
                    if case .retraction(let r) = try Record(canonicalUTF8: s.bytes(0)) { out.append(r) }
                }
                return out
            }
        } catch {
            throw fail("读取撤销记录", error)
        }
    }

    /// Rectification reports and re-checks stored that target (year, id), in arrival order.
    public func followUps(year: Int, target: String) throws(LedgerError) -> [Record] {
        do {
            return try db.withStatement(
                """
                SELECT body FROM records WHERE year = ? AND target = ? AND type IN (\(RecordType.sqlList(RecordType.allCases.filter(\.isFollowUp)))) ORDER BY seq
                """
            ) { s in
                try s.bind([.int(year), .text(target)])
                var out: [Record] = []
                while try s.step() { out.append(try Record(canonicalUTF8: s.bytes(0))) }
                return out
            }
        } catch {
            throw fail("读取整改记录", error)
        }
    }

    /// Every record of `year` in arrival order, with the file it came in.
    public func entries(year: Int) throws(LedgerError) -> [LedgerEntry] {
        var out: [LedgerEntry] = []
        try forEachEntry(year: year) { entry, _ in out.append(entry) }
        return out
    }

    /// Every record of `year` in arrival order, with the file it came in and its stored content hash (the
    /// SHA-256 of its canonical text, as hex; valid during the call), passed to `body` one at a time: a large
    /// ledger need not be held in memory. Names repeated across records share one copy.
    ///
    /// Rows are read here a batch at a time while the batch before is decoded on another thread;
    /// `body` runs on the calling thread, in order.
    public func forEachEntry(year: Int, _ body: (LedgerEntry, _ sha256: UnsafeBufferPointer<UInt8>) -> Void) throws(LedgerError) {
        do {
            // Scanned in arrival (rowid) order: through the (year, id) index every row would be fetched
            // out of place and then sorted again, twice the time.
            // (The statement is reset on every exit: a damaged record that stops the read half-way
            // does not keep its hold on the WAL.)
            try db.withStatement(
                """
                SELECT r.seq, r.body, r.file_id, f.name, f.received_at, r.sha256, r.source
                FROM records r NOT INDEXED JOIN files f ON f.id = r.file_id
                WHERE r.year = ? ORDER BY r.seq
                """
            ) { s in
                try s.bind([.int(year)])
                let decoding = DispatchQueue(label: "zwgk.ledger.decode")
                let names = NameTable()
                // A file's name and arrival time are read once and shared by all its records.
                var files: [(name: String, received: String)] = []
                var fileID: Int64 = -1
                func deliver(_ batch: RowBatch) throws(LedgerRecordError) {
                    batch.decoded.wait()
                    if let failure = batch.failure { throw failure }
                    batch.hashes.withUnsafeBufferPointer { hashes in
                        var start = 0
                        for i in batch.records.indices {
                            let file = files[batch.files[i]]
                            body(
                                LedgerEntry(
                                    seq: batch.seqs[i], record: batch.records[i], file: file.name, received: file.received,
                                    source: batch.sources[i]),
                                UnsafeBufferPointer(rebasing: hashes[start..<batch.hashEnds[i]]))
                            start = batch.hashEnds[i]
                        }
                    }
                }
                var previous: RowBatch?
                var more = true
                while more {
                    let batch = RowBatch()
                    // (A finished statement must not be stepped again: it would start over.)
                    while batch.seqs.count < RowBatch.size {
                        more = try s.step()
                        if !more { break }
                        if s.int(2) != fileID {
                            fileID = s.int(2)
                            files.append((s.text(3) ?? "", s.text(4) ?? ""))
                        }
                        batch.append(seq: s.int(0), body: s.bytes(1), file: files.count - 1, sha256: s.bytes(5), source: s.text(6))
                    }
                    if batch.seqs.isEmpty { break }
                    decoding.async { batch.decode(names: names) }
                    if let previous { try deliver(previous) }
                    previous = batch
                }
                if let previous { try deliver(previous) }
            }
        } catch {
            throw fail("读取记录", error)
        }
    }

    /// The years that have records, ascending.
    public func years() throws(LedgerError) -> [Int] {
        do {
            return try db.withStatement("SELECT DISTINCT year FROM records ORDER BY year") { s in
                var out: [Int] = []
                while try s.step() { out.append(Int(s.int(0))) }
                return out
            }
        } catch {
            throw fail("读取年度", error)
        }
    }
}

/// Ledger rows read but not yet decoded, then their records. Filled on the reading thread, decoded on
/// another, read back after `decoded` is signalled: never touched by two threads at once.
private final class RowBatch: @unchecked Sendable {
    static let size = 4096
    var seqs: [Int64] = []
    var files: [Int] = []
    /// Where in a spreadsheet each record was (nil for JSON).
    var sources: [String?] = []
    /// The canonical texts back to back, and where each ends.
    var bodies: [UInt8] = []
    var ends: [Int] = []
    /// The stored SHA-256 hex of each, back to back, and where each ends.
    var hashes: [UInt8] = []
    var hashEnds: [Int] = []
    var records: [Record] = []
    var failure: LedgerRecordError?
    let decoded = DispatchSemaphore(value: 0)

    init() {
        seqs.reserveCapacity(RowBatch.size)
        bodies.reserveCapacity(RowBatch.size * 256)
        hashes.reserveCapacity(RowBatch.size * 64)
    }

    func append(seq: Int64, body: UnsafeBufferPointer<UInt8>, file: Int, sha256: UnsafeBufferPointer<UInt8>, source: String?) {
        seqs.append(seq)
        files.append(file)
        sources.append(source)
        bodies.append(contentsOf: body)
        ends.append(bodies.count)
        hashes.append(contentsOf: sha256)
        hashEnds.append(hashes.count)
    }

    func decode(names: NameTable) {
        defer { decoded.signal() }
        records.reserveCapacity(seqs.count)
        bodies.withUnsafeBufferPointer { all in
            var start = 0
            for (i, end) in ends.enumerated() {
                do throws(LedgerRecordError) {
                    records.append(try Record(canonicalUTF8: UnsafeBufferPointer(rebasing: all[start..<end]), names: names))
                } catch {
                    failure = LedgerRecordError(field: error.field, seq: seqs[i])
                    return
                }
                start = end
            }
        }
    }
}

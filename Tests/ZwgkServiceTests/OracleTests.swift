import Foundation
import RubricEngine
import Testing
import ZwgkFormats
import ZwgkTestSupport

/// A scenario generated and scored independently (Tests/Oracle, written from rubric-2023.md and
/// interfaces.md alone) must match zwgk's snapshots exactly: every unit's total, rank and pending rows
/// and every row's base, deduction, bonus and score, at every quarter and the year. The scenarios hold
/// findings on the notice rows, whole retractions of findings and notices, corrections and per-unit
/// notice retractions; every generated file must be accepted before anything is compared.
/// More seeds by hand: `ZWGK_ORACLE_SEEDS=21-40 swift test --skip-build --filter IndependentScoring`.
@Suite(.timeLimit(.minutes(10))) struct IndependentScoring {
    static let oracle = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Oracle").path

    /// Seeds 11, 12 and 13 always; `ZWGK_ORACLE_SEEDS` ("21-40" or "21,25,30") adds more.
    static let seeds: [Int] = {
        var seeds = [11, 12, 13]
        for part in (ProcessInfo.processInfo.environment["ZWGK_ORACLE_SEEDS"] ?? "").split(separator: ",") {
            let ends = part.split(separator: "-").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            if ends.count == 2, ends[0] <= ends[1] { seeds += Array(ends[0]...ends[1]) } else if ends.count == 1 { seeds += ends }
        }
        return Array(Set(seeds)).sorted()
    }()

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Runs `python3 ARGS` in `box`; throws with its stderr unless it exits 0. Returns (stdout, stderr).
    func python(_ args: [String], in box: Sandbox) throws -> (out: String, err: String) {
        let run = try box.run(["/usr/bin/env", "python3"] + args)
        guard run.signal == nil, run.status == 0 else {
            throw Failure("python3 \(args.joined(separator: " ")) failed (\(run.status)):\n\(run.err)")
        }
        return (run.out, run.err)
    }

    @Test(arguments: Self.seeds)
    func matchesTheOracle(seed: Int) throws {
        let box = try Sandbox()
        let generated = box.root + "/generated"
        _ = try python([Self.oracle + "/scenario.py", "--seed", String(seed), "--out", generated, "--records", "400"], in: box)
        try FileManager.default.removeItem(atPath: box.units)
        try FileManager.default.moveItem(atPath: generated + "/units.toml", toPath: box.units)
        let files = box.names(generated + "/incoming")
        try #require(files.count > 50, "seed \(seed): scenario.py wrote \(files.count) files")
        for name in files { try FileManager.default.moveItem(atPath: generated + "/incoming/" + name, toPath: box.incoming + "/" + name) }
        let run = try box.zwgk(["daemon", "--once"])
        #expect(run.status == 0, "\(run.err)")

        // Every generated file was merged: nothing rejected, nothing left, before any score is compared.
        let rejected = box.names(box.rejected)
        let why = try rejected.filter { $0.hasSuffix(".why.txt") }
            .map { "\($0):\n" + (try box.read(box.rejected + "/" + $0)) }.joined(separator: "\n")
        try #require(rejected.isEmpty, "seed \(seed): \(rejected.count) rejected files: \(rejected)\n\(why)")
        let accepted = box.names(box.accepted)
        try #require(
            accepted.count == files.count,
            "seed \(seed): \(accepted.count) of \(files.count) files accepted; left in incoming: \(box.names(box.incoming))")
        try #require(accepted == files, "seed \(seed): accepted/ holds other names than were generated")
        let arrived = accepted.map { box.accepted + "/" + $0 }

        for (period, cutoff) in [("Q1", "2023-03-31"), ("Q2", "2023-06-30"), ("Q3", "2023-09-30"), ("Q4", "2023-12-31"), ("annual", "2023-12-31")] {
            let snapshot = try box.zwgk(["snapshot", "--period", "2023-\(period)"])
            try #require(snapshot.status == 0, "seed \(seed) \(period): \(snapshot.err)")
            let mine = try unitsOf(
                try box.read("\(box.reports)/2023/\(period)/scores.json"), numbers: .json,
                source: "seed \(seed) \(period) zwgk scores.json")
            let oracle = try python([Self.oracle + "/oracle.py", "--units", box.units, "--cutoff", cutoff, "--year", "2023", "--rows"] + arrived, in: box)
            try #require(oracle.err.isEmpty, "seed \(seed) \(period): the oracle refused records zwgk accepted:\n\(oracle.err)")
            let expected = try unitsOf(oracle.out, numbers: .text, source: "seed \(seed) \(period) oracle.py")
            #expect(mine.count == 22)
            #expect(mine.keys.sorted() == expected.keys.sorted(), "seed \(seed) \(period): units differ")
            for (unit, m) in mine.sorted(by: { $0.key < $1.key }) {
                guard let e = expected[unit] else { continue }  // reported just above
                #expect(m.line == e.line, "seed \(seed) \(period) \(unit): zwgk \(m.line), oracle \(e.line)")
                #expect(
                    m.rows.keys.sorted() == e.rows.keys.sorted(),
                    "seed \(seed) \(period) \(unit): rows only in zwgk \(m.rows.keys.filter { e.rows[$0] == nil }.sorted()), only in the oracle \(e.rows.keys.filter { m.rows[$0] == nil }.sorted())"
                )
                for (indicator, row) in m.rows.sorted(by: { $0.key < $1.key }) {
                    guard let x = e.rows[indicator] else { continue }
                    #expect(row == x, "seed \(seed) \(period) \(unit) \(indicator): zwgk \(row), oracle \(x)")
                }
            }
        }
    }

    struct Line: Equatable, CustomStringConvertible {
        var unitClass: String
        var total: Points
        var rank: Int
        var pending: [String]
        var description: String { "class \(unitClass) total \(total) #\(rank) pending \(pending)" }
    }

    struct Row: Equatable, CustomStringConvertible {
        var base: Points
        var deducted: Points
        var bonus: Points
        var score: Points
        var description: String { "base \(base) deducted \(deducted) bonus \(bonus) score \(score)" }
    }

    struct Card {
        var line: Line
        var rows: [String: Row]
    }

    /// How amounts are written: zwgk's scores.json has JSON numbers; the oracle prints exact decimal text.
    enum Numbers { case json, text }

    /// The units of a scores.json-like text: unit → its line and rows (by indicator). Throws on anything
    /// unparsable, missing, mistyped or repeated; extra members are allowed (the interface may be extended).
    func unitsOf(_ text: String, numbers: Numbers, source: String) throws -> [String: Card] {
        func fail(_ what: String) -> Failure { Failure("\(source): \(what)") }
        let document: JSONValue
        do { document = try JSONReader.parse(text) } catch { throw fail("not JSON: \(error)\n\(text.prefix(500))") }
        guard case .object(let o) = document, case .array(let units)? = o["units"] else { throw fail("no \"units\" array") }
        func amount(_ v: JSONValue?, _ what: String) throws -> Points {
            switch (numbers, v) {
            case (.json, .number(let n)?), (.text, .string(let n)?):
                guard let p = Points(exactly: n) else { throw fail("\(what): \(n) is not an exact amount") }
                return p
            default: throw fail("\(what): expected a \(numbers == .json ? "JSON number" : "decimal string"), got \(String(describing: v))")
            }
        }
        func string(_ v: JSONValue?, _ what: String) throws -> String {
            guard case .string(let s)? = v, !s.isEmpty else { throw fail("\(what): expected a non-empty string, got \(String(describing: v))") }
            return s
        }
        var out: [String: Card] = [:]
        for (i, value) in units.enumerated() {
            guard case .object(let u) = value else { throw fail("units[\(i)] is not an object") }
            let name = try string(u["unit"], "units[\(i)].unit")
            let unitClass = try string(u["class"], "\(name).class")
            let total = try amount(u["total"], "\(name).total")
            guard case .number(let r)? = u["rank"], let rank = Int(r), rank >= 1 else { throw fail("\(name).rank: \(String(describing: u["rank"]))") }
            guard case .array(let pendingValues)? = u["pending"] else { throw fail("\(name).pending is not an array") }
            let pending = try pendingValues.enumerated().map { try string($1, "\(name).pending[\($0)]") }
            guard case .array(let rowValues)? = u["rows"] else { throw fail("\(name).rows is not an array") }
            var rows: [String: Row] = [:]
            for (j, rv) in rowValues.enumerated() {
                guard case .object(let r) = rv else { throw fail("\(name).rows[\(j)] is not an object") }
                let indicator = try string(r["indicator"], "\(name).rows[\(j)].indicator")
                let row = Row(
                    base: try amount(r["base"], "\(name) \(indicator).base"),
                    deducted: try amount(r["deducted"], "\(name) \(indicator).deducted"),
                    bonus: try amount(r["bonus"], "\(name) \(indicator).bonus"),
                    score: try amount(r["score"], "\(name) \(indicator).score"))
                guard rows.updateValue(row, forKey: indicator) == nil else { throw fail("\(name): row \(indicator) twice") }
            }
            guard !rows.isEmpty else { throw fail("\(name) has no rows") }
            let card = Card(line: Line(unitClass: unitClass, total: total, rank: rank, pending: pending.sorted()), rows: rows)
            guard out.updateValue(card, forKey: name) == nil else { throw fail("unit \(name) twice") }
        }
        guard !out.isEmpty else { throw fail("no units") }
        return out
    }
}

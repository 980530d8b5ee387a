import Foundation
import Testing
import RubricEngine
import ZwgkFormats
import ZwgkTestSupport

/// A scenario generated and scored independently (Tests/Oracle, written from rubric-2023.md alone)
/// must match zwgk's snapshots exactly: totals, ranks and pending rows, at every quarter and the year.
@Suite struct IndependentScoring {
    static let oracle = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Oracle").path

    func python(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3"] + args
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "python3 \(args.first ?? "") failed")
        return String(decoding: data, as: UTF8.self)
    }

    @Test(arguments: [11, 12, 13])
    func matchesTheOracle(seed: Int) throws {
        let box = try Sandbox()
        let generated = box.root + "/generated"
        _ = try python([Self.oracle + "/scenario.py", "--seed", String(seed), "--out", generated, "--records", "400"])
        try FileManager.default.removeItem(atPath: box.units)
        try FileManager.default.moveItem(atPath: generated + "/units.toml", toPath: box.units)
        let files = box.names(generated + "/incoming")
        for name in files { try FileManager.default.moveItem(atPath: generated + "/incoming/" + name, toPath: box.incoming + "/" + name) }
        let run = try box.zwgk(["daemon", "--once"])
        #expect(run.status == 0)
        #expect(box.names(box.rejected).isEmpty, "rejected: \(box.names(box.rejected))")
        let arrived = box.names(box.accepted).map { box.accepted + "/" + $0 }

        for (period, cutoff) in [("Q1", "2023-03-31"), ("Q2", "2023-06-30"), ("Q3", "2023-09-30"), ("Q4", "2023-12-31"), ("annual", "2023-12-31")] {
            #expect(try box.zwgk(["snapshot", "--period", "2023-\(period)"]).status == 0)
            let mine = try unitsOf(try box.read("\(box.reports)/2023/\(period)/scores.json"))
            let expected = try unitsOf(try python([Self.oracle + "/oracle.py", "--units", box.units, "--cutoff", cutoff, "--year", "2023"] + arrived))
            #expect(mine.count == 22)
            #expect(mine.keys.sorted() == expected.keys.sorted())
            for (unit, m) in mine {
                let e = expected[unit]
                #expect(m.total == e?.total && m.rank == e?.rank && m.pending == e?.pending,
                        "seed \(seed) \(period) \(unit): zwgk \(m), oracle \(String(describing: e))")
            }
        }
    }

    struct Line: Equatable, CustomStringConvertible {
        var total: Points
        var rank: String
        var pending: [String]
        var description: String { "\(total) #\(rank) \(pending)" }
    }

    func unitsOf(_ text: String) throws -> [String: Line] {
        guard case .object(let o) = try JSONReader.parse(text), case .array(let units)? = o["units"] else { return [:] }
        var out: [String: Line] = [:]
        for case .object(let u) in units {
            guard case .string(let name)? = u["unit"], case .array(let pending)? = u["pending"] else { continue }
            let total: Points?
            switch u["total"] {
            case .number(let n)?, .string(let n)?: total = Points(exactly: n)
            default: total = nil
            }
            let rank: String
            if case .number(let r)? = u["rank"] { rank = r } else { rank = "?" }
            out[name] = Line(total: total ?? Points(hundredths: .min), rank: rank,
                             pending: pending.compactMap { if case .string(let s) = $0 { return s } else { return nil } }.sorted())
        }
        return out
    }
}

import Foundation
import Testing
import ZwgkTestSupport

/// A small deterministic generator, so a failing round can be replayed from its seed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite(.serialized, .timeLimit(.minutes(20))) struct KillLoop {
    /// Hundreds of rounds: drop files, start the daemon (watching, or once), SIGKILL it at a random moment
    /// (or at a chosen point), repeat. Then one clean run. Every dropped file must be in exactly one place,
    /// the ledger must hold each record once, and the totals must count each record exactly once.
    @Test func randomKillsLoseNothingAndCountNothingTwice() async throws {
        // (Blocks for minutes: on a thread of its own, not one of the cooperative pool's.)
        try await blocking {
            let rounds = Int(ProcessInfo.processInfo.environment["ZWGK_KILL_ROUNDS"] ?? "") ?? 300
            let seed = UInt64(ProcessInfo.processInfo.environment["ZWGK_KILL_SEED"] ?? "") ?? UInt64(Date().timeIntervalSince1970)
            var rng = SplitMix(state: seed)
            let box = try Sandbox()
            let units = ["城东街道", "城西街道"]
            var valid: [String] = []
            var invalid: [String] = []
            var records: [String: Int] = ["城东街道": 0, "城西街道": 0]
            var contents: [String] = []
            var next = 0
            var kills = 0
            var watching = 0  // rounds of a watching daemon without a fault: it never ends by itself

            for round in 0..<rounds {
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    next += 1
                    let name = "r\(round)-\(next).json"
                    switch Int.random(in: 0..<10, using: &rng) {
                    case 0:
                        try box.drop(name, "[{\"type\": \"finding\", \"id\": \"bad-\(next)\"")
                        invalid.append(name)
                    case 1 where !contents.isEmpty:
                        try box.drop(name, contents.randomElement(using: &rng)!)  // an exact duplicate of an earlier file
                        valid.append(name)
                    default:
                        let unit = units.randomElement(using: &rng)!
                        let n = Int.random(in: 1...5, using: &rng)
                        let body =
                            "["
                            + (1...n).map { i in
                                #"{"type": "finding", "id": "k-\#(next)-\#(i)", "year": 2023, "date": "2023-06-01", "unit": "\#(unit)", "indicator": "综合加分项", "points": 1}"#
                            }.joined(separator: ",") + "]"
                        try box.drop(name, body)
                        contents.append(body)
                        records[unit]! += n
                        valid.append(name)
                    }
                }
                let point = ["after-read", "after-commit", "after-move"].randomElement(using: &rng)!
                let useFault = Int.random(in: 0..<5, using: &rng) == 0
                let once = Bool.random(using: &rng)
                let p = Process()
                p.executableURL = URL(fileURLWithPath: Sandbox.binary)
                p.arguments =
                    [
                        "daemon", "--config", box.root + "/zwgk.toml", "--spool", box.spool, "--state", box.state,
                        "--reports", box.reports, "--units", box.units,
                    ] + (once ? ["--once"] : [])
                p.environment = ProcessInfo.processInfo.environment.merging(useFault ? ["ZWGK_FAULT": point] : [:]) { $1 }
                p.standardOutput = FileHandle.nullDevice
                p.standardError = FileHandle.nullDevice
                try p.run()
                usleep(UInt32.random(in: 0...60_000, using: &rng))
                if !once && !useFault { watching += 1 }
                if p.isRunning {
                    kill(p.processIdentifier, SIGKILL)
                    kills += 1
                    p.waitUntilExit()
                } else {
                    // It ended by itself: a --once run that finished, or a fault point's own SIGKILL; never a watching
                    // daemon, and never an error. (How many rounds end this way depends on the machine's speed.)
                    p.waitUntilExit()
                    let own = p.terminationReason == .uncaughtSignal ? "signal \(p.terminationStatus)" : "status \(p.terminationStatus)"
                    let expected = (once && own == "status 0") || (useFault && own == "signal \(SIGKILL)")
                    #expect(
                        expected,
                        "seed \(seed): round \(round) (\(once ? "--once" : "watching")\(useFault ? ", fault \(point)" : "")) ended by itself with \(own)")
                }
            }

            let final = try box.zwgk(["daemon", "--once"])
            #expect(final.status == 0, "seed \(seed): \(final.err)")
            #expect(box.names(box.incoming).isEmpty, "seed \(seed): left in incoming: \(box.names(box.incoming))")
            let accepted = box.names(box.accepted)
            let rejected = box.names(box.rejected).filter { $0.hasSuffix(".json") }
            // A valid file two random kills both struck while it was being decided is set aside, as any file the
            // daemon died on twice would be (rare: a kill must land in that file's check twice).
            let quarantined = try rejected.filter { try box.read(box.rejected + "/" + $0 + ".why.txt").contains("两次意外停止") }
            #expect(accepted == valid.filter { !quarantined.contains($0) }.sorted(), "seed \(seed)")
            #expect(rejected == (invalid + quarantined).sorted(), "seed \(seed)")
            #expect(Set(accepted).isDisjoint(with: rejected))
            for name in invalid { #expect(box.names(box.rejected).contains(name + ".why.txt"), "seed \(seed): \(name) has no reason") }
            #expect(try box.sql("SELECT COUNT(*) FROM files") == String(valid.count + invalid.count), "seed \(seed)")
            if quarantined.isEmpty {
                #expect(try box.sql("SELECT COUNT(*) FROM records") == String(records.values.reduce(0, +)), "seed \(seed)")
            }
            // Each record counted once: the distinct records of the accepted files, no more and no fewer.
            var ids: [String: String] = [:]
            for name in accepted {
                let items = try JSONSerialization.jsonObject(with: Data(try box.read(box.accepted + "/" + name).utf8)) as? [[String: Any]] ?? []
                for item in items { ids[item["id"] as? String ?? ""] = item["unit"] as? String }
            }
            #expect(try box.sql("SELECT COUNT(*) FROM records") == String(ids.count), "seed \(seed)")
            let totals = try box.totals()
            for unit in units {
                #expect(totals[unit] == String(100 + ids.values.filter { $0 == unit }.count), "seed \(seed): \(unit)")
            }
            // Every watching daemon without a fault was killed while running, however fast or slow the machine.
            #expect(kills >= watching, "seed \(seed): only \(kills) of \(rounds) rounds were killed while running")
            #expect(watching > 0 || rounds < 20, "seed \(seed): no round ran a watching daemon")
            print(
                "kill loop: \(rounds) rounds, \(kills) killed while running (\(watching) watching), \(valid.count + invalid.count) files, "
                    + "\(quarantined.count) set aside after two deaths, seed \(seed)")
        }
    }
}

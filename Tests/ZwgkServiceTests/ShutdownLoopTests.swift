import Foundation
import Testing
import ZwgkTestSupport

/// SIGTERM at random moments of a busy daemon (a backlog being merged, snapshots being written, the tamper check
/// at start): every stop is prompt, and nothing is lost, doubled or left half-written.
@Suite(.serialized, .timeLimit(.minutes(20))) struct ShutdownLoop {
    /// A file of `n` findings for `unit`, ids `prefix-1…n`.
    static func findings(_ prefix: String, _ n: Int, unit: String) -> String {
        "["
            + (1...n).map { i in
                #"{"type": "finding", "id": "\#(prefix)-\#(i)", "year": 2023, "date": "2023-0\#(1 + i % 9)-0\#(1 + i % 9)", "unit": "\#(unit)", "indicator": "综合加分项", "points": 1}"#
            }.joined(separator: ",") + "]"
    }

    @Test func everySigtermEndsTheDaemonPromptlyAndLosesNothing() async throws {
        // (Blocks for minutes: on a thread of its own, not one of the cooperative pool's.)
        try await blocking {
            let rounds = Int(ProcessInfo.processInfo.environment["ZWGK_TERM_ROUNDS"] ?? "") ?? 100
            let seed = UInt64(ProcessInfo.processInfo.environment["ZWGK_TERM_SEED"] ?? "") ?? UInt64(Date().timeIntervalSince1970)
            var rng = SplitMix(state: seed)
            let box = try Sandbox()
            let units = ["城东街道", "城西街道"]
            // A ledger large enough that each snapshot takes a while: 10,000 findings, merged before the loop.
            for f in 0..<2 { try box.drop("base-\(f).json", Self.findings("base\(f)", 5000, unit: units[f % 2])) }
            #expect(try box.zwgk(["daemon", "--once"]).status == 0)
            var records: [String: Int] = ["城东街道": 5000, "城西街道": 5000]
            var dropped = 2
            var times: [Double] = []
            var graceful = 0
            var snapshotsCut = 0
            for round in 0..<rounds {
                for i in 0..<Int.random(in: 0...12, using: &rng) {
                    let unit = units.randomElement(using: &rng)!
                    let n = Int.random(in: 1...300, using: &rng)
                    try box.drop("t\(round)-\(i).json", Self.findings("t\(round)-\(i)", n, unit: unit))
                    records[unit]! += n
                    dropped += 1
                }
                // A third of the rounds stop it at a moment after it was started; a third once it has started its work
                // (merging what waits, the tamper check); a third once the tamper check has passed and it writes
                // all the snapshots again (they are removed first), so that most stops land in the middle of work.
                let mode = Int.random(in: 0..<3, using: &rng)
                if mode == 2 { try? FileManager.default.removeItem(atPath: box.reports + "/2023") }
                let daemon = try box.startDaemon()  // (its log starts empty)
                switch mode {
                case 0: usleep(UInt32.random(in: 0...400_000, using: &rng))
                case 1:
                    _ = eventually(30) { box.daemonLog.contains("zwgk 已启动") || !daemon.isRunning }
                    usleep(UInt32.random(in: 0...600_000, using: &rng))
                default:
                    _ = eventually(60) { box.daemonLog.contains("完整性校验") || !daemon.isRunning }
                    usleep(UInt32.random(in: 0...1_500_000, using: &rng))
                }
                let start = Date()
                kill(daemon.processIdentifier, SIGTERM)
                let exited = eventually(30) { !daemon.isRunning }
                if !exited { kill(daemon.processIdentifier, SIGKILL) }
                daemon.waitUntilExit()
                let took = Date().timeIntervalSince(start)
                times.append(took)
                #expect(exited && took < 10, "seed \(seed): round \(round) took \(took) s to stop")
                // Stopped by its handler (status 0), or by the signal itself when it came before the handler was set up.
                let own = daemon.terminationReason == .uncaughtSignal ? "signal \(daemon.terminationStatus)" : "status \(daemon.terminationStatus)"
                #expect(own == "status 0" || own == "signal \(SIGTERM)", "seed \(seed): round \(round) ended with \(own)")
                if own == "status 0" { graceful += 1 }
                if box.daemonLog.contains("未写完的快照已删除") { snapshotsCut += 1 }
                // No snapshot folder in place without its manifest (a half-made one).
                for period in box.names(box.reports + "/2023") where !period.hasPrefix(".") {
                    #expect(
                        FileManager.default.fileExists(atPath: box.reports + "/2023/\(period)/manifest.json"),
                        "seed \(seed): round \(round) left 2023/\(period) half-made")
                }
            }

            let final = try box.zwgk(["daemon", "--once"])
            #expect(final.status == 0, "seed \(seed): \(final.err)")
            #expect(box.names(box.incoming).isEmpty, "seed \(seed)")
            #expect(box.names(box.accepted).count == dropped, "seed \(seed)")
            #expect(box.names(box.rejected).isEmpty, "seed \(seed): \(box.names(box.rejected))")
            #expect(try box.sql("SELECT COUNT(*) FROM files") == String(dropped), "seed \(seed)")
            #expect(try box.sql("SELECT COUNT(*) FROM records") == String(records.values.reduce(0, +)), "seed \(seed)")
            let totals = try box.totals()
            for unit in units { #expect(totals[unit] == String(100 + records[unit]!), "seed \(seed): \(unit)") }
            let sorted = times.sorted()
            print(
                String(
                    format: "sigterm loop: %d SIGTERMs (%d handled, %d of them cutting a snapshot short; %d before the handler was set up), "
                        + "exit after max %.2f s, median %.2f s, %d files, seed %llu",
                    rounds, graceful, snapshotsCut, rounds - graceful, sorted.last ?? 0, sorted[sorted.count / 2], dropped, seed))
        }
    }
}

import DropFile
import Foundation
import RubricEngine

/// What the targets check against, loaded once: the built-in 2023 rubric and the example units file
/// (`deploy/units.example.toml`, or the file `ZWGK_FUZZ_UNITS` names), as the daemon has them.
final class World: Sendable {
    let rubric: Rubric
    let roster: UnitRoster
    /// A file of this process's own for the configuration loader, which reads a path.
    let scratchConfigPath: String

    static let shared = World()

    private init() {
        let environment = ProcessInfo.processInfo.environment
        do {
            rubric = try Rubric.builtIn()
        } catch {
            fatalError("zwgk-fuzz: the built-in rubric: \(error)")
        }
        let unitsPath = environment["ZWGK_FUZZ_UNITS"] ?? "deploy/units.example.toml"
        guard let data = FileManager.default.contents(atPath: unitsPath), let text = String(data: data, encoding: .utf8) else {
            fatalError("zwgk-fuzz: cannot read the units file \(unitsPath) (run from the repository, or set ZWGK_FUZZ_UNITS)")
        }
        do {
            roster = try UnitRoster.load(toml: text, rubrics: [rubric])
        } catch {
            fatalError("zwgk-fuzz: the units file \(unitsPath): \(error)")
        }
        scratchConfigPath = NSTemporaryDirectory() + "/zwgk-fuzz-\(getpid()).toml"
    }

    /// A drop-file context with an empty ledger: every year open, nothing stored yet.
    var context: DropFileContext {
        DropFileContext(rubrics: [rubric.year: rubric], roster: roster)
    }
}

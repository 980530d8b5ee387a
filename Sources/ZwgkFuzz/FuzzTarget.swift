import DropFile
import Foundation
import RubricEngine
import ZwgkFormats
import ZwgkService

/// The readers zwgk turns untrusted bytes into, one libFuzzer target each. Every target takes the bytes as
/// the reader would get them from a file; the target is chosen by `ZWGK_FUZZ_TARGET` (see `scripts/fuzz`).
enum FuzzTarget: String, CaseIterable {
    /// A JSON drop file through `DropFile.check`.
    case json
    /// An .xlsx drop file through `DropFile.check`.
    case xlsx
    /// A CSV drop file through `DropFile.check`.
    case csv
    /// zwgk.toml: the TOML reader, then the configuration loader.
    case toml
    /// A units file (`[[unit]]` tables) checked against the built-in rubric.
    case units
    /// A JSON drop file's accepted records, through the ledger's canonical text, scored and rendered into every output.
    case ledger

    /// Runs the target over one input and says what the reader made of it (for seeding the corpus). Returning
    /// is success; a trap, a failed precondition or a sanitizer report is the crash libFuzzer records.
    @discardableResult
    func run(_ bytes: [UInt8]) -> String {
        switch self {
        case .json, .xlsx, .csv:
            let format = DropFormat(rawValue: rawValue)!
            // The spool refuses a file over its format's limit before reading it.
            guard bytes.count <= format.maxBytes else { return "over the size limit" }
            switch DropFile.check(bytes, format: format, context: World.shared.context) {
            case .success(let valid): return "accepted: \(valid.new.count) records"
            case .failure(let problems): return "refused: \(problems.all.count) problems, first: \(problems.all[0])"
            }
        case .toml:
            return Self.config(bytes)
        case .units:
            // As `Rules.load` reads it: UTF-8 text or refused.
            guard let text = String(data: Data(bytes), encoding: .utf8) else { return "not UTF-8" }
            do {
                return "accepted: \(try UnitRoster.load(toml: text, rubrics: [World.shared.rubric]).units.count) units"
            } catch {
                return "refused: \(error)"
            }
        case .ledger:
            return LedgerToOutputs.run(bytes)
        }
    }

    /// The TOML reader over the text, then `Config.load` over the same bytes as a file (it reads a path).
    private static func config(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) {
            _ = try? TOMLReader.parse(text)
        }
        let path = World.shared.scratchConfigPath
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            fatalError("zwgk-fuzz: cannot write \(path)")
        }
        do {
            _ = try Config.load(path: path)
            return "accepted"
        } catch {
            return "refused: \(error)"
        }
    }

    /// The target named by `ZWGK_FUZZ_TARGET`; stops the process with the list of names when it is unset or unknown.
    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["ZWGK_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("zwgk-fuzz: set ZWGK_FUZZ_TARGET to one of: \(allCases.map(\.rawValue).joined(separator: " "))\n".utf8))
            exit(2)
        }
        return target
    }()
}

import DropFile
import Foundation
import Ledger
public import RubricEngine
import ZwgkFormats

/// The rubrics and units in force, loaded and checked together.
public struct Rules: Sendable {
    public var rubrics: [Int: Rubric]
    public var roster: UnitRoster
    /// SHA-256 of each rubric file, by year, for snapshot manifests.
    public var rubricHashes: [Int: String] = [:]

    /// The rubric shipped with zwgk for 2023.
    public static func builtInRubric() throws(StartError) -> (Rubric, hash: String) {
        guard let url = Bundle.module.url(forResource: "rubric-2023", withExtension: "json"),
              let data = try? Data(contentsOf: url) else {
            throw StartError("找不到内置的2023年度考核细则文件 rubric-2023.json(安装不完整,请重新安装)")
        }
        do {
            return (try Rubric.load(json: Array(data)), SHA256.hex(Array(data)))
        } catch {
            throw StartError("内置考核细则 rubric-2023.json 有误:\(error)")
        }
    }

    /// Loads the built-in rubric, the configured ones and the units file.
    public static func load(_ config: Config) throws(StartError) -> Rules {
        var rubrics: [Int: Rubric] = [:]
        var hashes: [Int: String] = [:]
        let (builtIn, builtInHash) = try builtInRubric()
        rubrics[builtIn.year] = builtIn
        hashes[builtIn.year] = builtInHash
        for (year, path) in config.rubrics.sorted(by: { $0.key < $1.key }) {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw StartError("无法读取\(year)年度考核细则文件 \(path)")
            }
            let rubric: Rubric
            do {
                rubric = try Rubric.load(json: Array(data))
            } catch {
                throw StartError("考核细则文件 \(path) 有误:\(error)")
            }
            guard rubric.year == year else {
                throw StartError("考核细则文件 \(path) 写的是\(rubric.year)年度,但配置把它列为\(year)年度")
            }
            rubrics[year] = rubric
            hashes[year] = SHA256.hex(Array(data))
        }
        guard let data = FileManager.default.contents(atPath: config.units) else {
            throw StartError("无法读取单位名单 \(config.units)(不存在或没有读权限)。请用 --units 指定,或在配置文件中设置 units")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw StartError("单位名单 \(config.units) 不是UTF-8文本")
        }
        do {
            let roster = try UnitRoster.load(toml: text, rubrics: rubrics.keys.sorted().map { rubrics[$0]! })
            return Rules(rubrics: rubrics, roster: roster, rubricHashes: hashes)
        } catch {
            throw StartError("单位名单 \(config.units) 有误:\n\(error)")
        }
    }

    /// The validation context for a ledger (or none: no ledger lookups).
    func context(ledger: Ledger?) -> DropFileContext {
        DropFileContext(
            rubrics: rubrics, roster: roster,
            existing: { year, id in (try? ledger?.record(year: year, id: id)) ?? nil },
            retractions: { year, id in (try? ledger?.retractions(year: year, target: id)) ?? [] })
    }
}

/// Why zwgk cannot start or run a command; said to the operator as it is.
public struct StartError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

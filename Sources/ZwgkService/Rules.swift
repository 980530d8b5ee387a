import DropFile
import Foundation
import Ledger
public import RubricEngine
import SystemPackage
import ZwgkFormats

/// The rubrics and units in force, loaded and checked together.
public struct Rules: Sendable {
    public var rubrics: [Int: Rubric]
    public var roster: UnitRoster
    /// SHA-256 of each rubric file, by year, for snapshot manifests.
    public var rubricHashes: [Int: String] = [:]
    /// How rectification deadlines are set (`[rectification] days`).
    public var rectification = RectificationPolicy()
    /// How units are graded (`[grades]`); nil: no grades anywhere.
    public var grades: GradePolicy?
    /// The configured time zone (`timezone`), for the times people read (an approval's).
    public var timeZone = "Asia/Shanghai"

    /// The grades of `standings` under the configured policy; nil when none is configured.
    public func grading(_ standings: Standings) -> Grading? { grades.map { Grading(standings, policy: $0) } }

    /// Loads the built-in rubric, the configured ones and the units file, with the configured rectification deadlines.
    public static func load(_ config: Config) throws(ServiceError) -> Rules {
        var rubrics: [Int: Rubric] = [:]
        var hashes: [Int: String] = [:]
        do {
            let json = try Rubric.builtInJSON()
            let builtIn = try Rubric.load(json: json)
            rubrics[builtIn.year] = builtIn
            hashes[builtIn.year] = ContentHash.hex(json)
        } catch {
            throw ServiceError(.rules, "内置考核细则 rubric-2023.json 有误:\(error)")
        }
        for (year, path) in config.rubrics.sorted(by: { $0.key < $1.key }) {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ServiceError(.rules, "无法读取\(year)年度考核细则文件 \(path)")
            }
            let rubric: Rubric
            do {
                rubric = try Rubric.load(json: Array(data))
            } catch {
                throw ServiceError(.rules, "考核细则文件 \(path) 有误:\(error)")
            }
            guard rubric.year == year else {
                throw ServiceError(.rules, "考核细则文件 \(path) 写的是\(rubric.year)年度,但配置把它列为\(year)年度")
            }
            rubrics[year] = rubric
            hashes[year] = ContentHash.hex(Array(data))
        }
        if let grades = config.grades {
            let problems = grades.problems(against: rubrics.keys.sorted().map { rubrics[$0]! })
            guard problems.isEmpty else {
                throw ServiceError(.config, ConfigError(file: config.source ?? "", problems: problems).description)
            }
        }
        let bytes: [UInt8]
        do {
            bytes = try FS.readSetting(config.units, limit: TOMLReader.maxBytes)
        } catch {
            throw ServiceError(.units, "无法读取单位名单 \(config.units)(\(error.errno == .invalidArgument ? "不是普通文件" : "不存在或没有读权限"))。请用 --units 指定,或在配置文件中设置 units")
        }
        guard bytes.count <= TOMLReader.maxBytes else {
            throw ServiceError(.units, "单位名单 \(config.units) 过大(超过 \(TOMLReader.maxBytes / 1024 / 1024) MiB 的上限);请检查是否选错了文件")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ServiceError(.units, "单位名单 \(config.units) 不是UTF-8文本")
        }
        do {
            let roster = try UnitRoster.load(toml: text, rubrics: rubrics.keys.sorted().map { rubrics[$0]! })
            return Rules(
                rubrics: rubrics, roster: roster, rubricHashes: hashes, rectification: config.rectification,
                grades: config.grades?.policy, timeZone: config.timeZone)
        } catch {
            throw ServiceError(.units, "单位名单 \(config.units) 有误:\n\(error)")
        }
    }

    /// Whether `record` can change the 整改台账: a finding that deducts, a notice, a retraction, a rectification
    /// report or a re-check (a bonus or an assigned score cannot).
    func bearsOnRectification(_ record: Record) -> Bool {
        if case .finding(let f) = record { return rubrics[f.year]?.deducts(f) ?? false }
        return true
    }

    /// The validation context: what the ledger holds (none without a ledger) plus `pending`, records decided
    /// but not yet committed. A ledger that cannot be read leaves its error in `errors`, for the caller to
    /// fail on rather than take "no such record" as an answer.
    func context(ledger: Ledger?, errors: LookupErrors, pending: Overlay = Overlay()) -> DropFileContext {
        DropFileContext(
            rubrics: rubrics, roster: roster,
            existing: { year, id in
                pending.records[Overlay.Key(year: year, id: id)] ?? errors.catching { try ledger?.record(year: year, id: id) } ?? nil
            },
            retractions: { year, id in
                ((errors.catching { try ledger?.retractions(year: year, target: id) } ?? nil) ?? [])
                    + (pending.retractions[Overlay.Key(year: year, id: id)] ?? [])
            },
            followUps: { year, id in
                ((errors.catching { try ledger?.followUps(year: year, target: id) } ?? nil) ?? []) + (pending.followUps[Overlay.Key(year: year, id: id)] ?? [])
            },
            closed: { [timeZone] year in
                (errors.catching { try ledger?.approval(year: year) } ?? nil).map { ApprovalWords.refusal($0, timeZone: timeZone) }
            })
    }
}

/// Records decided in the current batch but not yet committed, seen by the validator like stored ones.
struct Overlay {
    struct Key: Hashable {
        var year: Int
        var id: String
    }

    var records: [Key: Record] = [:]
    var retractions: [Key: [Retraction]] = [:]
    /// Rectification reports and re-checks by target, in arrival order.
    var followUps: [Key: [Record]] = [:]

    mutating func add(_ new: [Record]) {
        for r in new {
            records[Key(year: r.year, id: r.id)] = r
            if case .retraction(let x) = r { retractions[Key(year: x.year, id: x.target), default: []].append(x) }
            if r.isFollowUp, let target = r.target { followUps[Key(year: r.year, id: target), default: []].append(r) }
        }
    }
}

/// Ledger errors met while validating, kept to fail the pass afterwards.
final class LookupErrors {
    private(set) var first: (any Error)?

    func catching<T>(_ body: () throws -> T) -> T? {
        do { return try body() } catch {
            if first == nil { first = error }
            return nil
        }
    }
}

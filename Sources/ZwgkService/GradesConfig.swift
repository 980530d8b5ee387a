public import RubricEngine
import ZwgkFormats

/// `[grades]` as read from zwgk.toml: the policy, and the lines of what can only be checked against the
/// rubrics (class tables and veto rows), for `Rules.load` to report.
public struct GradesConfig: Sendable, Equatable {
    /// A name the configuration gives, with the line it is written on.
    public struct Named: Sendable, Equatable {
        public var name: String
        public var line: Int

        public init(name: String, line: Int) {
            self.name = name
            self.line = line
        }
    }

    public var policy: GradePolicy
    /// The `[grades.X]` tables.
    public var classTables: [Named]
    /// Every veto row named, in [grades] and in the class tables.
    public var vetoRows: [Named]

    static let settingKeys = ["excellent_share", "veto"]
    static let knownKeys = Grade.bands.map(\.rawValue) + settingKeys

    /// Reads the `grades` value of a configuration; nil (with problems noted) when it is unusable.
    static func read(_ value: TOMLValue, line: Int, problems: inout [ConfigProblem]) -> GradesConfig? {
        guard case .table(let table) = value else {
            problems.append(ConfigProblem(line: line, "grades 必须是一个表:[grades] 下写 \"优秀\" = 90 等分数线"))
            return nil
        }
        let before = problems.count
        let top = settings(table, name: "[grades]", problems: &problems)
        var classTables: [Named] = []
        var vetoRows = top.veto.map { $0 }
        var overrides: [(name: String, line: Int, settings: Settings)] = []
        for (key, value) in table.entries {
            guard case .table(let t) = value else { continue }
            let l = table.line(of: key) ?? line
            classTables.append(Named(name: key, line: l))
            for (k, v) in t.entries where v.isTable {
                problems.append(ConfigProblem(line: t.line(of: k) ?? l, "[grades.\(key)] 中不能再嵌套表“\(k)”"))
            }
            let s = settings(t, name: "[grades.\(key)]", problems: &problems)
            vetoRows += s.veto
            overrides.append((key, l, s))
        }
        if !top.namesBands {
            problems.append(ConfigProblem(line: table.line, "[grades] 至少要写一条分数线,如 \"合格\" = 60(可用等次:优秀、良好、合格)"))
        }
        let defaults = GradeBands(
            cutoffs: top.cutoffs.map { ($0.grade, $0.cutoff) }, excellentShare: top.share,
            veto: top.veto.map(\.name))
        if !defaults.isOrdered {
            problems.append(
                ConfigProblem(
                    line: top.cutoffs.map(\.line).max() ?? table.line,
                    "[grades] 的分数线须按 优秀 > 良好 > 合格 严格递减,现在是 " + describe(defaults)))
        }
        /// The share caps 优秀 places: it needs a 优秀 cut-off.
        func checkShare(_ bands: GradeBands, table: String, line: Int) {
            if bands.excellentShare != nil && !bands.cutoffs.contains(where: { $0.grade == .excellent }) {
                problems.append(ConfigProblem(line: line, "\(table) 设了 excellent_share(优秀名额比例),但没有“优秀”的分数线;请加上 \"优秀\" = 分数线,或删除 excellent_share"))
            }
        }
        if top.namesBands { checkShare(defaults, table: "[grades]", line: table.line(of: "excellent_share") ?? table.line) }
        var classes: [String: GradeBands] = [:]
        for o in overrides {
            var cutoffs = defaults.cutoffs
            for c in o.settings.cutoffs {
                cutoffs.removeAll { $0.grade == c.grade }
                cutoffs.append((c.grade, c.cutoff))
            }
            let merged = GradeBands(
                cutoffs: cutoffs, excellentShare: o.settings.hasShare ? o.settings.share : defaults.excellentShare,
                veto: o.settings.hasVeto ? o.settings.veto.map(\.name) : defaults.veto)
            if defaults.isOrdered && !merged.isOrdered {
                problems.append(
                    ConfigProblem(
                        line: o.settings.cutoffs.map(\.line).max() ?? o.line,
                        "[grades.\(o.name)] 与 [grades] 合并后的分数线须按 优秀 > 良好 > 合格 严格递减,现在是 "
                            + describe(merged)))
            }
            if defaults.excellentShare == nil || !defaults.cutoffs.contains(where: { $0.grade == .excellent }) {
                checkShare(merged, table: "[grades.\(o.name)]", line: o.line)
            }
            classes[o.name] = merged
        }
        guard problems.count == before else { return nil }
        return GradesConfig(policy: GradePolicy(defaults: defaults, classes: classes), classTables: classTables, vetoRows: vetoRows)
    }

    /// What one table (`[grades]` or `[grades.B]`) sets.
    struct Settings {
        var cutoffs: [(grade: Grade, cutoff: Points, line: Int)] = []
        var share: ExactShare?
        var hasShare = false
        var veto: [Named] = []
        var hasVeto = false
        /// Whether a band is named at all (a wrong cut-off is its own problem).
        var namesBands = false
    }

    static func settings(_ table: TOMLTable, name: String, problems: inout [ConfigProblem]) -> Settings {
        var s = Settings()
        for (key, value) in table.entries where !value.isTable {
            let line = table.line(of: key) ?? table.line
            func problem(_ text: String) { problems.append(ConfigProblem(line: line, text)) }
            if key == Grade.fail.rawValue {
                problem("\(name) 中不能给“不合格”设分数线:低于最低一档分数线即为不合格")
                continue
            }
            if let grade = Grade(rawValue: key) {
                s.namesBands = true
                switch value {
                case .integer(let i):
                    if abs(i) <= 1_000_000 {
                        s.cutoffs.append((grade, Points(i), line))
                    } else {
                        problem("\(name) 中“\(key)”的分数线 \(i) 超出范围")
                    }
                case .float(let text):
                    if let p = Points(exactly: text) {
                        s.cutoffs.append((grade, p, line))
                    } else {
                        problem("\(name) 中“\(key)”的分数线 \(text) 最多两位小数")
                    }
                default: problem("\(name) 中“\(key)”的分数线必须是数字(如 90 或 89.5),现在是\(value.typeName)")
                }
                continue
            }
            switch key {
            case "excellent_share":
                s.hasShare = true
                let literal: String? =
                    switch value {
                    case .integer(let i): String(i)
                    case .float(let text): text
                    default: nil
                    }
                guard let literal else {
                    problem("\(name) 中 excellent_share 必须是 0 到 1 之间的数(如 0.3),现在是\(value.typeName)")
                    continue
                }
                guard let share = ExactShare(literal: literal), share.isFraction else {
                    problem("\(name) 中 excellent_share 必须在 0 到 1 之间(如 0.3,最多九位小数),现在是 \(literal)")
                    continue
                }
                s.share = share
            case "veto":
                s.hasVeto = true
                guard case .array(let items) = value, items.allSatisfy({ if case .string(let x) = $0 { !x.isEmpty } else { false } }) else {
                    problem("\(name) 中 veto 必须是指标名称的数组,如 veto = [\"重大扣分项\"]")
                    continue
                }
                s.veto = items.compactMap { if case .string(let x) = $0 { Named(name: x, line: line) } else { nil } }
            default:
                let hint = closest(to: key, among: knownKeys)
                problem(
                    "\(name) 中未知的配置项“\(key)”" + (hint.isEmpty ? "" : ",是否是:\(hint.joined(separator: "、"))")
                        + "(可用:\(knownKeys.joined(separator: "、")),或 [grades.类别] 表)")
            }
        }
        return s
    }

    /// `优秀 90、良好 80、合格 60`.
    static func describe(_ bands: GradeBands) -> String {
        bands.cutoffs.map { "\($0.grade.rawValue) \($0.cutoff)" }.joined(separator: "、")
    }

    /// Problems only the rubrics can reveal: a class table for a class no rubric has, a veto row no rubric has.
    func problems(against rubrics: [Rubric]) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        let classes = Array(Set(rubrics.flatMap { $0.classes.map(\.name) })).sorted()
        for t in classTables where !classes.contains(t.name) {
            problems.append(ConfigProblem(line: t.line, "[grades.\(t.name)]:考核细则中没有“\(t.name)”类(可用:\(classes.joined(separator: "、")))"))
        }
        for v in vetoRows where !rubrics.contains(where: { $0.row(named: v.name) != nil }) {
            let hint = closest(to: v.name, among: rubrics.flatMap { $0.rows.values.map(\.name) })
            problems.append(
                ConfigProblem(
                    line: v.line,
                    "veto 中的“\(v.name)”不是考核细则中的指标"
                        + (hint.isEmpty ? "" : ",是否是:\(Array(Set(hint)).sorted().joined(separator: "、"))")))
        }
        return problems.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
    }
}

extension TOMLValue {
    var isTable: Bool { if case .table = self { true } else { false } }
}

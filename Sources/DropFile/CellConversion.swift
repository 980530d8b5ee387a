import RubricEngine
import Spreadsheet
import ZwgkFormats

/// Turns one spreadsheet cell into the JSON value its record field takes, so that the record checker sees
/// exactly what a JSON drop file would hold; a cell that cannot be such a value is a problem of its own.
enum CellConversion {
    enum Outcome: Equatable {
        case value(JSONValue)
        /// Nothing to fill (blank text).
        case empty
        case problem(String)
    }

    static func convert(_ cell: CellValue, field: SheetField, kind: SheetKind) -> Outcome {
        switch cell {
        case .formulaWithoutValue(let formula):
            return .problem("单元格是公式(=\(formula)),但文件中没有保存它的计算结果。请在 Excel/WPS 中打开后保存一次,或把公式改为数值后再提交。")
        case .error(let code):
            return .problem("单元格是错误值 \(code)。请改为正确的内容后再提交。")
        default: break
        }
        switch field {
        case .type:
            return .empty
        case .year:
            return integer(cell, what: "年度应为整数年份(如 2023)")
        case .count:
            return number(cell)
        case .score, .points:
            return number(cell)
        case .date, .rectifyBy:
            return date(cell)
        case .level, .result:
            let header = field.header(on: kind)
            let words = field.choices.map { "“\($0.word)”" }.joined(separator: "或")
            guard case .text(let t) = cell else { return .problem("\(header)应填\(words)。") }
            let v = t.trimmingWhitespace()
            if v.isEmpty { return .empty }
            guard let choice = field.choices.first(where: { $0.word == v || $0.value == v.lowercased() }) else {
                let meant = field.choices.map { "“\($0.word)”(\($0.meaning))" }.joined(separator: "或")
                return .problem("“\(v)”不是有效的\(header);应为\(meant)。")
            }
            return .value(.string(choice.value))
        case .unit where kind.severalUnits:
            guard case .text(let t) = cell else { return .problem("应填单位名称,收到的是\(describe(cell))。") }
            let names = splitUnits(t)
            return names.isEmpty ? .empty : .value(.array(names.map { .string($0) }))
        default:
            switch cell {
            case .text(let t):
                let v = t.trimmingWhitespace()
                return v.isEmpty ? .empty : .value(.string(v))
            case .number(let n): return .value(.string(n))
            case .date(let d): return .value(.string(d.description))
            default: return .problem("应填文字,收到的是\(describe(cell))。")
            }
        }
    }

    /// Unit names in one cell: separated by 、 , , ; ; or line breaks.
    static func splitUnits(_ text: String) -> [String] {
        text.split(whereSeparator: { "、,,;;\n\r".contains($0) }).map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    /// A number cell as written, or text that is a plain decimal number (CSV fields are text).
    private static func number(_ cell: CellValue) -> Outcome {
        switch cell {
        case .number(let n): return .value(.number(n))
        case .text(let t):
            let v = t.trimmingWhitespace()
            if v.isEmpty { return .empty }
            return isDecimal(v) ? .value(.number(v)) : .problem("应填数字,收到“\(v)”。")
        default: return .problem("应填数字,收到的是\(describe(cell))。")
        }
    }

    private static func integer(_ cell: CellValue, what: String) -> Outcome {
        switch number(cell) {
        case .value(.number(let n)) where Int(n) != nil: return .value(.number(n))
        case .value(.number(let n)): return .problem("\(what),收到“\(n)”。")
        case .problem: return .problem("\(what),收到的是\(describe(cell))。")
        case let other: return other
        }
    }

    private static func isDecimal(_ s: String) -> Bool {
        var digits = 0
        var dots = 0
        for (i, c) in s.enumerated() {
            if c == "-" || c == "+" {
                if i != 0 { return false }
            } else if c == "." {
                dots += 1
            } else if c.isASCII && c.isNumber {
                digits += 1
            } else {
                return false
            }
        }
        return digits > 0 && dots <= 1
    }

    private static func date(_ cell: CellValue) -> Outcome {
        switch cell {
        case .date(let d): return .value(.string(d.description))
        case .text(let t):
            let v = t.trimmingWhitespace()
            if v.isEmpty { return .empty }
            guard let iso = dateText(v) else {
                return .problem("“\(v)”不是可识别的日期;请使用日期单元格,或写成 2023-05-12、2023/5/12 或 2023年5月12日。")
            }
            return .value(.string(iso))
        case .number(let n):
            return .problem("单元格是数字 \(n),不是日期。请把单元格格式设为日期,或写成 2023-05-12 这样的文字。")
        default:
            return .problem("应填日期,收到的是\(describe(cell))。")
        }
    }

    /// `2023-05-12`, `2023-5-12`, `2023/5/12` or `2023年5月12日` as `YYYY-MM-DD` (not checked for existence:
    /// the record checker says when such a day does not exist); nil for other text.
    static func dateText(_ text: String) -> String? {
        var s = Substring(text)
        let parts: [Substring]
        // Character comparisons: `contains` with a String goes through Foundation, many times slower.
        if s.contains(where: { $0 == "年" }) {
            guard s.hasSuffix("日") || s.hasSuffix("号") else { return nil }
            s = s.dropLast()
            parts = s.split(omittingEmptySubsequences: false) { $0 == "年" || $0 == "月" }
        } else if s.contains(where: { $0 == "/" }) {
            parts = s.split(separator: "/", omittingEmptySubsequences: false)
        } else {
            parts = s.split(separator: "-", omittingEmptySubsequences: false)
        }
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } })
        else { return nil }
        func two(_ p: Substring) -> String { p.count == 1 ? "0" + p : String(p) }
        return "\(parts[0])-\(two(parts[1]))-\(two(parts[2]))"
    }

    static func describe(_ cell: CellValue) -> String {
        switch cell {
        case .text(let t): "文字“\(t)”"
        case .number(let n): "数字 \(n)"
        case .date(let d): "日期 \(d)"
        case .bool(let b): "逻辑值 \(b ? "TRUE" : "FALSE")"
        case .error(let e): "错误值 \(e)"
        case .formulaWithoutValue(let f): "没有计算结果的公式 =\(f)"
        }
    }

    /// A record checker's message in the spreadsheet's terms: JSON field and type names become the headers
    /// and sheet names the clerk sees (`clause` → 条款, `retraction` → 撤销).
    static func inSheetTerms(_ message: String, kind: SheetKind) -> String {
        var words: [String: String] = [:]
        for f in SheetField.allCases {
            words[f.rawValue] = f.header(on: kind)
            for c in f.choices { words[c.value] = c.word }
        }
        words["units"] = "单位"
        for k in SheetKind.allCases { words[k.rawValue] = k.sheetName }
        var out = ""
        var word = ""
        func flush() {
            out += words[word] ?? word
            word = ""
        }
        // Text inside “…” is the clerk's own (an id, a name) and stays as written.
        var quoted = false
        for c in message {
            if !quoted && c.isASCII && (c.isLetter || c == "_") {
                word.append(c)
            } else {
                flush()
                out.append(c)
                if c == "“" { quoted = true } else if c == "”" { quoted = false }
            }
        }
        flush()
        // A space that stood between a Chinese word and an English one goes with the English word.
        var spaced = ""
        quoted = false
        let chars = Array(out)
        for (i, c) in chars.enumerated() {
            if c == "“" { quoted = true } else if c == "”" { quoted = false }
            if c == " " && !quoted && i > 0 && i + 1 < chars.count && !chars[i - 1].isASCII && !chars[i + 1].isASCII { continue }
            spaced.append(c)
        }
        out = spaced
        // "撤销(retraction)" and "次数 count" become "撤销(撤销)" and "次数 次数": say each once.
        for name in Set(words.values) {
            out = out.replacing("\(name)(\(name))", with: name).replacing("\(name) \(name)", with: name).replacing(name + name, with: name)
        }
        return out
    }
}

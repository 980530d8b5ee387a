import Foundation
import Reports
import RubricEngine

/// `zwgk template`: the template workbook for a year's rubric and the configured units, written to a path.
public enum TemplateFile {
    /// Writes the template of `year` to `path` (replacing nothing: an existing file is refused).
    public static func write(year: Int, rules: Rules, to path: String) throws {
        guard let rubric = rules.rubrics[year] else {
            throw ServiceError(.input, "没有\(year)年度的考核细则(已配置:\(rules.rubrics.keys.sorted().map(String.init).joined(separator: "、")))")
        }
        if case .missing = FS.kind(path) {
        } else {
            throw ServiceError(.input, "\(path) 已存在;为免覆盖,请换一个文件名(--output)或先移走原文件")
        }
        let temp = (path as NSString).deletingLastPathComponent + "/.\((path as NSString).lastPathComponent).tmp-\(getpid())"
        try? FileManager.default.removeItem(atPath: temp)
        do {
            try WorkbookFile.write(to: temp, sheets: TemplateWorkbook.sheetNames, failing: .input) {
                TemplateWorkbook.writeSheet($0, rubric: rubric, roster: rules.roster, to: &$2)
            }
            guard try FS.renameNoReplace(temp, path) else {
                throw ServiceError(.input, "\(path) 已存在;为免覆盖,请换一个文件名(--output)或先移走原文件")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temp)
            throw error
        }
    }
}

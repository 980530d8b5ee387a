import Foundation

/// Reads the sheets of an .xlsx workbook held in memory. Only the sheets asked for are unpacked and parsed;
/// every part is bounded in size before it is unpacked (see `ZipParts`).
public enum WorkbookReader {
    /// The names of the workbook's sheets in order, and the sheets among them that `wanted` accepts, read.
    public static func read(_ bytes: [UInt8], wanted: (String) -> Bool) throws(WorkbookError) -> (names: [String], sheets: [Sheet]) {
        let zip = try ZipParts(bytes)
        let rootRels = try zip.read("_rels/.rels").flatMap(WorkbookParts.officeDocument)
        let workbookPath = normalize(rootRels ?? "xl/workbook.xml", base: "")
        guard let workbookData = try zip.read(workbookPath), let workbook = WorkbookParts.workbook(workbookData) else {
            throw WorkbookError(.damaged, "压缩包中没有工作簿内容(缺少 \(workbookPath)),不是 Excel/WPS 保存的 .xlsx 工作簿。请另存为 Excel 工作簿(*.xlsx)后再提交。")
        }
        let base = workbookPath.contains("/") ? String(workbookPath[..<workbookPath.lastIndex(of: "/")!]) : ""
        let relsPath = (base.isEmpty ? "" : base + "/") + "_rels/" + (workbookPath.split(separator: "/").last.map(String.init) ?? "workbook.xml") + ".rels"
        let targets = try zip.read(relsPath).map(WorkbookParts.relationships) ?? [:]
        let names = workbook.sheets.map(\.name)
        let chosen = workbook.sheets.filter { wanted($0.name) }
        guard !chosen.isEmpty else { return (names, []) }

        let strings: [String]
        if let data = try zip.read(normalize(sharedStringsTarget(targets) ?? "sharedStrings.xml", base: base)) {
            guard let s = WorkbookParts.sharedStrings(data) else {
                throw WorkbookError(.damaged, "工作簿的共享字符串部件无法读取(XML 格式错误),文件可能已损坏。请重新另存为 .xlsx 后再提交。")
            }
            strings = s
        } else {
            strings = []
        }
        let styles = try zip.read(normalize("styles.xml", base: base)).map(WorkbookParts.dateStyles) ?? []
        let reader = WorksheetReader(sharedStrings: strings, dateStyles: styles, date1904: workbook.date1904)
        var sheets: [Sheet] = []
        for entry in chosen {
            guard let target = targets[entry.relationshipID], let data = try zip.read(normalize(target, base: base)) else {
                throw WorkbookError(.damaged, "工作表“\(entry.name)”的内容在文件中找不到,文件可能已损坏。请重新另存为 .xlsx 后再提交。")
            }
            do {
                sheets.append(try reader.read(data, name: entry.name))
            } catch let error as WorkbookError {
                throw error
            } catch let bad as WorksheetReader.BadCell {
                throw WorkbookError(.damaged, "工作表“\(entry.name)”的单元格 \(bad.reference) 无法读取(\(bad.detail)),文件可能已损坏。请重新另存为 .xlsx 后再提交。")
            } catch {
                throw WorkbookError(.damaged, "工作表“\(entry.name)”无法读取:\(error)")
            }
        }
        return (names, sheets)
    }

    private static func sharedStringsTarget(_ targets: [String: String]) -> String? {
        targets.values.first { $0.hasSuffix("sharedStrings.xml") }
    }

    /// A relationship target as a path inside the zip: absolute (`/xl/…`) as is, relative against `base`.
    static func normalize(_ target: String, base: String) -> String {
        var parts: [Substring] = target.hasPrefix("/") || base.isEmpty ? [] : base.split(separator: "/")
        for p in target.split(separator: "/") {
            if p == ".." { _ = parts.popLast() } else if p != "." { parts.append(p) }
        }
        return parts.joined(separator: "/")
    }
}

import Foundation

/// Reads the sheets of an .xlsx workbook held in memory. Only the sheets asked for are unpacked and parsed;
/// every part is bounded in size before it is unpacked (see `ZipParts`).
public enum WorkbookReader {
    /// The names of the workbook's sheets in order, and the sheets among them that `wanted` accepts, read.
    /// Reading stops with `.tooLarge` at the first of `limits` passed; each part is read at most once.
    public static func read(
        _ bytes: [UInt8], limits: ReadLimits = .generous,
        wanted: (String) -> Bool
    ) throws(WorkbookError) -> (names: [String], sheets: [Sheet]) {
        let zip = try ZipParts(bytes)
        let rootRels = try xml(zip, "_rels/.rels").flatMap(WorkbookParts.officeDocument)
        let workbookPath = normalize(rootRels ?? "xl/workbook.xml", base: "")
        guard let workbookData = try xml(zip, workbookPath), let workbook = WorkbookParts.workbook(workbookData) else {
            throw WorkbookError(.damaged, "压缩包中没有工作簿内容(缺少 \(workbookPath)),不是 Excel/WPS 保存的 .xlsx 工作簿。请另存为 Excel 工作簿(*.xlsx)后再提交。")
        }
        let base = workbookPath.contains("/") ? String(workbookPath[..<workbookPath.lastIndex(of: "/")!]) : ""
        let relsPath = (base.isEmpty ? "" : base + "/") + "_rels/" + (workbookPath.split(separator: "/").last.map(String.init) ?? "workbook.xml") + ".rels"
        let targets = try xml(zip, relsPath).map(WorkbookParts.relationships) ?? [:]
        guard workbook.sheets.count <= limits.sheets else {
            throw WorkbookError(.tooLarge, "工作簿列出了\(workbook.sheets.count)个工作表,超过\(limits.sheets)个的上限。请删除多余的工作表,或拆分为多个文件后再提交。")
        }
        let names = workbook.sheets.map(\.name)
        let chosen = workbook.sheets.filter { wanted($0.name) }
        guard !chosen.isEmpty else { return (names, []) }

        let strings: [String]
        if let data = try xml(zip, normalize(sharedStringsTarget(targets) ?? "sharedStrings.xml", base: base)) {
            guard let s = WorkbookParts.sharedStrings(data) else {
                throw WorkbookError(.damaged, "工作簿的共享字符串部件无法读取(XML 格式错误),文件可能已损坏。请重新另存为 .xlsx 后再提交。")
            }
            strings = s
        } else {
            strings = []
        }
        let styles = try xml(zip, normalize("styles.xml", base: base)).map(WorkbookParts.dateStyles) ?? []
        let reader = WorksheetReader(sharedStrings: strings, dateStyles: styles, date1904: workbook.date1904)
        var sheets: [Sheet] = []
        var budget = ReadBudget(limits)
        var readParts: [String: String] = [:]
        for entry in chosen {
            let shown = String(entry.name.prefix(60))
            let path = targets[entry.relationshipID].map { normalize($0, base: base) }
            // Each part is read once: a workbook that lists one part as several sheets is no workbook a program saved.
            if let path, let earlier = readParts.updateValue(entry.name, forKey: path) {
                throw WorkbookError(.damaged, "工作表“\(shown)”与工作表“\(earlier.prefix(60))”指向同一个部件 \(path.prefix(60)),文件已损坏或被篡改。请重新另存为 .xlsx 后再提交。")
            }
            guard let path, let data = try xml(zip, path) else {
                throw WorkbookError(.damaged, "工作表“\(shown)”的内容在文件中找不到,文件可能已损坏。请重新另存为 .xlsx 后再提交。")
            }
            do {
                sheets.append(try reader.read(data, name: entry.name, budget: &budget))
            } catch let error as WorkbookError {
                throw error
            } catch let bad as WorksheetReader.BadCell {
                throw WorkbookError(.damaged, "工作表“\(shown)”的单元格 \(bad.reference) 无法读取(\(bad.detail)),文件可能已损坏。请重新另存为 .xlsx 后再提交。")
            } catch let bad as WorksheetReader.BadRow {
                throw WorkbookError(.damaged, "工作表“\(shown)”中有行号“\(bad.text.prefix(40))”的行,行号应在1—\(WorksheetReader.lastRow)之间,文件已损坏或被篡改。请重新另存为 .xlsx 后再提交。")
            } catch {
                throw WorkbookError(.damaged, "工作表“\(entry.name)”无法读取:\(error)")
            }
        }
        return (names, sheets)
    }

    /// The most attributes of one element, and elements of one part, parsed (see `XMLShape`): no element of
    /// SpreadsheetML has more than about 20 attributes, and a part at the row and cell limits far fewer elements.
    static let attributeLimit = 64
    static let elementLimit = 3_000_000

    /// The XML part at `path`, unpacked, once its shape is within the limits; nil when there is none.
    private static func xml(_ zip: ZipParts, _ path: String) throws(WorkbookError) -> Data? {
        guard let data = try zip.read(path) else { return nil }
        do {
            try XMLShape.check(data, attributes: attributeLimit, elements: elementLimit)
        } catch {
            switch error {
            case .attributes(let n):
                throw WorkbookError(.tooLarge, "工作簿部件“\(path.prefix(60))”中有元素的属性超过\(n)个,不是 Excel/WPS 保存的工作簿,已拒收。请重新另存为 .xlsx 后再提交。")
            case .elements(let n):
                throw WorkbookError(.tooLarge, "工作簿部件“\(path.prefix(60))”中的 XML 元素超过\(n)个的上限,已拒收。请删除多余的空单元格和格式,或拆分为多个文件后再提交。")
            }
        }
        return data
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

import RubricEngine
import Spreadsheet
import ZwgkFormats

/// Spreadsheet drop files (.xlsx, .csv): each row becomes the JSON record it stands for, the record checker
/// checks it exactly as it checks JSON, and every problem is placed back on its sheet, row and cell.
enum SpreadsheetDrop {
    static func checkWorkbook(_ bytes: [UInt8], context: DropFileContext) -> Result<ValidFile, Problems> {
        if let problem = sizeProblem(bytes, .xlsx) { return .failure(Problems([problem])) }
        let read: (names: [String], sheets: [Sheet])
        do {
            read = try WorkbookReader.read(bytes, limits: SpreadsheetDrop.limits) { SheetKind(name: $0) != nil }
        } catch {
            return .failure(Problems([Problem(error.description)]))
        }
        guard !read.sheets.isEmpty else {
            let names = read.names.prefix(10).map { "“\($0)”" }.joined(separator: "、") + (read.names.count > 10 ? "等\(read.names.count)个" : "")
            return .failure(
                Problems([
                    Problem("工作簿中没有\(SheetKind.namesInWords)工作表(现有工作表:\(names.isEmpty ? "无" : names)),没有可读取的记录。请把记录填在以这些名称命名的工作表中(可用 zwgk template 生成模板)。")
                ]))
        }
        var rows = SheetRows()
        for (i, sheet) in read.sheets.enumerated() {
            // The name as the kind matched it (trimmed): no line break of a sheet's name reaches a record's source.
            rows.add(sheet, kind: SheetKind(name: sheet.name), index: i, placeName: sheet.name.trimmingWhitespace())
        }
        return rows.check(context: context)
    }

    static func checkCSV(_ bytes: [UInt8], context: DropFileContext) -> Result<ValidFile, Problems> {
        if let problem = sizeProblem(bytes, .csv) { return .failure(Problems([problem])) }
        let sheet: Sheet
        do {
            sheet = try CSVSheet.read(try TextDecoding.decode(bytes).text, name: "", limits: SpreadsheetDrop.limits)
        } catch {
            return .failure(Problems([Problem(error.description)]))
        }
        var rows = SheetRows()
        rows.add(sheet, kind: nil, index: 0, placeName: nil)
        return rows.check(context: context)
    }

    /// What a drop file's workbook or CSV may hold (``DropLimits``); the rows include a header per sheet.
    static let limits = ReadLimits(
        rows: DropLimits.records + DropLimits.sheets, cellsPerRow: DropLimits.cellsPerRow,
        cells: DropLimits.cells, textBytes: DropLimits.cellTextBytes, sheets: DropLimits.sheets)

    private static func sizeProblem(_ bytes: [UInt8], _ format: DropFormat) -> Problem? {
        if bytes.count > format.maxBytes { return DropFile.tooLarge(bytes.count, format: format) }
        if bytes.isEmpty { return Problem("文件是空的(0字节)。请确认文件已完整保存后再提交。") }
        return nil
    }
}

/// Problems are listed by sheet, row and column.
struct PlaceKey: Comparable {
    var sheet: Int
    var row: Int
    var column: Int

    init(_ place: SheetPlace, _ sheet: Int) {
        self.sheet = sheet
        row = place.row ?? 0
        column = place.column ?? -1
    }

    static func < (a: PlaceKey, b: PlaceKey) -> Bool { (a.sheet, a.row, a.column) < (b.sheet, b.row, b.column) }
}

/// The record rows of a drop file's sheets, gathered before any is checked, with the problems found in
/// reading them (headers, cells).
struct SheetRows {
    /// A row turned into the record object it stands for.
    struct Row {
        var kind: SheetKind
        var place: SheetPlace
        var sheetIndex: Int
        var object: JSONObject
        var columns: [SheetField: (column: Int, header: String)]
        /// Fields whose cell already has a problem: the checker's complaint about them would repeat it.
        var suppressed: Set<SheetField>
        /// 年度 was left out and taken from 日期: a problem with the year belongs to the 日期 cell.
        var yearFromDate: Bool
    }

    private(set) var rows: [Row] = []
    /// The rows under the headers of all sheets added, blank ones left out.
    private(set) var dataRowCount = 0
    /// "Did you mean" suggestions for unknown headers, bounded for the whole file.
    private let hints = Hints()
    /// The first problems found in reading the sheets, by place, and how many.
    private(set) var problems = FirstByKey<PlaceKey, Problem>(limit: Problems.listLimit)

    private mutating func fail(_ place: SheetPlace, sheetIndex: Int, _ message: @autoclosure () -> String) {
        problems.add(PlaceKey(place, sheetIndex)) { Problem(place: place, message()) }
    }

    /// Adds a sheet's rows: of `kind`, or (a CSV) of the kind each row's 类型 names.
    mutating func add(_ sheet: Sheet, kind sheetKind: SheetKind?, index: Int, placeName: String?) {
        let sheetPlace = SheetPlace(sheet: placeName)
        guard let headerRow = sheet.rows.first, headerRow.number == 1 else {
            fail(sheetPlace, sheetIndex: index, "第1行应为表头(编号、日期、单位……),现在是空的。")
            return
        }
        let dataRows = sheet.rows.dropFirst().filter { !$0.isBlank }
        dataRowCount += dataRows.count
        guard dataRowCount <= DropLimits.records else { return }
        // Headers.
        var columns: [SheetField: (column: Int, header: String)] = [:]
        for cell in headerRow.cells {
            let written: String
            switch cell.value {
            case .text(let t): written = t.trimmingWhitespace()
            case .number(let n): written = n
            default: written = CellConversion.describe(cell.value)
            }
            // Shown as the clerk will read it in a problem: short, no control characters.
            let text = ShownText.name(written)
            let place = SheetPlace(sheet: placeName, row: 1, column: cell.column, header: text)
            guard let field = SheetField(header: text) else {
                let known = SheetField.allCases.flatMap(\.headers)
                let hint = hints.closest(to: text, among: known, kind: .field)
                fail(
                    place, sheetIndex: index,
                    "“\(text)”不是可识别的表头。" + (hint.isEmpty ? "" : "是否是:\(hint.joined(separator: "、"))?")
                        + "可用的表头:\(known.joined(separator: "、"))(也可用英文字段名)。")
                continue
            }
            if let earlier = columns[field] {
                fail(place, sheetIndex: index, "表头“\(text)”与\(CellReference.letters(earlier.column))列(\(earlier.header))重复,每项只能有一列。")
                continue
            }
            columns[field] = (cell.column, text)
        }
        let headed = Set(columns.values.map(\.column))
        let written = Set(headerRow.cells.filter { !$0.value.isBlank }.map(\.column))
        var seenBlankHeader: Set<Int> = []
        for row in dataRows {
            for cell in row.cells where !headed.contains(cell.column) && !cell.value.isBlank && !written.contains(cell.column) {
                guard seenBlankHeader.insert(cell.column).inserted else { continue }
                let merged = sheet.merged.contains { $0.contains(row: 1, column: cell.column) }
                fail(
                    SheetPlace(sheet: placeName, row: 1, column: cell.column), sheetIndex: index,
                    "第\(row.number)行起这一列有内容,但第1行没有表头" + (merged ? "(表头单元格与相邻单元格合并了,请取消合并,每列一个表头)" : "") + "。请填写表头或删除这一列。")
            }
        }

        // The kind of each row: the sheet's, or its 类型 cell's.
        var fileKind = sheetKind
        if sheetKind == nil && columns[.type] == nil {
            fail(sheetPlace, sheetIndex: index, "CSV 文件必须有“类型”列,每行填写\(SheetKind.namesInWords)。")
            return
        }
        var kinds: [(SheetRow, SheetKind)] = []
        for row in dataRows {
            guard let typeColumn = columns[.type] else {
                kinds.append((row, sheetKind!))
                continue
            }
            let place = SheetPlace(sheet: placeName, row: row.number, column: typeColumn.column, header: typeColumn.header)
            guard case .text(let t)? = row[typeColumn.column], let kind = SheetKind(name: t) else {
                let shown = row[typeColumn.column].map(CellConversion.describe) ?? "空白"
                fail(place, sheetIndex: index, "类型应为\(SheetKind.namesInWords),收到的是\(shown)。")
                continue
            }
            if let fileKind, kind != fileKind {
                fail(
                    place, sheetIndex: index,
                    sheetKind == nil
                        ? "一个 CSV 文件只能有一种类型;本文件前面的行是“\(fileKind.sheetName)”,这一行是“\(kind.sheetName)”。请分成两个文件。"
                        : "这一行的类型“\(kind.sheetName)”与工作表“\(fileKind.sheetName)”不符。请把它移到“\(kind.sheetName)”工作表。")
                continue
            }
            fileKind = kind
            kinds.append((row, kind))
        }
        guard let kind = fileKind else { return }

        // Columns this kind does not have: refused where they hold something.
        for (field, column) in columns where field != .type && !kind.fields.contains(field) {
            if dataRows.contains(where: { !($0[column.column]?.isBlank ?? true) }) {
                fail(
                    SheetPlace(sheet: placeName, row: 1, column: column.column, header: column.header), sheetIndex: index,
                    "“\(kind.sheetName)”记录没有“\(column.header)”这一项。请删除这一列,或清空其中的内容。")
            }
            columns[field] = nil
        }
        if let target = columns[.target], !SheetField.target.accepts(target.header, on: kind), let own = kind.targetHeader {
            fail(
                SheetPlace(sheet: placeName, row: 1, column: target.column, header: target.header), sheetIndex: index,
                "“\(kind.sheetName)”记录的对象列表头应为“\(own)”,不是“\(target.header)”。")
        }
        let missing = kind.required.filter { columns[$0] == nil }
        if !missing.isEmpty {
            fail(
                sheetPlace, sheetIndex: index, "缺少必填的列:\(missing.map { "“\($0.header(on: kind))”" }.joined(separator: "、"))。请在第1行加上这些表头(可用 zwgk template 生成模板)。"
            )
            return
        }

        for (row, kind) in kinds { addRow(row, kind: kind, columns: columns, sheetIndex: index, placeName: placeName) }
    }

    private mutating func addRow(
        _ row: SheetRow, kind: SheetKind, columns: [SheetField: (column: Int, header: String)],
        sheetIndex: Int, placeName: String?
    ) {
        var object = JSONObject()
        object.append("type", .string(kind.rawValue))
        var suppressed: Set<SheetField> = []
        for field in kind.fields {
            guard let column = columns[field], let cell = row[column.column] else { continue }
            switch CellConversion.convert(cell, field: field, kind: kind) {
            case .value(let v): object.append(field.key(for: kind), v)
            case .empty: break
            case .problem(let message):
                fail(
                    SheetPlace(sheet: placeName, row: row.number, column: column.column, header: column.header),
                    sheetIndex: sheetIndex, message)
                suppressed.insert(field)
            }
        }
        var yearFromDate = false
        if object["year"] == nil && !suppressed.contains(.year) {
            yearFromDate = true
            if case .string(let d)? = object["date"], let day = Day(d) {
                object.append("year", .number(String(day.year)))
            } else {
                // No 年度 and no usable 日期: the 日期 cell's own problem says it all.
                suppressed.insert(.year)
            }
        }
        rows.append(
            Row(
                kind: kind, place: SheetPlace(sheet: placeName, row: row.number), sheetIndex: sheetIndex,
                object: object, columns: columns, suppressed: suppressed, yearFromDate: yearFromDate))
    }

    /// Checks every row as a record (findings, then notices, retractions, rectifications and rechecks, each in
    /// sheet order, so that a retraction, rectification or recheck may follow a record of the same file), and
    /// places each problem on its cell.
    func check(context: DropFileContext) -> Result<ValidFile, Problems> {
        if dataRowCount > DropLimits.records { return .failure(Problems([DropFile.tooManyRecords(dataRowCount)])) }
        let ordered = rows.indices.sorted { (rows[$0].kind, $0) < (rows[$1].kind, $1) }
        var checker = RecordChecker(context: context)
        // The checker's problems join those of reading, placed on their cells; only the first are put in the
        // clerk's terms (inSheetTerms is not cheap) and kept.
        var listed = problems
        for (position, i) in ordered.enumerated() {
            checker.check(.object(rows[i].object), position: position + 1)
            let row = rows[i]
            for p in checker.problems {
                var place = row.place
                if let key = p.field, var field = SheetField(key: key) {
                    if row.suppressed.contains(field) { continue }
                    if field == .year && row.yearFromDate { field = .date }
                    if let column = row.columns[field] {
                        place.column = column.column
                        place.header = column.header
                    }
                }
                listed.add(PlaceKey(place, row.sheetIndex)) { Problem(place: place, CellConversion.inSheetTerms(p.message, kind: row.kind)) }
            }
            checker.problems.removeAll(keepingCapacity: true)
        }
        if listed.count > 0 { return .failure(Problems(first: listed.first(), count: listed.count)) }
        if rows.isEmpty { return .failure(Problems([Problem("文件中没有任何记录(表头下面没有填写内容的行)。")])) }
        let sources = checker.newPositions.map { rows[ordered[$0 - 1]].place.source }
        return .success(ValidFile(new: checker.new, duplicates: checker.duplicates, sources: sources))
    }
}

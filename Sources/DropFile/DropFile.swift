public import RubricEngine
import ZwgkFormats

/// One problem found in a drop file: which record, which field, what is wrong and what to do.
public struct Problem: Sendable, Equatable, CustomStringConvertible {
    /// 1-based position of the record in the file; nil for a problem with the whole file.
    public var record: Int?
    public var recordID: String?
    public var field: String?
    /// Where in a spreadsheet (sheet, row, column and header); when set, it names the place instead of the record.
    public var place: SheetPlace?
    public var message: String

    /// Values quoted in `message`, the id and the field are cut short and their control characters written out
    /// (see `ShownText`), so that a problem stays one short line whatever the file holds.
    public init(record: Int? = nil, recordID: String? = nil, field: String? = nil, _ message: String) {
        self.record = record
        self.recordID = recordID.map { ShownText.name($0) }
        self.field = field.map { ShownText.name($0) }
        self.message = ShownText.message(message)
    }

    /// A problem at a place in a spreadsheet.
    public init(place: SheetPlace, _ message: String) {
        self.place = place
        self.message = ShownText.message(message)
    }

    public var description: String {
        if let place = self.place { return "\(place):\(message)" }
        var place = ""
        if let record {
            place = "第\(record)条记录"
            if let recordID { place += "(id “\(recordID)”)" }
        } else {
            place = "整个文件"
        }
        if let field { place += ",字段 \(field)" }
        return "\(place):\(message)"
    }
}

/// What the validator needs to know about the world: rubrics, units and the ledger so far.
public struct DropFileContext {
    public var rubrics: [Int: Rubric]
    public var roster: UnitRoster
    /// The record already in the ledger under (year, id), if any.
    public var existing: (Int, String) -> Record?
    /// Retractions already in the ledger that target (year, id).
    public var retractions: (Int, String) -> [Retraction]
    /// Rectification reports and re-checks already in the ledger that target (year, id), in arrival order.
    public var followUps: (Int, String) -> [Record]
    /// Why records of a year are no longer accepted (its results approved, 审定), in words for the submitter;
    /// nil while the year is open.
    public var closed: (Int) -> String?

    public init(
        rubrics: [Int: Rubric], roster: UnitRoster,
        existing: @escaping (Int, String) -> Record? = { _, _ in nil },
        retractions: @escaping (Int, String) -> [Retraction] = { _, _ in [] },
        followUps: @escaping (Int, String) -> [Record] = { _, _ in [] },
        closed: @escaping (Int) -> String? = { _ in nil }
    ) {
        self.rubrics = rubrics
        self.roster = roster
        self.existing = existing
        self.retractions = retractions
        self.followUps = followUps
        self.closed = closed
    }
}

/// A valid drop file: the records it adds, and those that were already in the ledger unchanged.
public struct ValidFile: Sendable, Equatable {
    public var new: [Record]
    public var duplicates: [Record]
    /// For each new record, where in the file it was (`发现问题!12` in a workbook, `第12行` in a CSV); nil for JSON.
    public var sources: [String?]

    public init(new: [Record], duplicates: [Record], sources: [String?]? = nil) {
        self.new = new
        self.duplicates = duplicates
        self.sources = sources ?? Array(repeating: nil, count: new.count)
    }
}

/// The kinds of drop file, told by the name's extension.
public enum DropFormat: String, Sendable, CaseIterable {
    case json
    case xlsx
    case csv

    /// The format of a file named `name` (`.json`, `.xlsx`, `.csv`, in any case); nil for other names.
    public init?(fileName name: String) {
        guard let dot = name.lastIndex(of: "."), name.index(after: dot) < name.endIndex else { return nil }
        self.init(rawValue: name[name.index(after: dot)...].lowercased())
    }

    /// The largest file accepted: 1 MiB of JSON, 5 MiB of spreadsheet.
    public var maxBytes: Int { self == .json ? 1 << 20 : 5 << 20 }
}

public enum DropFile {
    /// The largest drop file accepted.
    public static let maxBytes = 1 << 20
    /// The largest `count` accepted on one finding.
    public static let maxCount = 10_000

    /// Checks a drop file of `format` completely: every problem is reported, or the records are returned.
    public static func check(_ bytes: [UInt8], format: DropFormat, context: DropFileContext) -> Result<ValidFile, Problems> {
        switch format {
        case .json: check(bytes, context: context)
        case .xlsx: SpreadsheetDrop.checkWorkbook(bytes, context: context)
        case .csv: SpreadsheetDrop.checkCSV(bytes, context: context)
        }
    }

    /// Checks a JSON drop file completely: every problem is reported, or the records are returned.
    public static func check(_ bytes: [UInt8], context: DropFileContext) -> Result<ValidFile, Problems> {
        if bytes.count > maxBytes { return .failure(Problems([tooLarge(bytes.count)])) }
        if bytes.isEmpty {
            return .failure(Problems([Problem("文件是空的(0字节)。请确认文件已完整写入后再提交。")]))
        }
        if String(validating: bytes, as: UTF8.self) == nil {
            let offset = firstInvalidUTF8(bytes)
            return .failure(Problems([Problem("文件不是UTF-8编码(第\(offset + 1)个字节处无法解码)。请用UTF-8编码另存后再提交(WPS/记事本“另存为”时选择UTF-8)。")]))
        }
        let root: JSONValue
        do {
            root = try JSONReader.parse(bytes)
        } catch {
            return .failure(Problems([Problem("JSON格式错误,\(error)。请修正后重新提交。")]))
        }
        let values: [JSONValue]
        switch root {
        case .object: values = [root]
        case .array(let items): values = items
        default: return .failure(Problems([Problem("文件内容必须是一个JSON对象或对象数组,现在是\(root.typeName)。")]))
        }
        if values.isEmpty {
            return .failure(Problems([Problem("文件中没有任何记录(空数组)。")]))
        }
        if values.count > DropLimits.records { return .failure(Problems([tooManyRecords(values.count)])) }
        var checker = RecordChecker(context: context)
        var problems = FirstByKey<Int, Problem>(limit: Problems.listLimit)
        for (i, value) in values.enumerated() {
            checker.check(value, position: i + 1)
            for p in checker.problems { problems.add(i) { p } }
            checker.problems.removeAll(keepingCapacity: true)
        }
        if problems.count > 0 { return .failure(Problems(first: problems.first(), count: problems.count)) }
        return .success(ValidFile(new: checker.new, duplicates: checker.duplicates))
    }

    /// The problem of a file over its format's limit (``maxBytes`` for JSON).
    public static func tooLarge(_ size: Int, format: DropFormat = .json) -> Problem {
        Problem("文件大小为\(size)字节,超过\(format.maxBytes >> 20) MiB(\(format.maxBytes)字节)的上限。请把记录拆分到多个文件中再提交。")
    }

    /// The problem of a file with more than ``DropLimits/records`` records.
    public static func tooManyRecords(_ count: Int) -> Problem {
        Problem("文件中有\(count)条记录,超过每个文件\(DropLimits.records)条的上限。请拆分为多个文件后再提交。")
    }

    /// Offset of the first byte that does not start or continue a well-formed UTF-8 sequence.
    public static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch b {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                high = 0x9F
            case 0xF0:
                length = 4
                low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                high = 0x8F
            default: return i
            }
            for k in 1..<length {
                guard i + k < bytes.count else { return i }
                let c = bytes[i + k]
                let (lo, hi) = k == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
                guard c >= lo && c <= hi else { return i }
            }
            i += length
        }
        return i
    }
}

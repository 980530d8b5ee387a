public import RubricEngine
import Spreadsheet

/// The template workbook inspectors fill in (`zwgk template`): 说明 (how to fill it in), the five record
/// sheets with their headers, dropdown lists (data validation) for 单位, 指标, 级别 and 复查结果 drawn from the
/// 名单 sheet, date columns (日期, 整改期限) shown as dates and 编号 kept as text.
public enum TemplateWorkbook {
    /// Rows of each record sheet that get the dropdown lists and formats.
    static let rows = 2000

    /// A record sheet: name, headers, and what each column gets.
    struct RecordSheet {
        var name: String
        var headers: [String]
        /// Whether 单位 holds several units (a notice's, a partial retraction's) rather than exactly one.
        var severalUnits = false
    }

    static let recordSheets = [
        RecordSheet(name: "发现问题", headers: ["编号", "日期", "单位", "指标", "条款", "次数", "赋分", "分值", "方式", "佐证", "备注", "整改期限"]),
        RecordSheet(name: "通报", headers: ["编号", "日期", "级别", "单位", "标题", "佐证", "整改期限"], severalUnits: true),
        RecordSheet(name: "撤销", headers: ["编号", "日期", "撤销对象", "理由", "单位", "佐证"], severalUnits: true),
        RecordSheet(name: "整改", headers: ["编号", "日期", "整改对象", "单位", "整改措施", "佐证"]),
        RecordSheet(name: "复查", headers: ["编号", "日期", "复查对象", "单位", "复查结果", "整改期限", "备注"]),
    ]

    /// The columns of the 名单 sheet: header and values (单位 and 指标 are filled in by ``lists``).
    static let choiceLists: [(header: String, values: [String])] = [("级别", ["季度", "月度"]), ("复查结果", ["通过", "未通过"])]

    /// The 名单 range of the list headed `header` (2 for 级别, 3 for 复查结果: the first two columns are 单位, 指标).
    static func choiceRange(_ header: String) -> String? {
        guard let i = choiceLists.firstIndex(where: { $0.header == header }) else { return nil }
        let letter = CellReference.letters(i + 2)
        return "'名单'!$\(letter)$2:$\(letter)$\(choiceLists[i].values.count + 1)"
    }

    /// The sheets, in order.
    public static let sheetNames = ["说明"] + recordSheets.map(\.name) + ["名单"]

    /// Writes sheet `index` (of ``sheetNames``) of the template for `rubric`'s year and the units of `roster`.
    public static func writeSheet(_ index: Int, rubric: Rubric, roster: UnitRoster, to out: inout some TextOutputStream) {
        switch index {
        case 0: instructions(rubric, to: &out)
        case 1...recordSheets.count: recordSheet(recordSheets[index - 1], rubric: rubric, roster: roster, to: &out)
        default: lists(rubric, roster: roster, to: &out)
        }
    }

    /// The 指标 names of the year's rubric, in the rubric's order.
    static func indicators(_ rubric: Rubric) -> [String] {
        var seen: Set<String> = []
        return rubric.rows.values.sorted { $0.id < $1.id }.map(\.name).filter { seen.insert($0).inserted }
    }

    static func instructions(_ rubric: Rubric, to out: inout some TextOutputStream) {
        let lines = [
            "\(rubric.title) — 检查记录填写模板",
            "",
            "一、每条记录填一行,第1行是表头,请勿修改表头和工作表名称。一个文件可以只填其中一张表,其余留空。",
            "二、“发现问题”表:每行一个单位在一个指标上的问题。",
            "    编号:本条记录的编号,同一年度内唯一(如 wsjc-2023-017);同一编号再次提交且内容相同时视为重复,内容不同则整个文件被拒收。",
            "    日期:发现问题的日期(日期格式,或写成 2023-05-12、2023/5/12、2023年5月12日),决定计入哪个季度;年度取日期所在年份(需要时可加“年度”列)。",
            "    单位、指标:从下拉列表中选择(列表见“名单”表)。",
            "    条款:指标有多个细项时填写细项名称(如 经费、不健全、优质案卷、好评、入选、三)。",
            "    次数:默认1次;赋分:赋分类指标填写所赋分值;分值:综合加分项、重大扣分项等酌情计分的项目填写分值(大于0)。",
            "    数值最多两位小数。方式、佐证、备注可选填(如 网上检查、检查记录编号)。",
            "三、“通报”表:每行一份通报。级别选“季度”(省、运城市季度检查)或“月度”(我市每月全覆盖检查);单位可填多个,用顿号(、)、逗号或分号分隔。",
            "    整改期限(可选):扣分的发现问题和通报可填写整改期限(日期),不填则按默认期限(记录日期后若干天)。",
            "四、“撤销”表:申诉成立或更正时填写。撤销对象填被撤销记录的编号(同一年度),理由必填;撤销通报中部分单位时在“单位”中列出这些单位,否则留空。",
            "    更正一条记录:在“撤销”表撤销原记录,同时在“发现问题”表填写更正后的新记录(换一个编号),一并提交。",
            "五、“整改”表:单位报送整改报告时填写。整改对象填发现问题或通报的编号(同一年度);单位只填一个(整改对象是通报时必填,是发现问题时可留空);整改措施必填,佐证可选填。",
            "六、“复查”表:复查整改情况时填写(须在整改报告之后)。复查对象、单位同“整改”表;复查结果选“通过”(销号)或“未通过”;未通过时可填写新的整改期限。",
            "七、整个文件要么全部接收,要么全部拒收:任何一处有问题,拒收说明(文件名.why.txt)会列出每处问题所在的工作表、行、列。",
            "八、填好后另存为 .xlsx(Excel 工作簿),放入投递目录 incoming/,或用 zwgk validate 文件名 先检查、zwgk submit 文件名 提交。",
            "    也可另存为 CSV(UTF-8 或 GBK 编码均可),此时每个文件只能有一种记录,并需增加“类型”列(发现问题/通报/撤销/整改/复查)。",
            "九、“说明”和“名单”表不会被读取。",
        ]
        var sheet = WorksheetWriter()
        sheet.begin(columns: [ColumnFormat(width: 110, style: .wrapped)], freezeHeader: false, to: &out)
        for (i, line) in lines.enumerated() { sheet.row([.text(line, style: i == 0 ? .header : .wrapped)], to: &out) }
        sheet.end(to: &out)
    }

    static func recordSheet(_ s: RecordSheet, rubric: Rubric, roster: UnitRoster, to out: inout some TextOutputStream) {
        let unitCount = max(roster.units.count, 1)
        let indicatorCount = max(indicators(rubric).count, 1)
        var columns: [ColumnFormat] = []
        var validations: [ListValidation] = []
        for (i, h) in s.headers.enumerated() {
            let letter = CellReference.letters(i)
            let range = "\(letter)2:\(letter)\(rows)"
            switch h {
            case "编号": columns.append(ColumnFormat(width: 22, style: .textFormat))
            case "日期", "整改期限": columns.append(ColumnFormat(width: 12, style: .date))
            case "单位":
                let widest = ColumnFormat.fitting(roster.units.map(\.name))
                columns.append(ColumnFormat(width: s.severalUnits ? 40 : widest))
                validations.append(
                    ListValidation(
                        cells: range, source: "'名单'!$A$2:$A$\(unitCount + 1)", strict: !s.severalUnits,
                        prompt: s.severalUnits ? "可填多个单位,用顿号(、)分隔" : nil))
            case "指标":
                columns.append(ColumnFormat(width: min(40, ColumnFormat.fitting(indicators(rubric)))))
                validations.append(ListValidation(cells: range, source: "'名单'!$B$2:$B$\(indicatorCount + 1)", strict: true))
            case _ where choiceRange(h) != nil:
                columns.append(ColumnFormat(width: ColumnFormat.fitting([h], minimum: 8)))
                validations.append(ListValidation(cells: range, source: choiceRange(h)!, strict: true))
            case "理由", "标题", "佐证", "备注", "整改措施": columns.append(ColumnFormat(width: 30))
            default: columns.append(ColumnFormat(width: ColumnFormat.fitting([h], minimum: 8)))
            }
        }
        var sheet = WorksheetWriter()
        sheet.begin(columns: columns, freezeHeader: true, to: &out)
        sheet.row(s.headers.map { .text($0, style: .header) }, to: &out)
        sheet.end(validations: validations, to: &out)
    }

    static func lists(_ rubric: Rubric, roster: UnitRoster, to out: inout some TextOutputStream) {
        let units = roster.units.map(\.name)
        let names = indicators(rubric)
        let lists = [("单位", units), ("指标", names)] + choiceLists
        var sheet = WorksheetWriter()
        sheet.begin(
            columns: [ColumnFormat(width: ColumnFormat.fitting(units)), ColumnFormat(width: min(50, ColumnFormat.fitting(names)))]
                + choiceLists.map { ColumnFormat(width: ColumnFormat.fitting([$0.header], minimum: 8)) }, freezeHeader: true, to: &out)
        sheet.row(lists.map { .text($0.0, style: .header) }, to: &out)
        for i in 0..<lists.map(\.1.count).max()! {
            sheet.row(lists.map { .text(i < $0.1.count ? $0.1[i] : "") }, to: &out)
        }
        sheet.end(to: &out)
    }
}

/// The bounds of the work one drop file may cause (README, “投递文件的上限”). A file past any of them is
/// refused as a whole, with the bound in the reason; within them every file is decided in bounded time and
/// memory (bench/hostile.py).
public enum DropLimits {
    /// Records per file (JSON array items, or rows under the header of all record sheets together).
    public static let records = 20_000
    /// Characters of an id (`id`, 编号).
    public static let idCharacters = 128
    /// Characters of a short field: unit and indicator names, clause, target, dates, choices, method.
    public static let shortCharacters = 200
    /// Characters of a free-text field: evidence, note, title, reason, measures.
    public static let freeTextCharacters = 2_000
    /// The free-text fields: they may hold tabs and line breaks, and are longer.
    static let freeTextFields: Set<String> = ["evidence", "note", "title", "reason", "measures"]
    /// Non-empty cells per row (and so header cells) of a spreadsheet; the template has at most 13 columns.
    public static let cellsPerRow = 100
    /// Non-empty cells of a workbook or CSV file in all (20,000 rows of 25 columns).
    public static let cells = 500_000
    /// Sheets a workbook may list.
    public static let sheets = 64
    /// UTF-8 bytes of all cell text read from a workbook, each cell counted (a shared string once per cell).
    public static let cellTextBytes = 16 << 20
}

public import Foundation
import ZwgkFormats

extension Rubric {
    /// The text of the 2023 rubric shipped with zwgk (`Resources/rubric-2023.json`), as data.
    public static func builtInJSON() throws(RubricFileError) -> [UInt8] {
        guard let url = Bundle.module.url(forResource: "rubric-2023", withExtension: "json"),
            let data = try? Data(contentsOf: url)
        else {
            throw RubricFileError(place: "rubric-2023.json", problem: "找不到内置的2023年度考核细则文件(安装不完整,请重新安装)")
        }
        return Array(data)
    }

    /// The 2023 rubric shipped with zwgk.
    public static func builtIn() throws(RubricFileError) -> Rubric {
        try Rubric.load(json: builtInJSON())
    }
}

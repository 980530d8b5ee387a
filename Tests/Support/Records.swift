public import Foundation

/// A finding record as JSON text, for drop files in tests.
public func finding(_ id: String, unit: String = "城东街道", indicator: String = "已公布标准目录执行情况", date: String = "2023-05-01") -> String {
    #"{"type": "finding", "id": "\#(id)", "year": 2023, "date": "\#(date)", "unit": "\#(unit)", "indicator": "\#(indicator)"}"#
}

/// A step a test needs from the machine (mounting a tmpfs, say) failed.
public struct StartFailure: Error {
    public var message: String
    public init(message: String) { self.message = message }
}

/// The path of a file among the test fixtures (`rubric-2024.json`: a 2024 rubric of our own that differs from
/// 2023 in a row and a base).
public func fixturePath(_ name: String) -> String {
    let dot = name.lastIndex(of: ".")!
    return Bundle.module.url(forResource: "Fixtures/" + name[..<dot], withExtension: String(name[name.index(after: dot)...]))!.path
}

import Foundation

/// Real spreadsheet writers and readers for tests: openpyxl (through `Tests/Spreadsheets/workbook.py`),
/// LibreOffice Calc headless, and iconv.
public enum OfficeTools {
    /// `Tests/Spreadsheets/workbook.py` in this checkout.
    public static let script: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Spreadsheets/workbook.py").path

    /// Runs `workbook.py ARGS`; its standard output, or a thrown failure with what it said.
    @discardableResult
    public static func workbook(_ args: [String]) throws -> String {
        let (status, out) = try runProgram("/usr/bin/env", ["python3", script] + args)
        guard status == 0 else { throw StartFailure(message: "workbook.py \(args.joined(separator: " ")) failed (\(status)): \(out)") }
        return out
    }

    /// Writes a workbook with openpyxl from a spec (see workbook.py) to `path`.
    public static func writeWorkbook(_ spec: String, to path: String) throws {
        let specPath = path + ".spec.json"
        try spec.write(toFile: specPath, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: specPath) }
        try workbook(["write", specPath, path])
    }

    /// What openpyxl reads from the workbook at `path`: a JSON object (see workbook.py's `dump`).
    public static func dump(_ path: String) throws -> [String: Any] {
        let out = try workbook(["dump", path])
        guard let object = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any] else {
            throw UnexpectedOutput(description: "workbook.py dump printed no object: \(out)")
        }
        return object
    }

    /// The sheet named `name` of a dump.
    public static func sheet(_ dump: [String: Any], _ name: String) -> [String: Any]? {
        (dump["sheets"] as? [[String: Any]])?.first { $0["name"] as? String == name }
    }

    /// Converts `input` with LibreOffice Calc headless (`soffice --convert-to FILTER`) into `outdir`, with a
    /// private profile folder and at most `seconds`; returns what soffice said.
    @discardableResult
    public static func soffice(
        convert input: String, to filter: String, outdir: String, infilter: String? = nil,
        seconds: Int = 180
    ) throws -> String {
        let profile = NSTemporaryDirectory() + "zwgk-lo-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: profile) }
        try FileManager.default.createDirectory(atPath: outdir, withIntermediateDirectories: true)
        var args = [String(seconds), "soffice", "-env:UserInstallation=file://\(profile)", "--headless", "--norestore"]
        if let infilter { args.append("--infilter=\(infilter)") }
        args += ["--convert-to", filter, "--outdir", outdir, input]
        let (status, out) = try runProgram("/usr/bin/timeout", args, environment: ["HOME": profile])
        guard status == 0 else { throw StartFailure(message: "soffice --convert-to \(filter) \(input) failed (\(status)): \(out)") }
        return out
    }

    /// Converts a UTF-8 file to `encoding` with iconv.
    public static func iconv(_ input: String, to encoding: String, output: String) throws {
        let (status, out) = try runProgram("/bin/sh", ["-c", "iconv -f UTF-8 -t \(encoding) \"$0\" > \"$1\"", input, output])
        guard status == 0 else { throw StartFailure(message: "iconv to \(encoding) failed: \(out)") }
    }
}

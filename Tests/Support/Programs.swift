import Foundation

/// Runs a program and returns (status, stdout+stderr); output goes through a file, never a pipe.
public func runProgram(_ path: String, _ args: [String], environment: [String: String] = [:], cwd: String? = nil) throws -> (Int32, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = args
    p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    let log = NSTemporaryDirectory() + "zwgk-run-\(UUID().uuidString).log"
    _ = FileManager.default.createFile(atPath: log, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: log) }
    let handle = FileHandle(forWritingAtPath: log)!
    p.standardOutput = handle
    p.standardError = handle
    try p.run()
    p.waitUntilExit()
    return (p.terminationStatus, try String(contentsOfFile: log, encoding: .utf8))
}

import Foundation
import Testing

/// A helper's output that could not be read as expected: the test fails instead of seeing an empty result.
public struct UnexpectedOutput: Error, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
}

/// Copies the built `zwgk` and every resource bundle beside it (`*.resources`: Bundle.module looks for
/// them next to the executable) into `folder`, readable and executable by everyone; returns the copy's path.
/// A process that is not root (a test's other user, or a service under systemd's ProtectHome=) may not be
/// able to enter the checkout at all — e.g. a clone under /root or in a `mktemp -d` folder.
public func stageBinary(into folder: String) throws -> String {
    let fm = FileManager.default
    let built = URL(fileURLWithPath: Sandbox.binary).deletingLastPathComponent()
    try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder)
    let staged = folder + "/zwgk"
    try fm.copyItem(atPath: Sandbox.binary, toPath: staged)
    try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: staged)
    let bundles = try fm.contentsOfDirectory(atPath: built.path).filter { $0.hasSuffix(".resources") }
    guard !bundles.isEmpty else { throw UnexpectedOutput(description: "no *.resources bundle beside \(Sandbox.binary)") }
    for bundle in bundles {
        try fm.copyItem(atPath: built.appendingPathComponent(bundle).path, toPath: folder + "/" + bundle)
        try makeReadableByAll(folder + "/" + bundle)
    }
    return staged
}

/// chmod a+rX, recursively: folders 0755, files 0644 (0755 if executable).
private func makeReadableByAll(_ path: String) throws {
    let fm = FileManager.default
    var isFolder: ObjCBool = false
    guard fm.fileExists(atPath: path, isDirectory: &isFolder) else { return }
    if isFolder.boolValue {
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        for name in try fm.contentsOfDirectory(atPath: path) { try makeReadableByAll(path + "/" + name) }
    } else {
        try fm.setAttributes([.posixPermissions: fm.isExecutableFile(atPath: path) ? 0o755 : 0o644], ofItemAtPath: path)
    }
}

/// Where the copy for other users lives: a fresh 0755 folder under /tmp (not $TMPDIR, which may be private),
/// removed when the test process exits.
private let stagedFolder: String = {
    var template = Array("/tmp/zwgk-bin.XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else { fatalError("mkdtemp /tmp/zwgk-bin.XXXXXX: errno \(errno)") }
    let folder = String(cString: made)
    atexit { try? FileManager.default.removeItem(atPath: stagedFolder) }
    return folder
}()

extension Sandbox {
    /// `zwgk` staged where any user can run it, independent of where the checkout lives.
    static let binaryForOthers: String = {
        do {
            return try stageBinary(into: stagedFolder)
        } catch {
            fatalError("cannot stage \(Sandbox.binary) into \(stagedFolder): \(error)")
        }
    }()

    /// The binary to run: the staged copy when the command runs as another user (`runAs` non-empty).
    public static func binary(runAs: [String]) -> String { runAs.isEmpty ? binary : binaryForOthers }
}

import Foundation

/// libFuzzer's entry point: one input, run through the target `ZWGK_FUZZ_TARGET` names.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    FuzzTarget.selected.run(bytes)
    return 0
}

#if !ZWGK_FUZZ
/// Built without libFuzzer (`swift build`): `zwgk-fuzz TARGET FILE…` runs each file through TARGET once,
/// as libFuzzer replays a corpus; a crash stops it like the fuzzer would.
@main
struct Replay {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            print("usage: zwgk-fuzz TARGET FILE…  (TARGET: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: " ")))")
            exit(2)
        }
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                print("zwgk-fuzz: cannot read \(path)")
                exit(1)
            }
            print("\(path): \(target.run(Array(data)))")
        }
        print("zwgk-fuzz \(name): \(arguments.count - 1) inputs ran")
    }
}
#endif

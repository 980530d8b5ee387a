import ArgumentParser
import ZwgkCLI

/// The `zwgk` executable: the command tree lives in ZwgkCLI; this only starts it.
@main
struct Zwgk: AsyncParsableCommand {
    static let configuration = ZwgkCommands.configuration

    static func main() async { await ZwgkCommands.main(Zwgk.self) }
}

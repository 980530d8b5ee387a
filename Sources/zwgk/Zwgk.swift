import ArgumentParser
import ZwgkApp

/// The `zwgk` executable: the command tree lives in ZwgkApp; this only starts it.
@main
struct Zwgk: AsyncParsableCommand {
    static let configuration = ZwgkCommands.configuration
}

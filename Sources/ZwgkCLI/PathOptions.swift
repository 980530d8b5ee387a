import ArgumentParser
import Foundation
import ZwgkService

/// Options every subcommand takes.
struct PathOptions: ParsableArguments {
    @Option(help: "配置文件(TOML);默认 /etc/zwgk/zwgk.toml(存在时),否则使用内置的本地默认值。")
    var config: String?
    @Option(help: "投递目录(含 incoming/、accepted/、rejected/)。")
    var spool: String?
    @Option(help: "状态目录(账本 ledger.sqlite 所在)。")
    var state: String?
    @Option(help: "报告目录。")
    var reports: String?
    @Option(help: "单位名单文件(TOML)。")
    var units: String?

    /// The configuration: the file named (or the system's, or the local default) with the overrides applied.
    func resolve() throws(ConfigError) -> Config {
        try PathOptions.resolve(config: config, spool: spool, state: state, reports: reports, units: units)
    }

    /// The configuration file named (or the system's, or the local default) with these overrides applied.
    static func resolve(config: String?, spool: String?, state: String?, reports: String?, units: String?) throws(ConfigError) -> Config {
        var c: Config
        if let config {
            c = try Config.load(path: config)
        } else if FileManager.default.fileExists(atPath: Config.systemPath) {
            c = try Config.load(path: Config.systemPath)
        } else {
            c = .localDefault
        }
        if let spool { c.spool = spool }
        if let state { c.state = state }
        if let reports { c.reports = reports }
        if let units { c.units = units }
        return c
    }

    /// The configuration and the rules it names, or a message and exit status 1.
    func load() throws -> (Config, Rules) {
        try PathOptions.load { () throws(ConfigError) in try resolve() }
    }

    /// The configuration `resolve` gives and the rules it names, or a message and exit status 1.
    static func load(_ resolve: () throws(ConfigError) -> Config) throws -> (Config, Rules) {
        try service {
            let config = try resolve()
            return (config, try Rules.load(config))
        }
    }
}

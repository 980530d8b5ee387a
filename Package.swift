// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "zwgk",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "zwgk", targets: ["zwgk"]),
        // libFuzzer targets for every reader (scripts/fuzz builds it with -sanitize=fuzzer in .build-fuzz).
        .executable(name: "zwgk-fuzz", targets: ["ZwgkFuzz"]),
    ],
    dependencies: [
        // The command line (interfaces.md names it).
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Logging API; the shells take a Logger, only main chooses where it goes.
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Services with graceful shutdown on SIGTERM/SIGINT, and Unix signals as async sequences.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // SHA-256 (BoringSSL's, with the CPU's SHA instructions) for content hashes, records and manifests.
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        // File descriptors, paths and errno as Swift types, for the file-system edge of the service.
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        // The zip container of .xlsx workbooks (read from memory with size limits, written streamed from files).
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        // CSV records (RFC 4180 quoting) for .csv drop files.
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        // Pure: JSON with positions and exact numbers, the TOML zwgk reads, and SHA-256 in hex.
        .target(name: "ZwgkFormats", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // Pure: the rubric as data (the built-in 2023 rubric with it), units, records and the scoring engine.
        .target(name: "RubricEngine", dependencies: ["ZwgkFormats"], resources: [.copy("Resources/rubric-2023.json")]),
        // Pure: spreadsheets as cells: .xlsx workbooks read and written, CSV text in UTF-8 or GB18030.
        .target(
            name: "Spreadsheet",
            dependencies: [
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "CSV", package: "CSV.swift"),
            ]),
        // Pure: drop-file bytes in, records or every problem out.
        .target(name: "DropFile", dependencies: ["RubricEngine", "ZwgkFormats", "Spreadsheet"]),
        // The ledger: an append-only SQLite file.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "Ledger", dependencies: ["CSQLite", "RubricEngine", "ZwgkFormats"]),
        // Pure: one report model, rendered as JSON, CSV, HTML and text.
        .target(name: "Reports", dependencies: ["RubricEngine", "ZwgkFormats", "Spreadsheet"]),
        // Linux calls that neither Swift nor swift-system make: renameat2, read leases, inotify's layout, malloc_trim.
        .target(name: "CShims"),
        // libsystemd (Debian's libsystemd-dev): sd_notify and the native journal protocol.
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        .target(name: "Systemd", dependencies: ["CSystemd", "ZwgkFormats", .product(name: "Logging", package: "swift-log")]),
        // The service: configuration, spool and ingest, snapshots, status. Throws domain errors; prints nothing.
        .target(
            name: "ZwgkService",
            dependencies: [
                "RubricEngine", "DropFile", "Ledger", "Reports", "ZwgkFormats", "CShims", "Systemd", "Spreadsheet",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // The command line: parses arguments, calls the service, turns its errors into messages and exit codes.
        .target(
            name: "ZwgkCLI",
            dependencies: [
                "ZwgkService", "RubricEngine", "DropFile", "Ledger", "Reports", "Systemd", "ZwgkFormats",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(name: "zwgk", dependencies: ["ZwgkCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // The fuzz targets, one binary (ZWGK_FUZZ_TARGET picks the reader). Built with -DZWGK_FUZZ it has no main
        // (libFuzzer's); without, `zwgk-fuzz TARGET FILE…` replays inputs once.
        .executableTarget(
            name: "ZwgkFuzz",
            dependencies: ["DropFile", "RubricEngine", "Reports", "Spreadsheet", "ZwgkFormats", "ZwgkService"],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),

        // Helpers for tests that drive the built binary in a throwaway installation.
        .target(name: "ZwgkTestSupport", dependencies: ["ZwgkService", "ZwgkFormats"], path: "Tests/Support", resources: [.copy("Fixtures")]),
        .testTarget(name: "ZwgkFormatsTests", dependencies: ["ZwgkFormats"]),
        .testTarget(name: "RubricEngineTests", dependencies: ["RubricEngine"]),
        .testTarget(name: "SpreadsheetTests", dependencies: ["Spreadsheet", "ZwgkTestSupport"]),
        .testTarget(name: "DropFileTests", dependencies: ["DropFile", "RubricEngine", "Spreadsheet", "ZwgkTestSupport"]),
        .testTarget(name: "LedgerTests", dependencies: ["Ledger", "RubricEngine", "ZwgkFormats"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "RubricEngine", "ZwgkFormats", "Spreadsheet"], exclude: ["Golden"]),
        .testTarget(
            name: "ZwgkServiceTests",
            dependencies: [
                "ZwgkService", "ZwgkTestSupport", "RubricEngine", "Ledger", "Reports", "ZwgkFormats",
                .product(name: "Logging", package: "swift-log"),
                // swift-log's in-memory handler, for tests that read what was logged.
                .product(name: "InMemoryLogging", package: "swift-log"),
            ]
        ),
        // The systemd layer against a real notify socket, a private journald and systemd as PID 1.
        .testTarget(name: "SystemdTests", dependencies: ["ZwgkTestSupport"]),
    ]
)

// Settings every Swift target shares, applied in one place (as swift-log does).
for target in package.targets where [.executable, .test, .regular].contains(target.type) && target.name != "CShims" {
    var settings = target.swiftSettings ?? []
    // Require `any` for existential types.
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    // Imports are internal unless marked `public import`: a target's dependencies do not leak to its users.
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    // A file sees the members of only the modules it imports itself (SE-0444), so every use is declared.
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}

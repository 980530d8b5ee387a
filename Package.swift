// swift-tools-version:6.0
import PackageDescription

/// Settings every target shares: Swift 6 language mode and a few upcoming features.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "zwgk",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "zwgk", targets: ["zwgk"]),
    ],
    dependencies: [
        // The command line (interfaces.md names it).
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Logging API; the shells take a Logger, only main chooses where it goes.
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Services with graceful shutdown on SIGTERM/SIGINT, and Unix signals as async sequences.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // Pure: JSON with positions and exact numbers, and the TOML subset zwgk reads.
        .target(name: "ZwgkFormats", dependencies: ["CShims"], swiftSettings: strict),
        // Pure: the rubric as data, units, records and the scoring engine.
        .target(name: "RubricEngine", dependencies: ["ZwgkFormats"], swiftSettings: strict),
        // Pure: drop-file bytes in, records or every problem out.
        .target(name: "DropFile", dependencies: ["RubricEngine", "ZwgkFormats"], swiftSettings: strict),
        // The ledger: an append-only SQLite file.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // Linux calls Swift cannot make directly, and SHA-256 with the CPU's SHA extensions.
        .target(name: "CShims"),
        // libsystemd (Debian's libsystemd-dev): sd_notify and the native journal protocol.
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        .target(
            name: "Systemd",
            dependencies: ["CSystemd", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .target(name: "Ledger", dependencies: ["CSQLite", "RubricEngine", "ZwgkFormats"], swiftSettings: strict),
        // Pure: one report model, rendered as JSON, CSV, HTML and text.
        .target(name: "Reports", dependencies: ["RubricEngine", "ZwgkFormats"], swiftSettings: strict),
        // The shells: configuration, spool, snapshots, commands.
        .target(
            name: "ZwgkApp",
            dependencies: [
                "RubricEngine", "DropFile", "Ledger", "Reports", "ZwgkFormats", "CShims", "Systemd",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources/rubric-2023.json")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "zwgk",
            dependencies: ["ZwgkApp", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict
        ),

        .testTarget(name: "ZwgkFormatsTests", dependencies: ["ZwgkFormats"], swiftSettings: strict),
        .testTarget(name: "RubricEngineTests", dependencies: ["RubricEngine", "ZwgkFormats", "ZwgkApp"], swiftSettings: strict),
        .testTarget(name: "DropFileTests", dependencies: ["DropFile", "RubricEngine", "ZwgkApp"], swiftSettings: strict),
        .testTarget(name: "LedgerTests", dependencies: ["Ledger", "RubricEngine", "ZwgkFormats"], swiftSettings: strict),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "RubricEngine", "ZwgkApp", "ZwgkFormats"], exclude: ["Golden"], swiftSettings: strict),
        .testTarget(
            name: "ZwgkAppTests",
            dependencies: ["ZwgkApp", "RubricEngine", "Ledger", "Reports", .product(name: "Logging", package: "swift-log")],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
    ]
)

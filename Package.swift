// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "BoxOfficeKit",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "BoxOfficeKit", targets: ["BoxOfficeKit"]),
        .library(name: "SyncAgent", targets: ["SyncAgent"]),
        .executable(name: "boxoffice", targets: ["boxoffice"]),
        .executable(name: "boxoffice-bench", targets: ["boxoffice-bench"]),
        .executable(name: "boxoffice-sim", targets: ["boxoffice-sim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/apple/swift-configuration", exact: "1.4.0"),
        // `swift package generate-documentation --target BoxOfficeKit`: the kit's DocC.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", exact: "1.5.0"),
    ],
    targets: [
        // System libraries that Swift reaches through small C shims.
        .systemLibrary(name: "CCrypt", path: "Sources/CCrypt"),
        .systemLibrary(name: "CLibpq", path: "Sources/CLibpq", pkgConfig: "libpq"),
        .target(
            name: "CCurlShim",
            path: "Sources/CCurlShim",
            linkerSettings: [.linkedLibrary("curl")]
        ),

        // Embeds schemas/sqlite into BoxOfficeKit and schemas/postgres into SyncAgent at build time.
        .executableTarget(name: "schema-embedder", path: "Plugins/SchemaEmbedder"),
        .plugin(name: "EmbedSchemas", capability: .buildTool(), dependencies: ["schema-embedder"]),

        .target(
            name: "BoxOfficeKit",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                // The C API itself: a pulled page is bound value by value into one prepared statement.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Configuration", package: "swift-configuration"),
                "CCrypt",
                "CCurlShim",
            ],
            plugins: ["EmbedSchemas"]
        ),
        .target(
            name: "SyncAgent",
            dependencies: [
                "BoxOfficeKit",
                "CLibpq",
                .product(name: "Logging", package: "swift-log"),
            ],
            plugins: ["EmbedSchemas"]
        ),
        .executableTarget(
            name: "boxoffice",
            dependencies: [
                "BoxOfficeKit",
                "SyncAgent",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `make bench`: the kit beside raw SQLite (through GRDB's own link to the system SQLite)
        // and raw PostgreSQL, in one run. See BENCHMARKS.md.
        .executableTarget(
            name: "boxoffice-bench",
            dependencies: [
                "BoxOfficeKit",
                "SyncAgent",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/BoxOfficeBench"
        ),

        // `boxoffice-sim`: counters, head office and faults on a seeded schedule, and the checker of
        // the whole history (docs/simulation.md). The library is what the simulation tests drive.
        .target(
            name: "BoxOfficeSimulation",
            dependencies: [
                "BoxOfficeKit", "SyncAgent",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Simulation/BoxOfficeSimulation"
        ),
        .executableTarget(
            name: "boxoffice-sim",
            dependencies: ["BoxOfficeSimulation", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Simulation/boxoffice-sim"
        ),

        // The README's "Embedding the kit" snippet, as a program the tests build and run.
        .executableTarget(name: "counter-example", dependencies: ["BoxOfficeKit"], path: "Examples/CounterExample"),

        // What several test targets share: the real SMTP and PostgreSQL servers, the built binary.
        .target(name: "TestSupport", dependencies: ["SyncAgent", "CCrypt"], path: "Tests/TestSupport"),
        .testTarget(
            name: "BoxOfficeKitTests",
            dependencies: [
                "TestSupport", "BoxOfficeKit",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SyncAgentTests",
            dependencies: ["TestSupport", "SyncAgent", "BoxOfficeKit"]
        ),
        .testTarget(
            name: "SimulationTests",
            dependencies: ["TestSupport", "BoxOfficeSimulation", "SyncAgent", "BoxOfficeKit"]
        ),
        .testTarget(
            name: "boxofficeTests",
            dependencies: ["TestSupport", "BoxOfficeKit", "SyncAgent", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["HelpSnapshots"]  // read from the source tree by HelpSnapshotTests
        ),
    ],
    swiftLanguageModes: [.v6]
)

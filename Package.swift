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
        // `boxoffice serve` only: the HTTP server and the service group it runs in. swift-nio comes with
        // them, so only BoxOfficeServer, the CLI and the server's tests depend on them, never the kit.
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
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

        // Writes files into a target as Swift string literals at build time, for both plugins below.
        .executableTarget(name: "file-embedder", path: "Plugins/FileEmbedder"),
        // Embeds schemas/sqlite into BoxOfficeKit and schemas/postgres into SyncAgent at build time.
        .plugin(name: "EmbedSchemas", capability: .buildTool(), dependencies: ["file-embedder"]),
        // Embeds web/counter (the counter screen's HTML, CSS and JavaScript) into BoxOfficeServer.
        .plugin(name: "EmbedCounterScreen", capability: .buildTool(), dependencies: ["file-embedder"]),

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
        // `boxoffice serve`: the old system's REST API and the kit's /v1 JSON API over the kit.
        .target(
            name: "BoxOfficeServer",
            dependencies: [
                "BoxOfficeKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            plugins: ["EmbedCounterScreen"]
        ),
        .executableTarget(
            name: "boxoffice",
            dependencies: [
                "BoxOfficeKit",
                "SyncAgent",
                "BoxOfficeServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // `make bench`: the kit beside raw SQLite (through GRDB's own link to the system SQLite)
        // and raw PostgreSQL, and `boxoffice serve` beside the kit called directly, in one run. See BENCHMARKS.md.
        .executableTarget(
            name: "boxoffice-bench",
            dependencies: [
                "BoxOfficeKit",
                "SyncAgent",
                "BoxOfficeServer",
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
        // The server's tests: real HTTP on 127.0.0.1, the real SMTP sink and PostgreSQL (the old database).
        .testTarget(
            name: "BoxOfficeServerTests",
            dependencies: [
                "TestSupport", "BoxOfficeServer", "BoxOfficeKit", "SyncAgent", .product(name: "Logging", package: "swift-log"),
            ]
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

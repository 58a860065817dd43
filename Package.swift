// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "triage",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "triage", targets: ["triage"]),
        .library(name: "TriageEngine", targets: ["TriageEngine"]),
        .library(name: "TriageUI", targets: ["TriageUI"]),
        // For the Benchmarks package only: the generators and the synthetic store, outside the engine.
        .library(name: "TriageDemo", targets: ["TriageDemo"]),
        .library(name: "TriageBench", targets: ["TriageBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        // Team mode's PostgreSQL client; only TriagePostgres links it, the engine stays free of NIO.
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
    ],
    targets: [
        // Linux system calls Swift's Glibc module does not expose.
        .target(name: "CLinuxCalls"),
        // SQLite's process-wide configuration (sqlite3_config is variadic, so it is called from C).
        .target(name: "CSQLiteSetup", linkerSettings: [.linkedLibrary("sqlite3")]),
        // zstd, for stored payloads (compressed with a dictionary trained on the store's first ones).
        .systemLibrary(name: "CZstd", providers: [.apt(["libzstd-dev"])]),
        // mimalloc as the executable's malloc: the decode queue allocates what the writer frees.
        .systemLibrary(name: "CMimalloc", providers: [.apt(["libmimalloc-dev"])]),
        .target(
            name: "TriageEngine",
            dependencies: [
                "CLinuxCalls",
                "CSQLiteSetup",
                "CZstd",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // The demo spool and the deterministic spool generator (`triage demo`, `triage gen`).
        .target(name: "TriageDemo", dependencies: ["TriageEngine"]),
        // The synthetic store the UI benchmarks browse (`triage bench-ui`, Benchmarks/), filled through ingest.
        .target(name: "TriageBench", dependencies: ["TriageEngine", .product(name: "Logging", package: "swift-log")]),
        // Team mode: the PostgreSQL store, its URLs, migrations and the bridge from async to blocking calls.
        .target(
            name: "TriagePostgres",
            dependencies: [
                "TriageEngine",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Screens as plain state rendered into a Grid; knows nothing of curses.
        .target(
            name: "TriageUI",
            dependencies: ["TriageEngine", .product(name: "TOMLKit", package: "TOMLKit")],
            plugins: ["EmbedThemes"]
        ),
        // Compiles themes/*.toml into TriageUI.
        .plugin(name: "EmbedThemes", capability: .buildTool()),
        // ncursesw as a system module; the shim defines the wide-character macros before the header.
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncursesw5-dev"])]),
        // The only code that calls curses: draws a Grid's changed cells, reads keys.
        .target(name: "CursesDriver", dependencies: ["CNcursesw", "TriageUI"]),
        .executableTarget(
            name: "triage",
            dependencies: [
                "TriageEngine",
                "TriagePostgres",
                "TriageUI",
                "TriageDemo",
                "TriageBench",
                "CursesDriver",
                "CMimalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                // Serves `ingest --follow --metrics-addr`.
                .product(name: "FlyingFox", package: "FlyingFox"),
            ]
        ),
        // libFuzzer targets (scripts/fuzz builds them with -sanitize=fuzzer); plain builds replay files.
        .target(name: "CFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzer"]),
        .executableTarget(name: "FuzzPayload", dependencies: ["TriageEngine", "FuzzSupport"]),
        .executableTarget(name: "FuzzQuery", dependencies: ["TriageEngine", "FuzzSupport"]),
        .executableTarget(name: "FuzzConfig", dependencies: ["TriageEngine", "TriageUI", "FuzzSupport"]),
        // Decodes *and ingests* into a real store, then lists and shows: semantics, not only syntax.
        .executableTarget(name: "FuzzIngest", dependencies: ["TriageEngine", "FuzzSupport", .product(name: "Logging", package: "swift-log")]),
        // What the test targets share (payload builder, workspace, temporary directories, loopback
        // servers, the PostgreSQL harness); a plain target so tests can depend on it, never part of a product.
        .target(
            name: "TriageTestSupport",
            dependencies: ["TriageEngine", "TriagePostgres", .product(name: "Logging", package: "swift-log")],
            path: "Tests/TriageTestSupport"
        ),
        .testTarget(
            name: "TriageEngineTests",
            dependencies: [
                "TriageEngine",
                "TriageTestSupport",
                // The seeded generator of a lifecycle scenario.
                "TriageDemo",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "TriageUITests",
            dependencies: ["TriageUI", "TriageEngine", "TriageTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The IssueStore contract, run on every backend its StoreBackend lists: SQLite and the team store.
        .testTarget(
            name: "StoreContractTests",
            dependencies: ["TriageEngine", "TriagePostgres", "TriageTestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        // Team mode against a real PostgreSQL 15 started by the tests (skipped, saying why, without its binaries).
        .testTarget(
            name: "TriagePostgresTests",
            dependencies: ["TriagePostgres", "TriageEngine", "TriageTestSupport", "triage", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // End-to-end: runs the real `triage` binary ($TRIAGE_BIN, else the one built next to the tests).
        .testTarget(
            name: "TriageCLITests",
            dependencies: ["triage", "FuzzPayload", "FuzzQuery", "FuzzConfig", "FuzzIngest", "TriageEngine", "TriageTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Cairn",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "CairnStore", targets: ["CairnStore"]),
        .library(name: "CairnRunner", targets: ["CairnRunner"]),
        .library(name: "CairnCLI", targets: ["CairnCLI"]),
        .library(name: "CairnText", targets: ["CairnText"]),
        .library(name: "CairnConsole", targets: ["CairnConsole"]),
        .library(name: "CairnTerminal", targets: ["CairnTerminal"]),
        .library(name: "CairnDemo", targets: ["CairnDemo"]),
        .library(name: "CairnPostgres", targets: ["CairnPostgres"]),
        .executable(name: "cairn", targets: ["cairn"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.25.0"),
    ],
    targets: [
        // store: the SQLite event store, projections, handlers, bookkeeping tables.
        .target(
            name: "CairnStore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // a C shim for the variadic sqlite3_db_config, which Swift cannot call.
        .target(
            name: "CSQLiteShim",
            dependencies: [.product(name: "GRDBSQLite", package: "GRDB.swift")],
            linkerSettings: [.linkedLibrary("sqlite3")]
        ),
        // runner: seeds, validation, apply, locking, runs and logs, overrides, boot.
        .target(
            name: "CairnRunner",
            dependencies: [
                "CairnStore",
                "CairnPostgres",
                "CairnText",
                "CSQLiteShim",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // postgres: the PostgreSQL event store behind the store seam, over postgres-nio.
        .target(
            name: "CairnPostgres",
            dependencies: [
                "CairnStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // demo: the demo domain (tenants, users, memberships, incidents).
        .target(
            name: "CairnDemo",
            dependencies: ["CairnStore", "CairnRunner"]
        ),
        // text shown to operators: rendering store data inert for terminals.
        .target(name: "CairnText"),
        // console core: state, keymap, reducer, rendering into a screen of cells; no ncurses.
        .target(
            name: "CairnConsole",
            dependencies: [
                "CairnStore", "CairnRunner", "CairnText",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // the one C header that includes ncursesw, with wrappers for its macros and globals.
        .target(
            name: "CCurses",
            linkerSettings: [.linkedLibrary("ncursesw")]
        ),
        // terminal: the thin ncurses layer that reads keys and draws the console's screens.
        .target(
            name: "CairnTerminal",
            dependencies: ["CCurses", "CairnConsole", "CairnStore"]
        ),
        // the command line, as a library so applications build their own `cairn`.
        .target(
            name: "CairnCLI",
            dependencies: [
                "CairnStore",
                "CairnPostgres",
                "CairnRunner",
                "CairnText",
                "CairnConsole",
                "CairnTerminal",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "cairn",
            dependencies: ["CairnCLI", "CairnDemo"]
        ),
        // reliability harness: crash, race and app-writer trials with real processes.
        .executableTarget(
            name: "cairn-reliability",
            dependencies: [
                "CairnCLI", "CairnDemo", "CairnRunner", "CairnStore", "CairnPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Sources/CairnReliability"
        ),
        // benchmark: Cairn against the physical limit, as ratios measured in one run.
        .executableTarget(
            name: "cairn-bench",
            dependencies: [
                "CairnConsole", "CairnDemo", "CairnRunner", "CairnStore", "CairnPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/CairnBench"
        ),
        // libFuzzer target for the seed parser and the read-only gate; built only with
        // -sanitize=fuzzer -parse-as-library (see docs/RELIABILITY.md), so no main.
        .executableTarget(
            name: "cairn-fuzz",
            dependencies: [
                "CairnDemo", "CairnPostgres", "CairnRunner", "CairnStore",
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            path: "Sources/CairnFuzz"
        ),
        .testTarget(
            name: "CairnStoreTests",
            dependencies: ["CairnStore", "CairnDemo", "CairnText", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "CairnRunnerTests",
            dependencies: [
                "CairnRunner", "CairnStore", "CairnDemo",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "CairnConsoleTests",
            dependencies: ["CairnConsole", "CairnRunner", "CairnStore", "CairnText", "CairnDemo"],
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "CairnCLITests",
            dependencies: [
                "cairn", "CairnCLI", "CairnRunner", "CairnStore", "CairnText", "CairnDemo", "CairnPostgres",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
    ]
)

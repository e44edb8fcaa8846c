// swift-tools-version: 6.0
// An application built on Cairn the way Cairn's README tells: its own domain, its own
// command line (`library-cairn`), a boot, seeds and a test. Cairn's CI builds and tests it.
import PackageDescription

let strict: [SwiftSetting] = [
    // Every module a file uses must be imported by that file: GRDB must never be needed.
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "LibraryLoans",
    platforms: [.macOS(.v14)],
    dependencies: [
        // In your application: .package(url: "https://github.com/<you>/cairn.git", branch: "main")
        // or a local checkout, as here.
        .package(name: "Cairn", path: "../.."),
    ],
    targets: [
        // The domain: events, handlers, projections, and the CairnApplication that names them.
        .target(
            name: "LibraryLoans",
            dependencies: [
                .product(name: "CairnStore", package: "Cairn"),
                .product(name: "CairnRunner", package: "Cairn"),
            ],
            swiftSettings: strict
        ),
        // The application: boots (applies pending seeds), then serves its own commands.
        .executableTarget(
            name: "library-app",
            dependencies: [
                "LibraryLoans",
                .product(name: "CairnStore", package: "Cairn"),
                .product(name: "CairnRunner", package: "Cairn"),
            ],
            swiftSettings: strict
        ),
        // The operators' command line and console, with the application's handlers.
        .executableTarget(
            name: "library-cairn",
            dependencies: ["LibraryLoans", .product(name: "CairnCLI", package: "Cairn")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "LibraryLoansTests",
            dependencies: [
                "LibraryLoans",
                .product(name: "CairnStore", package: "Cairn"),
                .product(name: "CairnRunner", package: "Cairn"),
            ],
            swiftSettings: strict
        ),
    ]
)

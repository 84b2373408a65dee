// swift-tools-version:6.1
import PackageDescription

/// One settings array for every target: Swift 6 language mode is the tools-version default;
/// these add the upcoming features the codebase relies on.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Criteria",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "CriteriaEngine", targets: ["CriteriaEngine"]),
        .executable(name: "criteria", targets: ["criteria"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
    ],
    targets: [
        .target(
            name: "CriteriaEngine",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CriteriaCLI",
            dependencies: [
                "CriteriaEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "criteria",
            dependencies: ["CriteriaCLI"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CriteriaEngineTests",
            dependencies: ["CriteriaEngine"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CriteriaCLITests",
            dependencies: [
                "CriteriaCLI", "CriteriaEngine", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["Snapshots"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)

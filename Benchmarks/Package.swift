// swift-tools-version:6.1
import Foundation
import PackageDescription

/// The benchmark harness: its own package, so that `swift build` and `swift test` of the root never
/// build it. It depends on the root package by path; SwiftPM names a path dependency after its
/// folder, so the identity is computed from where this manifest lives.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let rootIdentity = root.lastPathComponent.lowercased()

let package = Package(
    name: "CriteriaBenchmarks",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "criteria-bench", targets: ["criteria-bench"])
    ],
    dependencies: [
        .package(path: "..")
    ],
    targets: [
        .executableTarget(
            name: "criteria-bench",
            dependencies: [.product(name: "CriteriaEngine", package: rootIdentity)],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("MemberImportVisibility")]
        )
    ],
    swiftLanguageModes: [.v6]
)

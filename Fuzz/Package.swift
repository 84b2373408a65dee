// swift-tools-version:6.1
import PackageDescription

/// The fuzz targets of Criteria, in a package of their own so that `swift test` of the root package
/// never builds them. Build and run them with `Fuzz/run.sh`; replay the seeds with `Fuzz/replay.sh`
/// (see `Docs/fuzzing.md`).
///
/// - `RuleFileFuzz`, `ExpressionFuzz`, `EvaluatorFuzz`, `DatasetFuzz`: libFuzzer executables; they link only when
///   built with `-sanitize=fuzzer` (each defines `<Target>_main`, which hands control to libFuzzer).
/// - `MultipartFuzz`, `HTTPFuzz`: the same for the server's HTTP edges (`HTTPFuzzSupport`, which links
///   `CriteriaServer`).
/// - `FuzzReplay`: a plain executable that feeds files through the same entry points, for builds
///   without sanitizers.
let package = Package(
    name: "CriteriaFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Criteria", path: ".."),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
    ],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "CriteriaEngine", package: "Criteria")]),
        .executableTarget(name: "RuleFileFuzz", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "ExpressionFuzz", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "EvaluatorFuzz", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "DatasetFuzz", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "XLSXFuzz", dependencies: ["FuzzSupport"]),
        .target(
            name: "HTTPFuzzSupport",
            dependencies: [
                .product(name: "CriteriaServer", package: "Criteria"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(name: "MultipartFuzz", dependencies: ["HTTPFuzzSupport"]),
        .executableTarget(name: "HTTPFuzz", dependencies: ["HTTPFuzzSupport"]),
        .executableTarget(name: "FuzzReplay", dependencies: ["FuzzSupport", "HTTPFuzzSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

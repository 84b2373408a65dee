// swift-tools-version:6.1
import PackageDescription

/// The fuzz targets of Criteria, in a package of their own so that `swift test` of the root package
/// never builds them. Build and run them with `Fuzz/run.sh`; replay the seeds with `Fuzz/replay.sh`
/// (see `Docs/fuzzing.md`).
///
/// - `RuleFileFuzz`, `ExpressionFuzz`, `EvaluatorFuzz`, `DatasetFuzz`: libFuzzer executables; they link only when
///   built with `-sanitize=fuzzer` (each defines `<Target>_main`, which hands control to libFuzzer).
/// - `FuzzReplay`: a plain executable that feeds files through the same entry points, for builds
///   without sanitizers.
let package = Package(
    name: "CriteriaFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "Criteria", path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "CriteriaEngine", package: "Criteria")]),
        .executableTarget(name: "RuleFileFuzz", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "ExpressionFuzz", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "EvaluatorFuzz", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "DatasetFuzz", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "XLSXFuzz", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzReplay", dependencies: ["FuzzSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

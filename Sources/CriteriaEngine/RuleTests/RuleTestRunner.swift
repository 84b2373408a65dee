import Foundation

/// Runs rule test cases against a rule graph and measures clause coverage.
///
/// Every mismatch fails: an expected `fail` that comes out `not_applicable` is a failure, as is a
/// different set of deciding conditions or an explanation that differs from its snapshot.
package struct RuleTestRunner: Sendable {
    /// The rules under test.
    package let graph: RuleGraph

    /// The limits of the evaluation (the step budget).
    package let limits: Limits

    /// The token that stops the run early, if any: the cases still to run are skipped and the
    /// report is incomplete (the caller calls `check()` on the token and drops it).
    package let cancellation: CancellationToken?

    /// Creates a runner.
    package init(graph: RuleGraph, limits: Limits = .default, cancellation: CancellationToken? = nil) {
        self.graph = graph
        self.limits = limits
        self.cancellation = cancellation
    }

    /// The outcome of a run.
    package struct Report: Sendable {
        /// Each case's result, in file and case order.
        package var results: [RuleTestResult]
        /// The clause coverage of the whole run.
        package var coverage: ClauseCoverage
        /// Snapshot files to write (path → text) when updating snapshots.
        package var snapshotWrites: [String: String]
        /// Test files that could not be read; each counts as one failed test.
        package var brokenFiles: [BrokenTestFile] = []

        /// How many cases passed.
        package var passed: Int { results.filter(\.passed).count }
        /// How many cases failed, a test file that could not be read counting as one.
        package var failed: Int { results.count - passed + brokenFiles.count }
    }

    /// Runs the cases.
    ///
    /// - Parameters:
    ///   - cases: the test cases.
    ///   - snapshot: reads a snapshot file's text, or `nil` when it does not exist.
    ///   - updateSnapshots: when true, differing or missing snapshots are not failures; their new
    ///     text is returned in `snapshotWrites` for the caller to save.
    ///   - brokenFiles: test files that could not be read, carried into the report as failures.
    package func run(
        _ cases: [RuleTestCase], brokenFiles: [BrokenTestFile] = [], snapshot: (String) -> String?, updateSnapshots: Bool = false
    ) -> Report {
        let evaluator = Evaluator(graph: graph, limits: limits, cancellation: cancellation)
        let renderer = ExplanationTextRenderer(language: .vi, color: false)
        var coverage = ClauseCoverage(graph: graph)
        var results: [RuleTestResult] = []
        var writes: [String: String] = [:]
        // Which test claimed each snapshot file: two names with the same slug must not share one.
        var claimed: [String: (name: String, entity: String, range: SourceRange)] = [:]
        for testCase in cases {
            if cancellation?.isCancelled == true { break }
            let result = evaluator.evaluate(testCase.dataset, asOf: testCase.asOf, parallel: false)
            for verdict in result.verdicts { coverage.record(verdict, graph: graph, asOf: testCase.asOf) }
            var checks: [RuleTestCheck] = []
            for expectation in testCase.expectations {
                let index = testCase.dataset.index(of: expectation.entity)
                let verdict = index.flatMap { result.verdict(entity: $0, criterion: expectation.criterion) }
                let text = verdict.map { renderer.render($0.explanation.short) } ?? ""
                var mismatches: [RuleTestCheck.Mismatch] = []
                let actual = verdict?.outcome
                if actual != expectation.outcome {
                    mismatches.append(.outcome(expected: expectation.outcome, actual: actual ?? .notApplicable))
                }
                if let reasons = expectation.reasons, let verdict {
                    let found = Self.reasons(of: verdict.explanation)
                    if Set(found) != Set(reasons) { mismatches.append(.reasons(expected: reasons, actual: found)) }
                }
                let path = expectation.snapshot ? Self.snapshotPath(for: testCase, expectation) : ""
                if expectation.snapshot, let owner = claimed[path], owner.name != testCase.name || owner.entity != expectation.entity {
                    mismatches.append(.sharedSnapshot(path: path, other: owner.name, at: owner.range))
                } else if expectation.snapshot {
                    claimed[path] = (testCase.name, expectation.entity, testCase.range)
                    let stored = snapshot(path)
                    if stored != text {
                        if updateSnapshots {
                            writes[path] = text
                        } else {
                            mismatches.append(.snapshot(path: path, expected: stored, actual: text))
                        }
                    }
                }
                checks.append(RuleTestCheck(expectation: expectation, actual: actual, mismatches: mismatches, explanation: text))
            }
            results.append(RuleTestResult(name: testCase.name, file: testCase.file, range: testCase.range, asOf: testCase.asOf, checks: checks,
                start: testCase.start, changed: testCase.changed))
        }
        return Report(results: results, coverage: coverage, snapshotWrites: writes, brokenFiles: brokenFiles)
    }

    /// The ids of the conditions that decided a verdict: the leaves of its short explanation.
    package static func reasons(of explanation: Explanation) -> [String] {
        var leaves: [String] = []
        var stack = Array(explanation.short.children.reversed())
        while let node = stack.popLast() {
            if node.children.isEmpty {
                leaves.append(node.id.split(separator: "/").last.map(String.init) ?? node.id)
            } else {
                stack.append(contentsOf: node.children.reversed())
            }
        }
        return leaves
    }

    /// Where the snapshot of an expectation lives: `snapshots/<file>/<case>--<entity>--<criterion>.txt`
    /// (two tests whose names fold to the same file name fail with `sharedSnapshot`)
    /// beside the test file.
    package static func snapshotPath(for testCase: RuleTestCase, _ expectation: RuleTestExpectation) -> String {
        let url = URL(fileURLWithPath: testCase.file)
        let folder = url.deletingLastPathComponent().appendingPathComponent("snapshots")
            .appendingPathComponent(url.deletingPathExtension().lastPathComponent)
        let name = "\(slug(testCase.name))--\(slug(expectation.entity))--\(expectation.criterion).txt"
        return folder.appendingPathComponent(name).path
    }

    static func slug(_ text: String) -> String {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "vi_VN"))
            .replacingOccurrences(of: "đ", with: "d")
        var out = ""
        for scalar in folded.unicodeScalars {
            if scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) {
                out.unicodeScalars.append(scalar)
            } else if !out.hasSuffix("-") {
                out += "-"
            }
        }
        return String(out.trimmingCharacters(in: CharacterSet(charactersIn: "-")).prefix(80))
    }
}

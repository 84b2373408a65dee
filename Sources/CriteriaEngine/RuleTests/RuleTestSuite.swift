/// One expected verdict of a rule test.
package struct RuleTestExpectation: Sendable, Hashable {
    /// The criterion's id.
    package var criterion: String
    /// The entity's id.
    package var entity: String
    /// The expected outcome.
    package var outcome: Outcome
    /// The expected ids of the conditions that decided it (the leaves of the short explanation), if given.
    package var reasons: [String]?
    /// Whether the short explanation text is pinned in a snapshot file.
    package var snapshot: Bool
    /// Where the expectation is written.
    package var range: SourceRange
}

/// One rule test case: data, a date, and the verdicts it must give.
package struct RuleTestCase: Sendable, Hashable {
    /// The case's name, unique in its file.
    package var name: String
    /// The evaluation date.
    package var asOf: LocalDate
    /// The data the case evaluates (fixture plus its changes, already applied).
    package var dataset: Dataset
    /// The expected verdicts.
    package var expectations: [RuleTestExpectation]
    /// The file the case is in.
    package var file: String
    /// Where the case starts.
    package var range: SourceRange
    /// The data it starts from, as written.
    package var start: Start = .inline
    /// Whether it changes that data (`carry`, `set` or `unset`).
    package var changed = false

    /// Where a case's data comes from.
    package enum Start: Sendable, Hashable {
        /// The file's `base` fixture (no `data:`).
        case base
        /// A fixture named by `data: NAME`.
        case fixture(String)
        /// Data written in the case itself.
        case inline
    }
}

/// The result of one expectation.
package struct RuleTestCheck: Sendable, Hashable {
    /// What went wrong, if anything.
    package enum Mismatch: Sendable, Hashable {
        /// The outcome differs.
        case outcome(expected: Outcome, actual: Outcome)
        /// The deciding conditions differ.
        case reasons(expected: [String], actual: [String])
        /// The explanation text differs from its snapshot (or the snapshot is missing).
        case snapshot(path: String, expected: String?, actual: String)
        /// The snapshot file would be the same as that of another test, `other` at `at`, whose name
        /// (or entity) makes the same file name: neither is compared or written until one is renamed.
        case sharedSnapshot(path: String, other: String, at: SourceRange)
    }

    /// The expectation checked.
    package var expectation: RuleTestExpectation
    /// The verdict found, if the criterion was evaluated for the entity.
    package var actual: Outcome?
    /// The mismatches; empty when the expectation holds.
    package var mismatches: [Mismatch]
    /// The explanation that was produced (short form, text), for reports.
    package var explanation: String

    /// Whether the expectation holds.
    package var passed: Bool { mismatches.isEmpty }
}

/// The result of one case.
package struct RuleTestResult: Sendable, Hashable {
    /// The case.
    package var name: String
    /// The file it is in.
    package var file: String
    /// Where it is.
    package var range: SourceRange
    /// The evaluation date.
    package var asOf: LocalDate
    /// Each expectation's check.
    package var checks: [RuleTestCheck]
    /// The data the case started from, as written (for the coverage report's suggested cases).
    package var start: RuleTestCase.Start = .inline
    /// Whether the case changed that data.
    package var changed = false

    /// Whether every expectation held.
    package var passed: Bool { checks.allSatisfy(\.passed) }
}

/// A test file that could not be read (a YAML error, an unknown fact, criterion or fixture…): its
/// located errors. Machine-readable reports (`--format json`, `junit`) show it as a failed test
/// carrying the diagnostics, so a CI report is never silently empty.
package struct BrokenTestFile: Sendable, Hashable {
    /// The file's path.
    package var file: String
    /// Its errors, sorted by place.
    package var diagnostics: [Diagnostic]

    /// Creates a broken file's record.
    package init(file: String, diagnostics: [Diagnostic]) {
        self.file = file
        self.diagnostics = diagnostics
    }
}

/// One expected verdict of a rule test.
public struct RuleTestExpectation: Sendable, Hashable {
    /// The criterion's id.
    public var criterion: String
    /// The entity's id.
    public var entity: String
    /// The expected outcome.
    public var outcome: Outcome
    /// The expected ids of the conditions that decided it (the leaves of the short explanation), if given.
    public var reasons: [String]?
    /// Whether the short explanation text is pinned in a snapshot file.
    public var snapshot: Bool
    /// Where the expectation is written.
    public var range: SourceRange
}

/// One rule test case: data, a date, and the verdicts it must give.
public struct RuleTestCase: Sendable, Hashable {
    /// The case's name, unique in its file.
    public var name: String
    /// The evaluation date.
    public var asOf: LocalDate
    /// The data the case evaluates (fixture plus its changes, already applied).
    public var dataset: Dataset
    /// The expected verdicts.
    public var expectations: [RuleTestExpectation]
    /// The file the case is in.
    public var file: String
    /// Where the case starts.
    public var range: SourceRange
    /// The data it starts from, as written.
    public var start: Start = .inline
    /// Whether it changes that data (`carry`, `set` or `unset`).
    public var changed = false

    /// Where a case's data comes from.
    public enum Start: Sendable, Hashable {
        /// The file's `base` fixture (no `data:`).
        case base
        /// A fixture named by `data: NAME`.
        case fixture(String)
        /// Data written in the case itself.
        case inline
    }
}

/// The result of one expectation.
public struct RuleTestCheck: Sendable, Hashable {
    /// What went wrong, if anything.
    public enum Mismatch: Sendable, Hashable {
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
    public var expectation: RuleTestExpectation
    /// The verdict found, if the criterion was evaluated for the entity.
    public var actual: Outcome?
    /// The mismatches; empty when the expectation holds.
    public var mismatches: [Mismatch]
    /// The explanation that was produced (short form, text), for reports.
    public var explanation: String

    /// Whether the expectation holds.
    public var passed: Bool { mismatches.isEmpty }
}

/// The result of one case.
public struct RuleTestResult: Sendable, Hashable {
    /// The case.
    public var name: String
    /// The file it is in.
    public var file: String
    /// Where it is.
    public var range: SourceRange
    /// The evaluation date.
    public var asOf: LocalDate
    /// Each expectation's check.
    public var checks: [RuleTestCheck]
    /// The data the case started from, as written (for the coverage report's suggested cases).
    public var start: RuleTestCase.Start = .inline
    /// Whether the case changed that data.
    public var changed = false

    /// Whether every expectation held.
    public var passed: Bool { checks.allSatisfy(\.passed) }
}

/// A test file that could not be read (a YAML error, an unknown fact, criterion or fixture…): its
/// located errors. Machine-readable reports (`--format json`, `junit`) show it as a failed test
/// carrying the diagnostics, so a CI report is never silently empty.
public struct BrokenTestFile: Sendable, Hashable {
    /// The file's path.
    public var file: String
    /// Its errors, sorted by place.
    public var diagnostics: [Diagnostic]

    /// Creates a broken file's record.
    public init(file: String, diagnostics: [Diagnostic]) {
        self.file = file
        self.diagnostics = diagnostics
    }
}

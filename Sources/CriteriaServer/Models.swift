import CriteriaEngine

/// A playground request: the rule files edited, each standing in for the served file with the same
/// path, and what to compare the verdicts on.
///
/// The one-file form `{file, text}` is a change set of that one file; `files` holds several (rule
/// files, `inputs.yaml`, `parameters.yaml`, rule tests, new files, removed files). Both may be given.
public struct RuleEditV1: Codable, Sendable {
    /// The file's path under the rules folder (`xa-ntm/19.2.yaml`); a new file when it names none.
    public var file: String?
    /// The edited text; the served file is used when absent.
    public var text: String?
    /// More edited files: the change set.
    public var files: [EditedFileV1]?
    /// For a verdict diff: the sample dataset's id.
    public var dataset: String?
    /// For a verdict diff: a dataset of one's own instead of a sample.
    public var upload: UploadedDatasetV1?
    /// For a verdict diff: the evaluation date, `YYYY-MM-DD`.
    public var asOf: String?

    /// Creates an edit.
    public init(
        file: String? = nil, text: String? = nil, files: [EditedFileV1]? = nil, dataset: String? = nil, upload: UploadedDatasetV1? = nil,
        asOf: String? = nil
    ) {
        self.file = file
        self.text = text
        self.files = files
        self.dataset = dataset
        self.upload = upload
        self.asOf = asOf
    }
}

/// One file of a playground change set.
public struct EditedFileV1: Codable, Sendable, Hashable {
    /// Its path under the rules folder, `xa-ntm/19.2.yaml`, `inputs.yaml`, `xa-ntm/tests/19.2.yaml`.
    public var file: String
    /// Its new text (absent for a removed file).
    public var text: String?
    /// `true` when the change removes the served file.
    public var removed: Bool?

    /// Creates an edited (or, with `removed`, removed) file.
    public init(file: String, text: String? = nil, removed: Bool? = nil) {
        self.file = file
        self.text = text
        self.removed = removed
    }
}

/// A dataset sent with a playground request, for the verdict diff: a YAML or JSON document.
public struct UploadedDatasetV1: Codable, Sendable, Hashable {
    /// Its file name, ending in `.yaml`, `.yml` or `.json` (which says how it is read).
    public var name: String
    /// The document's text.
    public var text: String

    /// Creates an uploaded dataset.
    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }
}

/// A served rule file's text, for the playground to open it.
public struct RuleFileV1: Codable, Sendable {
    /// The model version, `1`.
    public var version = OutputModel.version
    /// Its path under the rules folder.
    public var file: String
    /// Its text.
    public var text: String
}

/// The server's state: the rule set served, its last failed reload, and the bounds in force.
public struct StatusV1: Codable, Sendable {
    /// The model version, `1`.
    public var version = OutputModel.version
    /// The engine's version.
    public var engineVersion: String
    /// The rules folder.
    public var rules: String
    /// The SHA-256 of the rule set served.
    public var rulesHash: String
    /// When it was loaded, ISO 8601 in UTC.
    public var loadedAt: String
    /// The criteria served, in evaluation order.
    public var criteria: [String]
    /// The rule files, relative to the rules folder.
    public var ruleFiles: [String]
    /// How many rule tests there are.
    public var tests: Int
    /// The last change of the rule files that did not check, while the previous set is still served.
    public var reloadFailure: ReloadFailureV1?
    /// The bounds on requests.
    public var limits: ServerLimitsV1
}

/// A change of the rules that did not check.
public struct ReloadFailureV1: Codable, Sendable {
    /// When it was seen, ISO 8601 in UTC.
    public var at: String
    /// Its problems.
    public var diagnostics: [Diagnostic]
}

/// The bounds the server keeps.
public struct ServerLimitsV1: Codable, Sendable {
    /// The largest request body, in bytes (413 above).
    public var maxBodyBytes: Int
    /// The wall-clock bound per request, in seconds (503 above).
    public var wallClockSeconds: Int
    /// Evaluations at once (503 with Retry-After above).
    public var maxConcurrentEvaluations: Int
    /// The largest decision record, in bytes (413 above, nothing written).
    public var maxRecordBytes: Int
    /// The engine's limits.
    public var engine: Limits
}

/// A criterion in the list of criteria.
public struct CriterionSummaryV1: Codable, Sendable {
    /// Its id.
    public var id: String
    /// Its title (of the latest version).
    public var title: LocalizedText
    /// Its level.
    public var level: Level
    /// The periods of its versions.
    public var inForce: [Period]
    /// Its legal source (of the latest version).
    public var source: Citation
    /// Whether any clause of it is provisional.
    public var provisional: Bool
    /// How many rule tests expect a verdict on it.
    public var tests: Int
}

/// The list of criteria served.
public struct CriteriaListV1: Codable, Sendable {
    /// The model version, `1`.
    public var version = OutputModel.version
    /// The SHA-256 of the rule set.
    public var rulesHash: String
    /// The criteria in evaluation order.
    public var criteria: [CriterionSummaryV1]
}

/// One criterion in full: versions, clauses, parameters, inputs, dependencies and tests, and the
/// generated page (`criteria docs`) as Markdown.
public struct CriterionDetailV1: Codable, Sendable {
    /// The model version, `1`.
    public var version = OutputModel.version
    /// Its id.
    public var id: String
    /// Its title (of the latest version).
    public var title: LocalizedText
    /// Its level.
    public var level: Level
    /// Its description, the legal text as the rule file gives it.
    public var description: LocalizedText?
    /// Its versions in date order.
    public var versions: [VersionV1]
    /// The parameters it reads.
    public var parameters: [ParameterV1]
    /// The inputs it reads.
    public var inputs: [String]
    /// The criteria whose verdicts it reads.
    public var dependencies: [String]
    /// The criteria that read its verdicts.
    public var usedBy: [String]
    /// The rule tests that expect a verdict on it.
    public var tests: [TestExpectationV1]
    /// The generated page, Markdown.
    public var markdown: String

    /// One version of the criterion.
    public struct VersionV1: Codable, Sendable {
        /// When it is in force.
        public var inForce: Period
        /// Its legal source.
        public var source: Citation
        /// Its rule file, relative to the rules folder.
        public var file: String
        /// Its clauses, depth first.
        public var clauses: [ClauseV1]
    }

    /// One clause (condition) of a version.
    public struct ClauseV1: Codable, Sendable {
        /// Its path, `criterion/condition/…`.
        public var path: String
        /// Its title.
        public var title: LocalizedText
        /// Its check, for a leaf.
        public var check: String?
        /// How a group combines its clauses (`all`, `any`, `none`, `at_least N`).
        public var group: String?
        /// Its legal source.
        public var source: Citation?
        /// The clause's own period, when it has one (outside it the clause is absent from its group).
        public var inForce: Period? = nil
    }

    /// A parameter with its dated values.
    public struct ParameterV1: Codable, Sendable {
        /// Its name.
        public var name: String
        /// Its title.
        public var title: LocalizedText?
        /// Its values, each in force from its date.
        public var values: [DatedValueV1]
        /// Its legal source.
        public var source: Citation?
    }

    /// A parameter value in force from a date.
    public struct DatedValueV1: Codable, Sendable {
        /// The first day, `YYYY-MM-DD`.
        public var from: String
        /// The value as written.
        public var value: String
    }

    /// What one rule test expects of the criterion.
    public struct TestExpectationV1: Codable, Sendable {
        /// The test's name.
        public var name: String
        /// Its file, relative to the rules folder.
        public var file: String
        /// Its date.
        public var asOf: String
        /// The entity.
        public var entity: String
        /// The expected outcome.
        public var outcome: Outcome
        /// The expected reasons, when given.
        public var reasons: [String]?
    }
}

/// The bundled sample datasets.
public struct SamplesV1: Codable, Sendable {
    /// The model version, `1`.
    public var version = OutputModel.version
    /// The samples: id and a suggested date.
    public var samples: [SampleV1]

    /// One sample.
    public struct SampleV1: Codable, Sendable {
        /// Its id, for `sample=` and `dataset`.
        public var id: String
        /// Its file, relative to the project.
        public var file: String
    }
}

/// Recent decision records.
public struct DecisionListV1: Codable, Sendable {
    /// The model version, `1`.
    public var version = OutputModel.version
    /// Newest first.
    public var decisions: [DecisionSummaryV1]
}

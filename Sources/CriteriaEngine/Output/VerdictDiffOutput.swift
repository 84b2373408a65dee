/// The JSON form of a verdict diff (`criteria diff --format json`, the server's playground diff).
public struct VerdictDiffV1: Codable, Sendable {
    /// The model version, `1`.
    public var version = OutputModel.version
    /// What changed in the rules, in words.
    public var changes: [RuleChange]
    /// Every verdict that changed, grouped by cause in the order of `changes`.
    public var flips: [FlipV1]

    /// One verdict that changed.
    public struct FlipV1: Codable, Sendable {
        /// The entity's id.
        public var entity: String
        /// Its name.
        public var name: String
        /// The criterion.
        public var criterion: String
        /// The outcome under the old rules.
        public var before: Outcome
        /// The outcome under the new rules.
        public var after: Outcome
        /// The conditions whose outcome changed.
        public var changedConditions: [String]
        /// The rule change it is attributed to, in English, if one is named.
        public var cause: String?
        /// The short explanation under the old rules.
        public var beforeExplanation: Explanation
        /// The short explanation under the new rules.
        public var afterExplanation: Explanation
    }

    /// Builds the model from a diff.
    public init(_ diff: VerdictDiff) {
        changes = diff.changes
        flips = diff.groups.flatMap { group in
            group.flips.map { f in
                FlipV1(
                    entity: diff.dataset.entities[f.entity].id, name: diff.dataset.entities[f.entity].name, criterion: f.criterion,
                    before: f.before, after: f.after, changedConditions: f.changedConditions, cause: group.change?.text.en,
                    beforeExplanation: f.beforeExplanation.short, afterExplanation: f.afterExplanation.short)
            }
        }
    }
}

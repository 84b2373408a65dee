/// The JSON form of a verdict diff (`criteria diff --format json`, the server's playground diff).
package struct VerdictDiffV1: Codable, Sendable {
    /// The model version, `1`.
    package var version = OutputModel.version
    /// What changed in the rules, in words.
    package var changes: [RuleChange]
    /// Every verdict that changed, grouped by cause in the order of `changes`.
    package var flips: [FlipV1]

    /// One verdict that changed.
    package struct FlipV1: Codable, Sendable {
        /// The entity's id.
        package var entity: String
        /// Its name.
        package var name: String
        /// The criterion.
        package var criterion: String
        /// The outcome under the old rules.
        package var before: Outcome
        /// The outcome under the new rules.
        package var after: Outcome
        /// The conditions whose outcome changed.
        package var changedConditions: [String]
        /// The rule change it is attributed to, in English, if one is named.
        package var cause: String?
        /// The short explanation under the old rules.
        package var beforeExplanation: Explanation
        /// The short explanation under the new rules.
        package var afterExplanation: Explanation
    }

    /// Builds the model from a diff.
    package init(_ diff: VerdictDiff) {
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

import Foundation

/// How much explanation `Evaluator.evaluate` builds.
public enum ExplanationDetail: Sendable {
    /// The whole tree: every condition with its values and sentence.
    case full
    /// The short form (`Explanation.short`): only the conditions that mattered. Much faster: the
    /// outcomes are computed first, then only the conditions that mattered are explained.
    case short
}

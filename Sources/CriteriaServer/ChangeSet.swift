import CriteriaEngine
import Foundation

/// The files of a playground request, checked (`CriteriaService.changeSet`): each stands in for the
/// served file of the same path, or removes it.
struct ChangeSet: Sendable {
    /// One file of the set.
    struct File: Sendable {
        /// Its path under the rules folder, as the request gives it.
        var relative: String
        /// Its path on disk (under the served rules folder), as diagnostics name it.
        var path: String
        /// Whether it is a rule test file (right in a `tests/` folder).
        var isTest: Bool
        /// The served file's text, `nil` for a new file.
        var served: String?
        /// Its text in the set, `nil` for a removed file.
        var text: String?
    }

    /// The files, in the request's order.
    var files: [File] = []

    /// The paths on disk of every file of the set.
    var paths: Set<String> { Set(files.map(\.path)) }

    /// The rule files the set edits or adds.
    var ruleSources: [SourceFile] {
        files.filter { !$0.isTest }.compactMap { file in file.text.map { SourceFile(path: file.path, text: $0) } }
    }

    /// The rule files the set removes.
    var removedRules: [String] { files.filter { !$0.isTest && $0.text == nil }.map(\.path) }

    /// The rule test files the set edits or adds.
    var testSources: [SourceFile] {
        files.filter(\.isTest).compactMap { file in file.text.map { SourceFile(path: file.path, text: $0) } }
    }
}

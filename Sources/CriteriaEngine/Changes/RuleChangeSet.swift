import Foundation

/// Rule files changed together (edited, added or removed), as the playground downloads them: the
/// changed files and a patch that `git apply` accepts at the folder that holds the rules folder.
package struct RuleChangeSet: Sendable {
    /// One changed file.
    package struct File: Sendable, Hashable {
        /// Its path under the rules folder, `xa-ntm/19.2.yaml`.
        package var path: String
        /// Its text before, `nil` for a new file.
        package var old: String?
        /// Its text after, `nil` for a removed file.
        package var new: String?

        /// Creates a changed file.
        package init(path: String, old: String?, new: String?) {
            self.path = path
            self.old = old
            self.new = new
        }
    }

    /// The name of the patch in the archive.
    package static let patchName = "thay-doi.patch"

    /// The files, in the order the patch and the archive list them.
    package var files: [File]

    /// Creates a change set of the files that changed (a file whose bytes are the same before and
    /// after is left out), sorted by path.
    package init(files: [File]) {
        self.files = files.filter { $0.old.map { Array($0.utf8) } != $0.new.map { Array($0.utf8) } }.sorted { $0.path < $1.path }
    }

    /// The patch: the description, then each changed file's unified diff (`UnifiedDiff`) under
    /// `a/<root>/<path>` and `b/<root>/<path>`. `git apply` skips the description (it reads from the
    /// first `diff --git` line on), so the description is free text, such as `criteria changes`.
    ///
    /// - Parameters:
    ///   - root: the rules folder's name as the repository spells it, `Rules`.
    ///   - description: the text before the diffs.
    package func patch(root: String, description: String) -> String {
        var out = description
        if !out.isEmpty && !out.hasSuffix("\n") { out += "\n" }
        if !out.isEmpty { out += "\n" }
        for file in files {
            out += UnifiedDiff.file(path: root.isEmpty ? file.path : root + "/" + file.path, old: file.old, new: file.new)
        }
        return out
    }

    /// A zip archive of the edited and added files at `<root>/<path>`, and the patch
    /// (`patchName`) at the top. A removed file is only in the patch.
    package func archive(root: String, description: String) throws -> Data {
        var parts: [(path: String, bytes: Data)] = [(Self.patchName, Data(patch(root: root, description: description).utf8))]
        for file in files {
            guard let text = file.new else { continue }
            parts.append((root.isEmpty ? file.path : root + "/" + file.path, Data(text.utf8)))
        }
        return try ZipWriter.data(parts)
    }
}

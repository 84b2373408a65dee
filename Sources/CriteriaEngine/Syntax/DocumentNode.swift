/// A node of a parsed YAML or JSON document, with its place in the file.
///
/// This is the project's own `Sendable` tree: Yams' nodes never leave `YAMLReader.swift`. Every
/// scalar keeps its raw text; typing it (number, boolean, date) is the job of whoever knows what the
/// field means, so that `no`, `010` or `01234` are never silently changed.
public struct DocumentNode: Sendable, Hashable {
    /// How a scalar was written, which decides what its text may mean.
    package enum ScalarStyle: Sendable, Hashable {
        /// Unquoted text: it may be a number, a boolean, a date or text, by schema.
        case plain
        /// Quoted text: always a string.
        case quoted
        /// A `|` or `>` block: always a string, spanning several lines.
        case block
    }

    /// What kind of node this is.
    package enum Kind: Sendable, Hashable {
        /// A scalar with its raw text and style.
        case scalar(String, ScalarStyle)
        /// A mapping, its pairs in document order.
        case mapping([Pair])
        /// A sequence of nodes.
        case sequence([DocumentNode])
        /// An explicit null (`~`, `null`, or an empty value).
        case null
    }

    /// A key and its value in a mapping.
    package struct Pair: Sendable, Hashable {
        /// The key node (a scalar in every file Criteria reads).
        package var key: DocumentNode
        /// The value node.
        package var value: DocumentNode
        /// Creates a pair.
        package init(key: DocumentNode, value: DocumentNode) {
            self.key = key
            self.value = value
        }
    }

    /// What this node holds.
    package var kind: Kind
    /// Where the node starts.
    package var range: SourceRange

    /// Creates a node.
    package init(_ kind: Kind, at range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    /// The scalar's text, or `nil` for collections and null.
    package var scalarText: String? {
        if case .scalar(let text, _) = kind { return text }
        return nil
    }

    /// A short name of the node's kind, for messages ("a mapping", "a list", "text", "nothing").
    package var kindDescription: String { kindWords.english }

    /// The node's kind in both languages, for diagnostics.
    package var kindWords: LocalizedText {
        switch kind {
        case .scalar: .vi("một giá trị đơn", en: "a single value")
        case .mapping: .vi("một bảng khoá (các dòng 'khoá: giá trị')", en: "a mapping (key: value lines)")
        case .sequence: .vi("một danh sách", en: "a list")
        case .null: .vi("một giá trị trống", en: "an empty value")
        }
    }
}

/// A point in a source file.
///
/// `line` and `column` are 1-based. `column` counts Unicode scalars (the unit libyaml and Yams use
/// for their marks), not bytes and not grapheme clusters.
public struct SourceLocation: Hashable, Comparable, Sendable, Codable {
    /// The 1-based line number.
    public var line: Int
    /// The 1-based column, counted in Unicode scalars.
    public var column: Int

    /// Creates a location from a 1-based line and a 1-based column in Unicode scalars.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// Orders locations by line, then column.
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// A place in a named file: a start location and, where known, where it ends (exclusive).
public struct SourceRange: Hashable, Sendable, Codable {
    /// The path of the file as the user named it.
    public var file: String
    /// Where the range starts.
    public var start: SourceLocation
    /// Where the range ends (exclusive), when known; `nil` marks a single point.
    public var end: SourceLocation?

    /// Creates a range in `file` from `start` to an optional exclusive `end`.
    public init(file: String, start: SourceLocation, end: SourceLocation? = nil) {
        self.file = file
        self.start = start
        self.end = end
    }

    /// Creates a point range at a 1-based line and column.
    public init(file: String, line: Int, column: Int) {
        self.init(file: file, start: SourceLocation(line: line, column: column))
    }
}

/// A lexical pass over YAML text that refuses what Criteria never accepts, before Yams sees it.
///
/// It exists because one input (an alias used as a mapping key) makes Yams itself hang, so the check
/// cannot wait for the parse. It rejects anchors (`&a`), aliases (`*a`), tags (`!t`, `!!str`) and merge
/// keys (`<<`) at the start of a node; tabs in indentation; raw control, bidirectional and zero-width
/// characters; and plain keys longer than the key limit. It may refuse more than strictly needed (a
/// continuation line of a plain scalar that starts with `*`), never less.
struct YAMLPreScan {
    let file: SourceFile
    let limits: Limits
    private(set) var diagnostics = DiagnosticCollector()

    init(file: SourceFile, limits: Limits) {
        self.file = file
        self.limits = limits
        self.diagnostics = DiagnosticCollector(limit: limits.maxDiagnostics)
    }

    private enum Quote { case none, single, double }

    mutating func run() {
        var quote = Quote.none
        var flowDepth = 0
        var blockParentIndent: Int? = nil
        for (lineIndex, line) in file.lines.enumerated() {
            let scalars = Array(line.unicodeScalars)
            let lineNumber = lineIndex + 1
            checkCharacters(scalars, line: lineNumber)
            let indent = scalars.prefix { $0 == " " }.count
            let isBlank = scalars.allSatisfy { $0 == " " || $0 == "\t" }
            if let parent = blockParentIndent {
                if isBlank || indent > parent { continue }
                blockParentIndent = nil
            }
            var index = 0
            if quote == .none && flowDepth == 0 {
                let leading = scalars.prefix { $0 == " " || $0 == "\t" }
                if let tab = leading.firstIndex(of: "\t"), leading.count < scalars.count,
                    scalars[leading.count] != "#"
                {
                    emit(
                        "yaml.tab-indent", "a tab is used for indentation", line: lineNumber, column: tab + 1,
                        hint: "indent with spaces only; YAML does not allow tabs there")
                }
                index = leading.count
            }
            var nodeStart = quote == .none
            var plainStart: Int? = nil
            while index < scalars.count {
                let c = scalars[index]
                switch quote {
                case .double:
                    if c == "\\" {
                        index += 2
                        continue
                    }
                    if c == "\"" { quote = .none }
                    index += 1
                    continue
                case .single:
                    if c == "'" {
                        if index + 1 < scalars.count && scalars[index + 1] == "'" {
                            index += 2
                            continue
                        }
                        quote = .none
                    }
                    index += 1
                    continue
                case .none:
                    break
                }
                let previousIsSpace = index == 0 || scalars[index - 1] == " " || scalars[index - 1] == "\t"
                if c == "#" && previousIsSpace { break }
                let next: Unicode.Scalar? = index + 1 < scalars.count ? scalars[index + 1] : nil
                let nextEnds = next == nil || next == " " || next == "\t"
                if nodeStart {
                    switch c {
                    case " ", "\t":
                        index += 1
                        continue
                    case "&":
                        emit(
                            "yaml.anchor", "anchors (&name) are not allowed", line: lineNumber, column: index + 1,
                            hint: "write the value out in full; to reuse a criterion, refer to it by its id")
                        nodeStart = false
                    case "*":
                        emit(
                            "yaml.alias", "aliases (*name) are not allowed", line: lineNumber, column: index + 1,
                            hint: "write the value out in full; if this is an expression, put it in quotes")
                        nodeStart = false
                    case "!":
                        reportTag(scalars, at: index, line: lineNumber)
                        nodeStart = false
                    case "\"":
                        quote = .double
                        nodeStart = false
                    case "'":
                        quote = .single
                        nodeStart = false
                    case "|", ">" where flowDepth == 0:
                        blockParentIndent = indent
                        index = scalars.count
                        continue
                    case "-", "?" where nextEnds:
                        break
                    case "[", "{":
                        flowDepth += 1
                    case "]", "}":
                        flowDepth = max(0, flowDepth - 1)
                        nodeStart = false
                    case "," where flowDepth > 0:
                        break
                    case "<" where next == "<":
                        var after = index + 2
                        while after < scalars.count && scalars[after] == " " { after += 1 }
                        if after < scalars.count && scalars[after] == ":" {
                            emit(
                                "yaml.merge-key", "merge keys (<<) are not allowed", line: lineNumber,
                                column: index + 1, hint: "write the keys out in full")
                        }
                        nodeStart = false
                        plainStart = index
                    default:
                        nodeStart = false
                        plainStart = index
                    }
                    index += 1
                    continue
                }
                if c == ":" && (nextEnds || (flowDepth > 0 && [",", "]", "}"].contains(next))) {
                    if let start = plainStart, index - start > limits.maxKeyLength {
                        emit(
                            "limits.key-length",
                            "a key of \(index - start) characters is longer than the limit of \(limits.maxKeyLength)",
                            line: lineNumber, column: start + 1, hint: "use a shorter key")
                    }
                    plainStart = nil
                    nodeStart = true
                } else if flowDepth > 0 {
                    switch c {
                    case ",":
                        nodeStart = true
                        plainStart = nil
                    case "]", "}":
                        flowDepth = max(0, flowDepth - 1)
                        plainStart = nil
                    default: break
                    }
                }
                index += 1
            }
        }
    }

    private mutating func checkCharacters(_ scalars: [Unicode.Scalar], line: Int) {
        for (index, c) in scalars.enumerated() {
            let value = c.value
            let what: String?
            switch value {
            case 0x00...0x08, 0x0B, 0x0C, 0x0E...0x1F, 0x7F:
                what = "a control character (U+\(String(value, radix: 16, uppercase: true)))"
            case 0x202A...0x202E, 0x2066...0x2069:
                what = "a bidirectional control character (U+\(String(value, radix: 16, uppercase: true)))"
            case 0x200B...0x200D, 0x2060, 0xFEFF:
                what = "a zero-width character (U+\(String(value, radix: 16, uppercase: true)))"
            case 0x2028, 0x2029:
                what = "a Unicode line or paragraph separator (U+\(String(value, radix: 16, uppercase: true)))"
            default:
                what = nil
            }
            if let what {
                emit(
                    "source.control-character", "\(what) is not allowed", line: line, column: index + 1,
                    hint: "delete the invisible character; in free text write it escaped in double quotes (\"\\u…\")")
            }
        }
    }

    private mutating func reportTag(_ scalars: [Unicode.Scalar], at index: Int, line: Int) {
        var end = index + 1
        while end < scalars.count && scalars[end] != " " && scalars[end] != "\t" { end += 1 }
        let word = String(String.UnicodeScalarView(scalars[index..<end]))
        let rest = String(String.UnicodeScalarView(scalars[index...])).trimmingTrailingSpaces()
        let identifier = word.dropFirst()
        if let first = identifier.unicodeScalars.first, first.properties.isAlphabetic || first == "_",
            !word.hasPrefix("!!")
        {
            emit(
                "yaml.swallowed-expression",
                "YAML reads '\(word)' as a tag, so the '!' of this expression would be lost",
                line: line, column: index + 1,
                hint: "put the expression in quotes (\"\(rest)\") or write '\(identifier) == false'")
        } else {
            emit(
                "yaml.tag", "YAML tags ('\(word)') are not supported", line: line, column: index + 1,
                hint: "remove the tag; Criteria types every value from the rule schema")
        }
    }

    private mutating func emit(_ id: DiagnosticID, _ message: String, line: Int, column: Int, hint: String?) {
        diagnostics.emit(Diagnostic(id, .error, message, at: file.range(line: line, column: column), hint: hint))
    }
}

extension String {
    /// The string without trailing spaces and tabs.
    func trimmingTrailingSpaces() -> String {
        var scalars = Substring(self).unicodeScalars
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}

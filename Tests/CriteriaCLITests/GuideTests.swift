import CriteriaCLI
import CriteriaEngine
import Foundation
import Testing

/// Runs every page of the Vietnamese task guide (`Docs/huong-dan/`) as written, so its steps and
/// what they print stay true (issue #17, item 8).
///
/// Each page runs in a fresh temporary folder holding a copy of `Rules/` and `Docs/criteria/` (the
/// shipped rules never change), in the order written:
///
/// - ```` ```yaml sửa=PATH ```` — the block's first line is a line of PATH (found exactly once); the
///   other lines are inserted after it.
/// - ```` ```yaml tạo=PATH ```` — PATH is written with the block's text.
/// - ```` ```yaml thay=PATH ```` — two lines: every occurrence in PATH of the first (at least one)
///   is replaced by the second (an editor's "find and replace all").
/// - ```` ```console ```` — each `$ COMMAND` line is run; the lines after it, up to the next `$`,
///   are what it must print (standard output, then standard error). A line `…` stands for any lines;
///   `…` inside a line for any text.
///   Commands: `criteria …` (in process), `cp -r FROM TO`, and `git …` (the folder is a git
///   repository whose first commit holds `Rules/`).
///
/// Relative paths whose first part exists in the folder are read there; others (`Examples/…`) in
/// the repository. Printed paths are shown relative to the folder.
@Suite(.serialized) struct GuideTests {
    /// The guide's folder.
    static let folder = Paths.root + "/Docs/huong-dan"

    /// One step of a page.
    enum Step: Sendable {
        case edit(path: String, anchor: String, lines: [String], line: Int)
        case create(path: String, text: String, line: Int)
        case replace(path: String, old: String, new: String, line: Int)
        case command(String, expected: [String], line: Int)
    }

    /// The pages of the guide (README.md first), by file name.
    static let pages: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".md") }.sorted()
    }()

    /// The steps of a page, in order.
    static func steps(of text: String) -> [Step] {
        var steps: [Step] = []
        var fence: (kind: String, argument: String, line: Int)?
        var body: [String] = []
        func close() {
            guard let open = fence else { return }
            switch open.kind {
            case "sửa": steps.append(.edit(path: open.argument, anchor: body.first ?? "", lines: Array(body.dropFirst()), line: open.line))
            case "thay": steps.append(.replace(path: open.argument, old: body.first ?? "", new: body.dropFirst().first ?? "", line: open.line))
            case "tạo": steps.append(.create(path: open.argument, text: body.joined(separator: "\n") + "\n", line: open.line))
            default:
                var command: (String, [String], Int)?
                for (offset, line) in body.enumerated() {
                    if line.hasPrefix("$ ") {
                        if let c = command { steps.append(.command(c.0, expected: c.1, line: c.2)) }
                        command = (String(line.dropFirst(2)), [], open.line + 1 + offset)
                    } else {
                        command?.1.append(line)
                    }
                }
                if let c = command { steps.append(.command(c.0, expected: c.1, line: c.2)) }
            }
        }
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).enumerated() {
            if fence != nil {
                if line == "```" {
                    close()
                    fence = nil
                } else {
                    body.append(line)
                }
            } else if ["sửa", "tạo", "thay"].contains(where: { line.hasPrefix("```yaml \($0)=") }) {
                let rest = line.dropFirst("```yaml ".count)
                let parts = rest.split(separator: "=", maxSplits: 1).map(String.init)
                fence = (parts[0], parts.count > 1 ? parts[1] : "", index + 1)
                body = []
            } else if line == "```console" {
                fence = ("console", "", index + 1)
                body = []
            } else if line.hasPrefix("```") {
                fence = ("other", "", index + 1)
                body = []
            }
        }
        return steps
    }

    /// Whether printed lines match the expected ones, `…` standing for any lines.
    static func matches(_ actual: [String], _ expected: [String]) -> Bool {
        guard let first = expected.first else { return actual.isEmpty }
        if first == "…" {
            return (0...actual.count).contains { matches(Array(actual[$0...]), Array(expected.dropFirst())) }
        }
        guard let head = actual.first, lineMatches(head, first) else { return false }
        return matches(Array(actual.dropFirst()), Array(expected.dropFirst()))
    }

    /// Whether one printed line matches one expected line, where `…` inside a line stands for any text.
    static func lineMatches(_ actual: String, _ expected: String) -> Bool {
        let parts = expected.components(separatedBy: "…")
        guard parts.count > 1 else { return actual == expected }
        guard actual.hasPrefix(parts[0]) else { return false }
        var rest = actual.dropFirst(parts[0].count)
        for (index, part) in parts.enumerated().dropFirst() {
            if index == parts.count - 1 { return rest.hasSuffix(part) }
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        return true
    }

    /// A folder with a copy of `Rules/`, made a git repository with one commit.
    static func workspace() throws -> String {
        let folder = NSTemporaryDirectory() + "criteria-huong-dan-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Paths.rules, toPath: folder + "/Rules")
        try FileManager.default.createDirectory(atPath: folder + "/Docs", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Paths.root + "/Docs/criteria", toPath: folder + "/Docs/criteria")
        for arguments in [["init", "-q", "-b", "main"], ["add", "Rules", "Docs"], ["commit", "-q", "-m", "Bộ quy tắc ban đầu"]] {
            let (status, output) = try git(arguments, in: folder)
            guard status == 0 else { throw GuideError(message: "git \(arguments.joined(separator: " ")): \(output)") }
        }
        return folder
    }

    struct GuideError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Runs git in a folder, with a fixed author and no user configuration.
    static func git(_ arguments: [String], in folder: String) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-c", "user.name=Cán bộ", "-c", "user.email=can-bo@example.invalid", "-c", "core.pager=cat"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["LC_ALL"] = "C"
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Splits a command line on spaces, keeping 'single' or "double" quoted words whole.
    static func words(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for c in line {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "'" || c == "\"" {
                quote = c
                inWord = true
            } else if c == " " {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(c)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    /// Runs one page's steps in a fresh workspace.
    static func run(page: String) throws {
        let text = try String(contentsOfFile: folder + "/" + page, encoding: .utf8)
        let workspace = try Self.workspace()
        defer { try? FileManager.default.removeItem(atPath: workspace) }
        func resolve(_ word: String) -> String {
            guard !word.hasPrefix("-"), !word.hasPrefix("/"), let first = word.split(separator: "/").first else { return word }
            if FileManager.default.fileExists(atPath: workspace + "/" + first) { return workspace + "/" + word }
            if word.contains("/"), FileManager.default.fileExists(atPath: Paths.root + "/" + first) { return Paths.root + "/" + word }
            return word
        }
        func shown(_ text: String) -> String {
            text.replacingOccurrences(of: workspace + "/", with: "").replacingOccurrences(of: Paths.root + "/", with: "")
        }
        for step in steps(of: text) {
            switch step {
            case .edit(let path, let anchor, let lines, let line):
                let file = workspace + "/" + path
                let old = try String(contentsOfFile: file, encoding: .utf8)
                var fileLines = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                let at = fileLines.indices.filter { fileLines[$0] == anchor }
                #expect(at.count == 1, "\(page):\(line): the line '\(anchor)' is in \(path) \(at.count) times, not once")
                guard at.count == 1 else { return }
                fileLines.insert(contentsOf: lines, at: at[0] + 1)
                try fileLines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
            case .replace(let path, let old, let new, let line):
                let file = workspace + "/" + path
                let text = try String(contentsOfFile: file, encoding: .utf8)
                #expect(!old.isEmpty && text.contains(old), "\(page):\(line): '\(old)' is not in \(path)")
                try text.replacingOccurrences(of: old, with: new).write(toFile: file, atomically: true, encoding: .utf8)
            case .create(let path, let text, _):
                let file = workspace + "/" + path
                try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try text.write(toFile: file, atomically: true, encoding: .utf8)
            case .command(let command, let expected, let line):
                let words = Self.words(command)
                var printed = ""
                switch words.first {
                case "criteria":
                    // `--rules` and `docs --output` default to folders of the working folder: here, the
                    // copies. What is added is taken out of what the command prints, which shows its options.
                    var arguments = words.dropFirst().map(resolve)
                    var added: [String] = []
                    if ["test", "docs", "graph", "template"].contains(words.dropFirst().first ?? ""), !words.contains("--rules") {
                        arguments += ["--rules", workspace + "/Rules"]
                        added.append(" --rules Rules")
                    }
                    if words.dropFirst().first == "docs", !words.contains("--output") {
                        arguments += ["--output", workspace + "/Docs/criteria"]
                        added.append(" --output Docs/criteria")
                    }
                    let output = CriteriaCommand.output(arguments: arguments)
                    printed = added.reduce(shown(output.stdout + output.stderr)) { $0.replacingOccurrences(of: $1, with: "") }
                case "cp" where words.count == 4 && words[1] == "-r":
                    try FileManager.default.copyItem(atPath: resolve(words[2]), toPath: workspace + "/" + words[3])
                case "git":
                    let (status, output) = try git(Array(words.dropFirst()), in: workspace)
                    #expect(status == 0, "\(page):\(line): \(command) failed: \(output)")
                    printed = output
                default:
                    Issue.record("\(page):\(line): the guide's tests do not know the command '\(command)'")
                    return
                }
                var actual = shown(printed).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                if actual.last == "" { actual.removeLast() }
                var wanted = expected
                while wanted.last == "" { wanted.removeLast() }
                #expect(
                    matches(actual, wanted),
                    "\(page):\(line): '\(command)' printed:\n\(actual.joined(separator: "\n"))\n--- the guide says:\n\(wanted.joined(separator: "\n"))")
            }
        }
    }

    @Test func theGuideHasItsPagesAndTheyAreLinked() throws {
        for page in ["README.md", "doi-nguong.md", "them-dieu-kien.md", "them-dau-vao.md", "chay-kiem-thu.md", "xem-anh-huong.md", "gui-de-xuat.md"] {
            #expect(Self.pages.contains(page), "Docs/huong-dan/\(page) is missing")
        }
        let index = try String(contentsOfFile: Self.folder + "/README.md", encoding: .utf8)
        for page in Self.pages where page != "README.md" { #expect(index.contains("(\(page))"), "README.md does not link \(page)") }
        let readme = try String(contentsOfFile: Paths.root + "/README.md", encoding: .utf8)
        #expect(readme.contains("Docs/huong-dan/"))
        let language = try String(contentsOfFile: Paths.root + "/Docs/rule-language.md", encoding: .utf8)
        #expect(language.contains("huong-dan/"))
    }

    @Test(arguments: pages.filter { $0 != "README.md" })
    func page(_ name: String) throws {
        let text = try String(contentsOfFile: Self.folder + "/" + name, encoding: .utf8)
        #expect(Self.steps(of: text).contains { if case .command = $0 { true } else { false } }, "\(name) runs no command")
        try Self.run(page: name)
    }

    @Test func aWrongExpectedOutputFailsThePage() {
        // The matcher itself: a changed line is a mismatch; `…` stands for any lines, none included.
        #expect(Self.matches(["a", "b", "c"], ["a", "…", "c"]))
        #expect(Self.matches(["a", "c"], ["a", "…", "c"]))
        #expect(!Self.matches(["a", "b", "d"], ["a", "…", "c"]))
        #expect(!Self.matches(["a", "b"], ["a"]))
        #expect(Self.matches(["272 đúng, 0 sai"], ["… đúng, 0 sai"]))
        #expect(!Self.matches(["272 đúng, 1 sai"], ["… đúng, 0 sai"]))
        #expect(Self.words("criteria test 'a b' --lang en") == ["criteria", "test", "a b", "--lang", "en"])
    }
}

import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Lists the YAML files under a path, in a stable order: the one walker of a rules folder that every
/// command and the web service use.
///
/// A rules folder may be a link (`current → release-7`), and may hold links to files or folders
/// **inside** it (shared criteria linked into place), which are followed, each folder once. A link
/// that leads outside the folder, a link that leads nowhere, a folder that cannot be listed, and a
/// `.yaml` name that is a FIFO, a device or a socket are each an error at its path: nothing is
/// skipped silently, nothing outside the folder is read, and nothing blocks.
enum FileFinder {
    /// The path itself when it is a file; otherwise every `.yaml`/`.yml` file below the folder whose
    /// relative path `include` accepts (given as path components), sorted by path.
    ///
    /// - Throws: `EnvironmentError` when the path does not exist; `DiagnosticsError` with every entry
    ///   that cannot be read safely (`source.link-outside`, `source.broken-link`,
    ///   `source.unreadable-folder`, `source.not-a-file`).
    static func yamlFiles(at path: String, include: ([String]) -> Bool) throws -> [String] {
        guard let pathKind = Self.kind(of: path, following: true) else {
            throw EnvironmentError.unreadable(path: path, reason: SourceReader.missingReason(path, .vi("không có tệp hay thư mục này", en: "no such file or folder")))
        }
        guard pathKind == .directory else {
            try requireRegular(path)
            return [path]
        }
        guard let root = realPath(path) else {
            throw EnvironmentError.unreadable(path: path, reason: .vi("không xác định được thư mục", en: "the folder cannot be resolved"))
        }
        var result: [String] = []
        var problems: [Diagnostic] = []
        var visited: Set<String> = [root]
        // (the real folder, how it is shown, its path components below the rules folder)
        var stack: [(real: String, shown: String, components: [String])] = [(root, path, [])]
        while let folder = stack.popLast() {
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: folder.real).sorted()
            } catch {
                problems.append(problem("source.unreadable-folder", .vi("không liệt kê được nội dung thư mục, nên các quy tắc trong đó sẽ bị thiếu", en: "the folder cannot be listed, so its rules would be missing"), folder.shown,
                    hint: .vi("hãy cấp quyền đọc và truy cập cho thư mục, hoặc bỏ thư mục đó", en: "give the folder read and execute permission, or remove it")))
                continue
            }
            for name in names {
                let real = folder.real + "/" + name
                let shown = (folder.shown as NSString).appendingPathComponent(name)
                let components = folder.components + [name]
                let isYAML = name.hasSuffix(".yaml") || name.hasSuffix(".yml")
                var target = real
                var entry = Self.kind(of: real, following: false)
                if entry == .link {
                    guard let resolved = realPath(real) else {
                        problems.append(problem("source.broken-link", .vi("liên kết không trỏ tới đâu cả", en: "the link leads to nothing"), shown, hint: .vi("hãy bỏ liên kết hoặc trỏ nó tới một tệp trong thư mục quy tắc", en: "remove the link or point it at a file in the rules folder")))
                        continue
                    }
                    guard resolved == root || resolved.hasPrefix(root + "/") else {
                        // What lies outside is never read, nor named.
                        problems.append(problem(
                            "source.link-outside", .vi("liên kết trỏ ra ngoài thư mục quy tắc; tệp đó không được đọc", en: "the link leads outside the rules folder; it is not read"), shown,
                            hint: .vi("hãy chép tệp vào thư mục quy tắc, hoặc liên kết tới một tệp bên trong", en: "copy the file into the rules folder, or link to a file inside it")))
                        continue
                    }
                    target = resolved
                    entry = Self.kind(of: resolved, following: false)
                }
                switch entry {
                case .directory:
                    if visited.insert(target).inserted { stack.append((target, shown, components)) }
                case .regular:
                    if isYAML && include(components) { result.append(shown) }
                case .other, .link, nil:
                    if isYAML {
                        problems.append(problem(
                            "source.not-a-file", Self.notAFile, shown,
                            hint: .vi("tệp quy tắc là tệp văn bản thông thường: hãy bỏ mục này", en: "rule files are ordinary text files: remove it")))
                    }
                }
            }
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        return result.sorted()
    }

    /// Throws unless the path is a regular file (after links): reading a FIFO or a device would block
    /// or never end.
    static func requireRegular(_ path: String) throws {
        guard kind(of: path, following: true) == .regular else {
            throw DiagnosticsError([problem(
                "source.not-a-file", Self.notAFile, path,
                hint: .vi("hãy đưa vào một tệp văn bản thông thường", en: "give an ordinary text file"))])
        }
    }

    enum Kind { case regular, directory, link, other }

    /// What a path is, through links when `following`; `nil` when it does not exist.
    static func kind(of path: String, following: Bool) -> Kind? {
        // Through FileManager rather than `stat`: which C module owns `struct stat` depends on the
        // other packages linked (CoreFoundation, CDispatch), and MemberImportVisibility then refuses
        // its members in some builds. `attributesOfItem` does not follow a link (lstat).
        var target = path
        if following {
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        }
        guard let type = (try? FileManager.default.attributesOfItem(atPath: target))?[.type] as? FileAttributeType else { return nil }
        switch type {
        case .typeRegular: return .regular
        case .typeDirectory: return .directory
        case .typeSymbolicLink: return .link
        default: return .other
        }
    }

    /// The path with every link resolved, or `nil`.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static let notAFile = LocalizedText.vi(
        "đây không phải là tệp thông thường (mà là FIFO, thiết bị hoặc socket); không đọc mục này",
        en: "this is not a regular file (a FIFO, device or socket); it is not read")

    private static func problem(_ id: DiagnosticID, _ message: LocalizedText, _ path: String, hint: LocalizedText) -> Diagnostic {
        Diagnostic(id, .error, message, at: SourceRange(file: path, line: 1, column: 1), hint: hint)
    }
}

import Foundation

/// Lists the YAML files under a path, in a stable order.
enum FileFinder {
    /// The path itself when it is a file; otherwise every `.yaml`/`.yml` file below the folder whose
    /// relative path `include` accepts (given as path components), sorted by path.
    static func yamlFiles(at path: String, include: ([String]) -> Bool) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw EnvironmentError.unreadable(path: path, reason: "no such file or folder")
        }
        guard isDirectory.boolValue else { return [path] }
        guard let enumerator = FileManager.default.enumerator(atPath: path) else {
            throw EnvironmentError.unreadable(path: path, reason: "the folder cannot be listed")
        }
        var result: [String] = []
        while let relative = enumerator.nextObject() as? String {
            guard relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") else { continue }
            if include(relative.split(separator: "/").map(String.init)) {
                result.append((path as NSString).appendingPathComponent(relative))
            }
        }
        return result.sorted()
    }
}

import FuzzSupport
import Foundation
import HTTPFuzzSupport

/// Replays files through a fuzz target's entry point, without libFuzzer or sanitizers:
/// `FuzzReplay TARGET PATH…` (a path may be a folder: every file in it, recursively, sorted).
///
/// It prints one line per target with the number of inputs, and exits 0 when every input ran; a
/// broken property stops the process with the message of `FuzzProperty` (`fatalError`), so the exit
/// status is not 0. `TARGET` is `ruleFile`, `expression`, `evaluator`, `dataset`, or the name of the
/// fuzzer executable (`RuleFileFuzz`, …).
@main
struct FuzzReplay {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let name = arguments.first, let run = runner(named: name) else {
            FileHandle.standardError.write(Data("usage: FuzzReplay ruleFile|expression|evaluator|dataset|multipart|http PATH…\n".utf8))
            exit(64)
        }
        var count = 0
        for path in arguments.dropFirst() {
            for file in files(at: path) {
                guard let data = FileManager.default.contents(atPath: file) else {
                    FileHandle.standardError.write(Data("cannot read \(file)\n".utf8))
                    exit(1)
                }
                let bytes = [UInt8](data)
                bytes.withUnsafeBufferPointer { run($0) }
                count += 1
            }
        }
        print("\(name): \(count) inputs replayed, no property broken")
    }

    /// The entry point of a target, prepared: an engine target of `FuzzTargets` or an HTTP-edge target
    /// of `HTTPFuzzTargets` (`multipart`, `http`, `MultipartFuzz`, `HTTPFuzz`).
    static func runner(named name: String) -> ((UnsafeBufferPointer<UInt8>) -> Void)? {
        if let target = target(named: name) {
            FuzzTargets.prepare(target)
            return { FuzzTargets.run(target, $0) }
        }
        let http: HTTPFuzzTargets.Target? =
            switch name {
            case "MultipartFuzz": .multipart
            case "HTTPFuzz": .http
            default: HTTPFuzzTargets.Target(rawValue: name)
            }
        guard let http else { return nil }
        HTTPFuzzTargets.prepare(http)
        return { HTTPFuzzTargets.run(http, $0) }
    }

    static func target(named name: String) -> FuzzTargets.Target? {
        switch name {
        case "RuleFileFuzz": .ruleFile
        case "ExpressionFuzz": .expression
        case "EvaluatorFuzz": .evaluator
        case "DatasetFuzz": .dataset
        case "XLSXFuzz": .xlsx
        default: FuzzTargets.Target(rawValue: name)
        }
    }

    /// A file, or every regular file below a folder, sorted.
    static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { return [path] }
        var result: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: path)
        while let relative = enumerator?.nextObject() as? String {
            let full = path + "/" + relative
            var inner: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &inner), !inner.boolValue { result.append(full) }
        }
        return result.sorted()
    }
}

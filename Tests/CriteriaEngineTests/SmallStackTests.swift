import CriteriaEngine
import Foundation
import Testing

/// Runs `body` on a thread with a 512 KiB stack (the size of a secondary thread on macOS, and of
/// Dispatch's worker threads there) and waits for it. A walker that recursed past what the stack
/// holds would crash the test process here.
func onSmallStack<T: Sendable>(_ body: @escaping @Sendable () throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        let result = Result { try body() }
        box.lock.withLock { box.result = result }
        done.signal()
    }
    thread.stackSize = 512 * 1024
    thread.start()
    done.wait()
    guard let result = box.lock.withLock({ box.result }) else { throw CancellationError() }
    return try result.get()
}

/// A result handed from one thread to another under a lock.
private final class ResultBox<T: Sendable>: @unchecked Sendable {
    let lock = NSLock()
    var result: Result<T, any Error>?
}

/// The whole pipeline (read, lint, evaluate, explain, encode) on a 512 KiB stack, with rules at every
/// structural limit: YAML nesting 64, expression depth 64, 10 000 expression nodes, a chain of 64
/// criteria. Past each limit, the answer is a located diagnostic, never a crash.
@Suite struct SmallStackTests {
    /// A criterion `id` whose conditions are nested `groups` deep in `all` groups (YAML nesting
    /// 2 × groups + 2, counting the innermost condition's title mapping), with `checks` innermost.
    static func nestedCriterion(id: String = "sau", groups: Int, checks: [String]) -> String {
        var lines = [
            "criteria: 1", "id: \(id)", "title: { vi: Lồng sâu }", "level: commune", "in_force: { from: 2022-01-01 }",
            "source: { act: Thử, status: confirmed }", "all:",
        ]
        var indent = ""
        for level in 1..<groups {
            lines.append(indent + "  - id: g\(level)")
            lines.append(indent + "    title: { vi: Nhóm \(level) }")
            lines.append(indent + "    all:")
            indent += "    "
        }
        for (index, check) in checks.enumerated() {
            lines.append(indent + "  - id: c\(index + 1)")
            lines.append(indent + "    title: { vi: Điều kiện \(index + 1) }")
            lines.append(indent + "    check: '\(check)'")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Checks at the expression limits, each true for the commune of `data`.
    static let checksAtTheLimits: [String] = [
        // 62 brackets around a comparison: depth 64.
        String(repeating: "(", count: 62) + "cases >= 0" + String(repeating: ")", count: 62),
        // 63 prefix operators: depth 64 (b is false, so this is true).
        String(repeating: "!", count: 63) + "b",
        // A left-deep sum of 63 operands, compared: depth 64.
        "cases" + String(repeating: " + 1", count: 62) + " >= 0",
        // Exactly 10 000 nodes: cases, in, the list and 9 997 elements.
        "cases in [" + (0...9996).map(String.init).joined(separator: ",") + "]",
        "hamlets.all(h, h.safe) && share(hamlets, h, h.safe) >= 50% && last_year(cases) <= cases",
    ]

    /// 64 criteria, each reading the next through `meets`: a chain of 64.
    static func chain(length: Int) -> [String: String] {
        var files: [String: String] = [:]
        for index in 0..<length {
            let check = index + 1 < length ? #"meets("k\#(index + 1)")"# : "a"
            files["chain/k\(index).yaml"] = RuleSetFixture.criterion(check, id: "k\(index)")
        }
        return files
    }

    static let data = RuleSetFixture.commune(
        "a: true, b: false, cases: 3", hamlets: [true, true, true],
        extraYears: "    2023: { cases: 3 }")

    /// Limits with the expression length raised so that 10 000 nodes fit in one expression (at the
    /// default 4 096 characters, about 2 000 nodes is the most an expression can have).
    static let limits: Limits = {
        var limits = Limits.default
        limits.maxExpressionLength = 60_000
        return limits
    }()

    @Test func wholePipelineAtTheLimits() throws {
        var files = Self.chain(length: 64)
        files["sau.yaml"] = Self.nestedCriterion(groups: 31, checks: Self.checksAtTheLimits)
        let fixture = try RuleSetFixture(files)
        let folder = fixture.folder
        let dataPath = folder + "-data.yaml"
        try Self.data.write(toFile: dataPath, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: dataPath) }
        let limits = Self.limits

        let (outcomes, text, json) = try onSmallStack { () throws -> ([String: Outcome], String, Int) in
            let graph = try RuleSetLoader.load(path: folder, limits: limits)
            let dataset = try DatasetReader.read(path: dataPath, inputs: graph.inputs, limits: limits)
            guard let date = LocalDate(iso: "2024-12-31") else { throw CancellationError() }
            let result = Evaluator(graph: graph, limits: limits).evaluate(dataset, asOf: date, parallel: false)
            let outcomes = Dictionary(uniqueKeysWithValues: result.verdicts.map { ($0.criterion, $0.outcome) })
            let renderer = ExplanationTextRenderer(language: .vi)
            let text = result.verdicts.map { renderer.render($0.explanation) }.joined()
            let json = try JSONEncoder().encode(EvaluationOutputV1(result, full: true, entities: nil)).count
            return (outcomes, text, json)
        }
        #expect(outcomes["sau"] == .pass)
        #expect(outcomes["k0"] == .pass)
        #expect(outcomes.count == 65)
        #expect(text.contains("Điều kiện 5"))
        #expect(json > 0)
    }

    @Test func parallelWorkersEvaluateTheDeepRule() throws {
        // Dispatch's workers run `concurrentPerform` (more than 64 entities); on macOS their stacks are 512 KiB.
        let fixture = try RuleSetFixture(["sau.yaml": Self.nestedCriterion(groups: 31, checks: Self.checksAtTheLimits)])
        let graph = try RuleSetLoader.load(path: fixture.folder, limits: Self.limits)
        let communes = (1...70).map { index in
            "      - { id: C\(index), name: Xã \(index), facts: { 2023: { cases: 0 }, 2024: { a: true, b: false, cases: \(index) } } }"
        }
        let yaml = "dataset: 1\ndistrict:\n  id: D\n  name: Huyện\n  communes:\n" + communes.joined(separator: "\n") + "\n"
        let dataset = try RuleSetFixture.dataset(yaml, graph: graph)
        let result = Evaluator(graph: graph, limits: Self.limits)
            .evaluate(dataset, asOf: try #require(LocalDate(iso: "2024-12-31")), parallel: true)
        #expect(result.verdicts.count == 70)
        // No hamlets listed: the last check is unknown, so every verdict is unknown, never a crash.
        #expect(result.verdicts.allSatisfy { $0.outcome == .unknown })
    }

    /// One level past each limit: a located diagnostic, on the small stack.
    @Test func onePastEachLimitIsLocated() throws {
        let cases: [(name: String, files: [String: String], id: String, line: Int, column: Int)] = [
            // The 65th level is the mapping of the innermost condition (after 31 × 4 spaces and '  - ').
            ("nesting 65", ["sau.yaml": Self.nestedCriterion(groups: 32, checks: ["a"])], "limits.nesting", 101, 129),
            (
                "depth 65", ["sau.yaml": RuleSetFixture.criterion(String(repeating: "(", count: 63) + "cases >= 0" + String(repeating: ")", count: 63))],
                // Reported at the outermost bracket, whose depth is the 65th level.
                "limits.expression-depth", 10, 13
            ),
            (
                "nodes 10 001", ["sau.yaml": RuleSetFixture.criterion("cases in [" + (0...9997).map(String.init).joined(separator: ",") + "]")],
                // The 10 001st node made is the `in` (after cases, 9 998 elements and the list).
                "limits.expression-nodes", 10, 19
            ),
            ("chain 65", Self.chain(length: 65), "limits.graph-depth", 10, 19),
        ]
        for item in cases {
            let fixture = try RuleSetFixture(item.files)
            let folder = fixture.folder
            let limits = Self.limits
            let found = try onSmallStack { () -> [Diagnostic] in
                do {
                    _ = try RuleSetLoader.load(path: folder, limits: limits)
                    return []
                } catch let error as DiagnosticsError {
                    return error.diagnostics.filter { $0.severity == .error }
                }
            }
            #expect(found.map(\.id.rawValue) == [item.id], "\(item.name): \(found.map(\.message))")
            #expect(found.first?.range?.start == CriteriaEngine.SourceLocation(line: item.line, column: item.column), "\(item.name)")
        }
    }

    /// Hostile depths far past the limits, read on the small stack.
    @Test func hostileDepthsAreRefusedOnTheSmallStack() throws {
        var raised = Limits.default
        raised.maxRuleFileBytes = 4 << 20
        raised.maxExpressionLength = 1_000_000
        let limits = raised
        let flow = "criteria: " + String(repeating: "[", count: 1_000_000) + String(repeating: "]", count: 1_000_000) + "\n"
        let block = (0..<10_000).map { String(repeating: " ", count: $0) + "-" }.joined(separator: "\n") + " x\n"
        let brackets = "check: " + String(repeating: "(", count: 100_000) + "a" + String(repeating: ")", count: 100_000)
        let json = String(repeating: "[", count: 1_000_000) + String(repeating: "]", count: 1_000_000)
        let results = try onSmallStack { () -> [[String]] in
            func ids(_ file: SourceFile) -> [String] { RuleFileParser.parse(file, limits: limits).1.map(\.id.rawValue) }
            var results = [ids(SourceFile(path: "flow.yaml", text: flow)), ids(SourceFile(path: "block.yaml", text: block))]
            let source = ExpressionSource(text: String(brackets.dropFirst(7)), range: SourceRange(file: "e.yaml", line: 1, column: 8), columnShift: 0)
            do {
                _ = try ExpressionParser.parse(source, limits: limits)
                results.append([])
            } catch let error as DiagnosticsError {
                results.append(error.diagnostics.map(\.id.rawValue))
            }
            do {
                _ = try JSONReader.read(SourceFile(path: "d.json", text: json), maxNesting: 32, limits: limits)
                results.append([])
            } catch let error as DiagnosticsError {
                results.append(error.diagnostics.map(\.id.rawValue))
            }
            return results
        }
        #expect(results == [["limits.nesting"], ["limits.nesting"], ["limits.expression-depth"], ["limits.nesting"]])
    }

    /// The data limits on the small stack: 32 levels of YAML or JSON are read (and the schema refuses a
    /// list as a fact), 33 are refused where the 33rd level starts.
    @Test func dataNestingAtAndPastTheLimit() throws {
        @Sendable func yaml(_ depth: Int) -> String {
            // root 1, commune 2, facts 3, year 4, then lists up to `depth`.
            "dataset: 1\ncommune: { id: C, name: X, facts: { 2024: { notes: "
                + String(repeating: "[", count: depth - 4) + "1" + String(repeating: "]", count: depth - 4) + " } } }\n"
        }
        let results = try onSmallStack { () -> [[String]] in
            [32, 33].map { depth in
                do {
                    let root = try YAMLReader.read(SourceFile(path: "d.yaml", text: yaml(depth)), maxNesting: 32)
                    _ = try DatasetDecoder.decode(root, inputs: DataDictionary.extended)
                    return []
                } catch let error as DiagnosticsError {
                    return error.diagnostics.map { "\($0.id)@\($0.range?.start.line ?? 0):\($0.range?.start.column ?? 0)" }
                } catch {
                    return ["\(error)"]
                }
            }
        }
        // The value of notes starts at column 52; the 33rd level is the 29th bracket.
        #expect(results == [["data.wrong-type@2:52"], ["limits.nesting@2:80"]])
    }
}

import CriteriaEngine
import Dispatch
import Foundation
import HTTPTypes
import NIOCore
import Testing

@testable import CriteriaServer

@Suite("Multipart forms")
struct MultipartTests {
    @Test("fields, file names and binary content are read")
    func parse() throws {
        let binary = Data([0, 13, 10, 45, 45, 255])
        let (buffer, headers) = multipart([("a", nil, Data("1".utf8)), ("f", "dir/x.csv", binary), ("a", nil, Data("2".utf8))])
        let contentType = try #require(headers[.contentType])
        let boundary = try #require(MultipartForm.boundary(contentType: contentType))
        let form = try MultipartForm(body: Array(buffer.readableBytesView), boundary: boundary)
        #expect(form.values("a") == ["1", "2"])
        #expect(form.part("f")?.filename == "dir/x.csv")
        #expect(form.part("f")?.bytes == Array(binary))
        #expect(DatasetInput.safeName("dir/x.csv") == "x.csv")
    }

    @Test("a body without its boundary, or not closed, is refused")
    func malformed() {
        #expect(throws: MultipartForm.Malformed.self) { try MultipartForm(body: Array("hello".utf8), boundary: "b") }
        #expect(throws: MultipartForm.Malformed.self) {
            try MultipartForm(body: Array("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nvalue".utf8), boundary: "b")
        }
        #expect(MultipartForm.boundary(contentType: "application/json") == nil)
        #expect(MultipartForm.boundary(contentType: "multipart/form-data; boundary=\"q q\"") == "q q")
    }
}

@Suite("Markdown subset")
struct MarkdownSubsetTests {
    let markdown = MarkdownHTML { target in target.hasSuffix(".md") ? "/criteria/" + target.dropLast(3) : target }

    @Test("tables, code, links, emphasis and escaping")
    func render() {
        let html = markdown.render(
            """
            <!-- generated -->

            # `a` — Tiêu <chí>

            | x | y |
            | --- | --- |
            | `p\\|q` | **b** and *i* |

            - [`xa-ntm.19.2`](xa-ntm.19.2.md) — 1 & 2
            > ⚠ **tạm thời / provisional** note
            """)
        #expect(!html.contains("generated"))
        #expect(html.contains("<h1><code>a</code> — Tiêu &lt;chí&gt;</h1>"))
        #expect(html.contains("<th scope=\"col\">x</th>"))
        #expect(html.contains("<td><code>p|q</code></td><td><strong>b</strong> and <em>i</em></td>"))
        #expect(html.contains("<li><a href=\"/criteria/xa-ntm.19.2\"><code>xa-ntm.19.2</code></a> — 1 &amp; 2</li>"))
        #expect(html.contains("<blockquote><p>⚠ <strong>tạm thời / provisional</strong> note</p></blockquote>"))
    }
}

@Suite("Blocking work")
struct BlockingWorkTests {
    @Test("work past its deadline is answered as timed out, its token is cancelled, and it keeps its slot until it really ends")
    func deadline() async throws {
        let gate = EvaluationGate(capacity: 1)
        let release = DispatchSemaphore(value: 0)
        let cancelledSeen = LockedFlag()
        await #expect(throws: WorkRefusal.self) {
            try await BlockingWork.run(gate: gate, deadline: .milliseconds(50)) { token in
                release.wait()
                if token.isCancelled { cancelledSeen.set() }
                return 1
            }
        }
        // Timed out, but still running: the slot is taken, so the next one is refused.
        #expect(await gate.inUse == 1)
        await #expect(throws: WorkRefusal.self) {
            try await BlockingWork.run(gate: gate, deadline: .seconds(600)) { _ in 2 }
        }
        release.signal()
        for _ in 0..<3000 where await gate.inUse > 0 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(await gate.inUse == 0)
        #expect(cancelledSeen.value)
        let value = try await BlockingWork.run(gate: gate, deadline: .seconds(600)) { token in token.commit() ? 3 : 0 }
        #expect(value == 3)
    }

    @Test("the slot of finished work is free when its result arrives: the next piece of work of the same request is admitted")
    func slotFreeBeforeTheResult() async throws {
        let gate = EvaluationGate(capacity: 1)
        for round in 0..<50 {
            let value = try await BlockingWork.run(gate: gate, deadline: .seconds(600)) { _ in round }
            #expect(value == round)
            #expect(await gate.inUse == 0, "round \(round)")
        }
    }

    @Test("finding 5: work that committed before the deadline is answered with its result, never as timed out")
    func committedWorkIsAnswered() async throws {
        let gate = EvaluationGate(capacity: 1)
        let value = try await BlockingWork.run(gate: gate, deadline: .milliseconds(50)) { token in
            guard token.commit() else { return 0 }
            Thread.sleep(forTimeInterval: 0.3)  // a write that ends after the deadline
            return 7
        }
        #expect(value == 7)
    }
}

/// A flag set from another thread.
final class LockedFlag: @unchecked Sendable {
    // `@unchecked Sendable`: `flag` is only touched while holding `lock`.
    private let lock = NSLock()
    private var flag = false
    func set() { lock.withLock { flag = true } }
    var value: Bool { lock.withLock { flag } }
}

@Suite("Bundled samples")
struct SampleDatasetTests {
    @Test("the samples offered are those written for the served rules: a sample with its own rules folder is left out")
    func samplesWithTheirOwnRulesAreNotOffered() {
        let samples = SampleDataset.find(in: repositoryRoot + "/Examples").map(\.id)
        #expect(samples == ["thanh-hoa", "thanh-hoa-2026"])
        #expect(FileManager.default.fileExists(atPath: repositoryRoot + "/Examples/ban-do-hai-cap/province.yaml"))
    }
}

@Suite("Kept CSV tables")
struct KeptTablesTests {
    @Test("a kept table of a level the rules no longer declare is refused with the tables they do, not read as nothing")
    func aTableOfAnUndeclaredLevelIsNamed() throws {
        let input = DatasetInput(
            name: "upload", hash: "",
            content: .tables(["ward": (name: "wards.csv", bytes: Array("id,name,year\nW1,Phường 1,2024\n".utf8))], metadata: nil, successions: nil))
        do {
            _ = try input.read(inputs: InputCatalog(), limits: .default)
            Issue.record("a table of an undeclared level must not read")
        } catch let error as DiagnosticsError {
            let found = try #require(error.diagnostics.first)
            #expect(found.id.rawValue == "csv.unknown-table")
            #expect(found.range?.file == "wards.csv")
            #expect(found.hint?.contains("communes.csv") == true)
            #expect(found.text.vi.contains("không phải là bảng của các cấp"))
        }
    }
}

import CriteriaEngine
import Foundation
import Testing

@testable import CriteriaServer

#if canImport(Glibc)
import Glibc

/// The server-wide budget of request bodies held at once (`BodyBudget`, `ServerOptions.maxHeldBodyBytes`):
/// each body is bounded, and so is their sum, so many uploads at the body limit cannot together take
/// connections × body limit of memory.
@Suite("Body budget", .serialized)
struct BodyBudgetTests {
    private func service(budget: Int) throws -> CriteriaService {
        var options = ServerOptions(
            rules: repositoryRoot + "/Rules", database: ":memory:", examples: .some(nil), idleTimeout: .seconds(30),
            bodyTimeout: .seconds(30))
        options.maxHeldBodyBytes = budget
        return try CriteriaService(options: options)
    }

    /// Waits (a few seconds at most) until the budget holds `bytes`.
    private func waitUntil(_ service: CriteriaService, holds bytes: Int) async -> Bool {
        for _ in 0..<300 {
            if service.bodies.inUse == bytes { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// What the server answers on `connection`, read until it holds `marker` (or a minute passes, or
    /// the connection closes).
    private func answer(_ connection: RawConnection, until marker: String) async -> String {
        var bytes: [UInt8] = []
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, !String(decoding: bytes, as: UTF8.self).contains(marker) {
            guard let chunk = await connection.receive(within: 1) else { continue }
            if chunk.isEmpty { break }
            bytes += chunk
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("a second large upload while the first is held is refused with 503 and Retry-After; the first succeeds; the budget is whole again")
    func secondUploadRefused() async throws {
        // A sample dataset padded with YAML comments to 200,000 bytes; the budget holds one such body, not two.
        var padded = try fixture("Examples/thanh-hoa-2026/province.yaml")
        let size = 200_000
        try #require(padded.count < size - 100)
        padded.append(Data("\n".utf8))
        while size - padded.count >= 160 { padded.append(Data(("# " + String(repeating: "x", count: 77) + "\n").utf8)) }
        padded.append(Data(("#" + String(repeating: "x", count: size - padded.count - 2) + "\n").utf8))
        let yaml = padded
        try #require(yaml.count == size)
        let service = try service(budget: 256 << 10)
        try await withLiveServer(service) { port in
            let head = { (expect: Bool) in
                "POST /v1/evaluations?as_of=2024-12-31&criteria=xa-ntm.19.2 HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/yaml\r\nContent-Length: \(size)\r\n" + (expect ? "Expect: 100-continue\r\n" : "") + "\r\n"
            }
            // The first upload: its head and a part of its body; the server holds its length.
            let first = try RawConnection(port: port)
            // Cut after a line end, so that each half is whole UTF-8.
            let cut = try #require(yaml.prefix(2000).lastIndex(of: UInt8(ascii: "\n"))) + 1
            try first.send(head(false) + String(decoding: yaml.prefix(cut), as: UTF8.self))
            #expect(await waitUntil(service, holds: size), "the first body was not charged: \(service.bodies.inUse)")

            // The second does not fit beside it: 503 at once, in Vietnamese, with Retry-After.
            let second = try RawConnection(port: port)
            try second.send(head(true))
            let text = await answer(second, until: "request.bodies-busy")
            #expect(text.hasPrefix("HTTP/1.1 503"), "\(text.prefix(300))")
            #expect(text.lowercased().contains("retry-after: 2"))
            #expect(text.contains("request.bodies-busy"))
            #expect(text.contains("máy chủ đang giữ nhiều dữ liệu tải lên nhất"))
            #expect(text.lowercased().contains("connection: close"))
            #expect(service.bodies.inUse == size, "the refused body took from the budget")

            // The first goes on and is recorded.
            try first.send(String(decoding: yaml.dropFirst(cut), as: UTF8.self))
            let firstText = await answer(first, until: "\"id\"")
            #expect(firstText.hasPrefix("HTTP/1.1 201"), "\(firstText.prefix(300))")
            #expect(await waitUntil(service, holds: 0), "the budget was not given back: \(service.bodies.inUse)")
        }
    }

    @Test("a chunked body that outgrows the budget is refused part way, and what it took is given back")
    func chunkedBodyRefused() async throws {
        let service = try service(budget: 64 << 10)
        try await withLiveServer(service) { port in
            let connection = try RawConnection(port: port)
            try connection.send(
                "POST /v1/evaluations HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/yaml\r\nTransfer-Encoding: chunked\r\n\r\n")
            // 100 KiB in chunks of 4 KiB (no Content-Length): charged as it arrives, past 64 KiB refused.
            let piece = "#" + String(repeating: " ", count: 4094) + "\n"
            for _ in 0..<25 { try? connection.send(String(piece.utf8.count, radix: 16) + "\r\n" + piece + "\r\n") }
            try? connection.send("0\r\n\r\n")
            let text = await answer(connection, until: "request.bodies-busy")
            #expect(text.hasPrefix("HTTP/1.1 503"), "\(text.prefix(300))")
            #expect(text.contains("request.bodies-busy"))
            #expect(await waitUntil(service, holds: 0), "the budget was not given back: \(service.bodies.inUse)")
            // The budget is whole: a small upload is read.
            let next = try RawConnection(port: port)
            let small = "dataset: 1\n"
            try next.send(
                "POST /v1/evaluations HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/yaml\r\nContent-Length: \(small.utf8.count)\r\n\r\n"
                    + small)
            let nextText = await answer(next, until: "HTTP/1.1")
            // Read and passed on to the route, which misses the date: not refused for the budget.
            #expect(nextText.hasPrefix("HTTP/1.1 400") && nextText.contains("request.missing-date"), "\(nextText.prefix(300))")
        }
    }

    @Test("the budget charges and gives back exactly, and refuses what does not fit")
    func budgetArithmetic() {
        let budget = BodyBudget(capacity: 100)
        #expect(budget.reserve(60))
        #expect(!budget.reserve(41))
        #expect(budget.reserve(40))
        #expect(budget.inUse == 100)
        budget.release(60)
        budget.release(40)
        #expect(budget.inUse == 0)
        #expect(ServerOptions(rules: "Rules").maxHeldBodyBytes == 64 << 20)
    }
}
#endif

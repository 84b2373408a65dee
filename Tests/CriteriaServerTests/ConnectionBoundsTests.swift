import CriteriaEngine
import Dispatch
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CriteriaServer

// Raw sockets through Glibc: these tests run on Linux (CI's platform).
#if canImport(Glibc)
import Glibc

/// A blocking TCP connection to 127.0.0.1, for what an HTTP client library will not do: stop half
/// way through a request, send a body a byte at a time, or sit idle.
final class RawConnection {
    private let socket: Int32

    /// Connects to the port on 127.0.0.1.
    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(socket)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    deinit { close(socket) }

    /// Sends text (whole, or throws).
    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard Glibc.send(socket, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else { throw POSIXError(.EPIPE) }
    }

    /// What the server sent within `seconds`: the bytes (empty when the server closed the
    /// connection), or `nil` when it sent nothing and kept the connection open.
    ///
    /// It never blocks its thread: it looks without waiting and sleeps between looks, so the test
    /// holds no thread of Swift's cooperative pool while the server it talks to needs one (on two
    /// cores, a blocking wait beside a long synchronous test left the server no thread to answer on).
    func receive(within seconds: Double) async -> [UInt8]? {
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 65536)
        repeat {
            let count = recv(socket, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count > 0 { return Array(buffer.prefix(count)) }
            if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) { return [] }
            try? await Task.sleep(for: .milliseconds(10))
        } while Date() < deadline
        return nil
    }

    /// Everything until the server closes the connection or `seconds` pass; `closed` says which.
    func readUntilClosed(within seconds: Double) async -> (bytes: [UInt8], closed: Bool) {
        let deadline = Date().addingTimeInterval(seconds)
        var all: [UInt8] = []
        while Date() < deadline {
            guard let chunk = await receive(within: max(0.05, deadline.timeIntervalSinceNow)) else { continue }
            if chunk.isEmpty { return (all, true) }
            all += chunk
        }
        return (all, false)
    }
}

/// Runs `body` against the service's own application (its connection bounds included) on a free
/// loopback port.
func withLiveServer(_ service: CriteriaService, _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
    try await service.application().test(.live) { client in
        guard let port = client.port else {
            Issue.record("the live server has no port")
            return
        }
        try await body(port)
    }
}

/// A free TCP port on 127.0.0.1 (bound, read, released).
func freePort() throws -> Int {
    let probe = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(probe) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(probe, pointer, length) == 0 && getsockname(probe, pointer, &length) == 0
        }
    }
    guard bound else { throw POSIXError(.EADDRINUSE) }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Runs `body` against the service's application as `criteria serve` runs it, on the options'
/// port (HummingbirdTesting's live mode drops the connection cap when it picks its own port).
func withRunningServer(_ service: CriteriaService, _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
    let port = service.options.port
    let app = service.application()
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.run() }
        var up = false
        for _ in 0..<200 where !up {
            up = (try? RawConnection(port: port)) != nil
            if !up { try await Task.sleep(for: .milliseconds(50)) }
        }
        try await Task.sleep(for: .milliseconds(300))  // the probe's close reaches the server
        do {
            if up { try await body(port) } else { Issue.record("the server did not start on \(port)") }
        } catch {
            group.cancelAll()
            throw error
        }
        group.cancelAll()
    }
}

/// Finding 6 of the abuse report: idle, header and body timeouts and a connection cap.
@Suite("Connection bounds", .serialized)
struct ConnectionBoundsTests {
    private func service(idle: Duration? = .seconds(1), body: Duration? = .seconds(2), connections: Int = 256) throws -> CriteriaService {
        try CriteriaService(
            options: ServerOptions(
                rules: repositoryRoot + "/Rules", database: ":memory:", examples: .some(nil), idleTimeout: idle, bodyTimeout: body,
                maxConnections: connections))
    }

    // The waits are generous and only bound the tests: CI machines are shared, and a loaded one is
    // slow to answer, so no test asserts how long the server took (timing belongs in the benchmark).

    @Test("a silent connection and a half-sent request head are closed after the idle timeout")
    func idleAndHeader() async throws {
        try await withLiveServer(try service(idle: .seconds(2), body: .seconds(10))) { port in
            let silent = try RawConnection(port: port)
            let halfHead = try RawConnection(port: port)
            try halfHead.send("GET /v1/status HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
            // The waits bound the test; how long the server took is not asserted (a loaded machine is slow).
            let (silentBytes, silentClosed) = await silent.readUntilClosed(within: 10)
            #expect(silentClosed && silentBytes.isEmpty, "a silent connection stayed open")
            let (_, headClosed) = await halfHead.readUntilClosed(within: 5)
            #expect(headClosed, "a half-sent head kept its connection")
            // A complete request is still answered on a new connection.
            let fresh = try RawConnection(port: port)
            try fresh.send("GET /v1/status HTTP/1.1\r\nHost: localhost\r\n\r\n")
            let answer = String(decoding: await fresh.receive(within: 60) ?? [], as: UTF8.self)
            #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer.prefix(100))")
        }
    }

    @Test("a body sent a byte at a time is answered 408 and its connection closed after the body timeout")
    func slowBody() async throws {
        try await withLiveServer(try service(idle: .seconds(4), body: .seconds(2))) { port in
            let slow = try RawConnection(port: port)
            try slow.send(
                "POST /v1/check HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
            let started = Date()
            var answer: [UInt8] = []
            var closed = false
            // One byte every 0.4 s keeps the 4 s idle timeout from firing; the 2 s body timeout must.
            while Date().timeIntervalSince(started) < 12 {
                try? slow.send(" ")
                guard let chunk = await slow.receive(within: 0.4) else { continue }
                if chunk.isEmpty {
                    closed = true
                    break
                }
                answer += chunk
            }
            let text = String(decoding: answer, as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 408"), "\(text.prefix(200))")
            #expect(text.contains("không đến đủ"))
            let closedLater = await slow.readUntilClosed(within: 5).closed
            #expect(closed || closedLater)
        }
    }

    @Test("past the connection cap a new connection waits, and is served once another closes")
    func connectionCap() async throws {
        let service = try CriteriaService(
            options: ServerOptions(
                rules: repositoryRoot + "/Rules", database: ":memory:", examples: .some(nil), port: try freePort(),
                idleTimeout: .seconds(30), maxConnections: 2))
        try await withRunningServer(service) { port in
            var idle: [RawConnection] = [try RawConnection(port: port), try RawConnection(port: port)]
            try await Task.sleep(for: .milliseconds(200))
            let waiting = try RawConnection(port: port)
            try waiting.send("GET /v1/status HTTP/1.1\r\nHost: localhost\r\n\r\n")
            #expect(await waiting.receive(within: 1) == nil, "a connection past the cap was served")
            idle.removeAll()
            let answer = String(decoding: await waiting.receive(within: 60) ?? [], as: UTF8.self)
            #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer.prefix(100))")
            #expect(idle.isEmpty)
        }
    }
}

/// Finding 12 of the abuse report (the SIGTERM part): the stop is bounded even when work holds it.
@Suite("Bounded stop")
struct StopWatchdogTests {
    @Test("the stop signal ends the process after the limit, even while the dispatch pool is busy")
    func expiresAfterTheLimit() async throws {
        let fired = DispatchSemaphore(value: 0)
        let watchdog = StopWatchdog(after: .milliseconds(300), signals: [SIGUSR2]) { fired.signal() }
        // Fill the shared dispatch pool, as evaluations past their deadline do (`BlockingWork` runs
        // at `.userInitiated`).
        let busyUntil = Date().addingTimeInterval(3)
        for _ in 0..<(ProcessInfo.processInfo.activeProcessorCount * 2) {
            DispatchQueue.global(qos: .userInitiated).async { while Date() < busyUntil {} }
            DispatchQueue.global().async { while Date() < busyUntil {} }
        }
        #expect(fired.wait(timeout: .now() + 0.5) == .timedOut, "expired without a signal")
        let sent = Date()
        kill(getpid(), SIGUSR2)  // to the process, as `kill PID` does
        #expect(fired.wait(timeout: .now() + 1.5) == .success, "the watchdog did not fire")
        let seconds = Date().timeIntervalSince(sent)
        #expect(seconds >= 0.25, "fired before the limit: \(seconds) s")
        withExtendedLifetime(watchdog) {}
    }
}
#endif

import CriteriaEngine
import CriteriaServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

/// The repository root, from this file's place.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// A service over the bundled rules and samples, with its decisions in memory (or in `database`).
///
/// Its wall clock is 60 s, not the served 5 s: a debug build on a loaded machine can take longer than
/// 5 s to evaluate the whole sample, and only the tests of the deadline itself (which set a short one
/// in `configure`) are about it.
func makeService(
    rules: String = repositoryRoot + "/Rules", database: String = ":memory:", maxConcurrent: Int = 2,
    maxBodyBytes: Int = 8 << 20, configure: (inout ServerOptions) -> Void = { _ in }
) throws -> CriteriaService {
    var options = ServerOptions(
        rules: rules, database: database, examples: .some(repositoryRoot + "/Examples"), maxBodyBytes: maxBodyBytes,
        maxConcurrentEvaluations: maxConcurrent)
    // A test that is not about the deadline must not meet it, however loaded the machine running
    // the whole suite in parallel is (CI once took 170 s for one evaluation).
    options.wallClock = .seconds(3600)
    configure(&options)
    return try CriteriaService(options: options)
}

/// Waits until no evaluation slot of the service is taken, at most `bound`; whether they all came free.
func slotsFree(_ service: CriteriaService, within bound: Duration) async throws -> Bool {
    let clock = ContinuousClock()
    let end = clock.now + bound
    while clock.now < end {
        if await service.gate.inUse == 0 { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return await service.gate.inUse == 0
}

/// Runs requests against the service's router in process. Every answer is checked against
/// `/v1/openapi.yaml` (`ContractCheckingClient`): a breach is a test issue.
func withClient(_ service: CriteriaService, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
    try await withCheckedClient(Application(router: service.router()), body)
}

/// Runs requests against an application's router in process, every answer checked against
/// `/v1/openapi.yaml`.
func withCheckedClient(
    _ app: some ApplicationProtocol, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    try await app.test(.router) { client in try await body(ContractCheckingClient(inner: client)) }
}

extension TestResponse {
    /// The body as text.
    var text: String { String(buffer: body) }

    /// The body decoded from JSON.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

/// The bytes of a bundled file.
func fixture(_ relative: String) throws -> Data {
    try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/" + relative))
}

/// A multipart form body with the given file fields.
func multipart(_ fields: [(name: String, filename: String?, bytes: Data)], boundary: String = "criteria-test-boundary") -> (ByteBuffer, HTTPFields) {
    var body = Data()
    for field in fields {
        body.append(Data("--\(boundary)\r\n".utf8))
        let filename = field.filename.map { "; filename=\"\($0)\"" } ?? ""
        body.append(Data("Content-Disposition: form-data; name=\"\(field.name)\"\(filename)\r\n\r\n".utf8))
        body.append(field.bytes)
        body.append(Data("\r\n".utf8))
    }
    body.append(Data("--\(boundary)--\r\n".utf8))
    return (ByteBuffer(bytes: body), [.contentType: "multipart/form-data; boundary=\(boundary)"])
}

/// A copy of the bundled rules in a new temporary folder.
func copyOfRules() throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("criteria-rules-\(UUID().uuidString)")
    try FileManager.default.copyItem(atPath: repositoryRoot + "/Rules", toPath: folder.path)
    return folder.path
}

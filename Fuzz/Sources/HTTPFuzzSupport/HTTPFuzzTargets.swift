/// The fuzz targets of the server's HTTP edges: the multipart parser and a whole request through
/// the router. They live apart from `FuzzTargets` because they need `CriteriaServer` (Hummingbird,
/// GRDB), which the engine's targets do not link.
public enum HTTPFuzzTargets {
    /// Which target.
    public enum Target: String, Sendable, CaseIterable {
        /// A `Content-Type` line and a body → the multipart parser, with a naive search as oracle.
        case multipart
        /// Bytes read as an HTTP/1.1 request → the server's router in process.
        case http
    }

    /// Builds what a target needs before the first input (the service and its router for `http`).
    public static func prepare(_ target: Target) {
        if target == .http { _ = HTTPTarget.served }
    }

    /// Runs one input through a target.
    public static func run(_ target: Target, _ bytes: UnsafeBufferPointer<UInt8>) {
        switch target {
        case .multipart: MultipartTarget.run(Array(bytes))
        case .http: HTTPTarget.run(Array(bytes))
        }
    }
}

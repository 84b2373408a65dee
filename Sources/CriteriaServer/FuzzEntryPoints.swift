/// The multipart parser, reached without a request, for the fuzz targets of `Fuzz/`
/// (`Docs/fuzzing.md`). Not part of the server's API: `@_spi(Fuzzing)`.
@_spi(Fuzzing) public enum MultipartFuzzing {
    /// One field of a parsed form.
    public struct Part: Sendable {
        /// The field's name (never empty).
        public var name: String
        /// The uploaded file's name, for a file field.
        public var filename: String?
        /// The part's own content type, if given.
        public var contentType: String?
        /// The content.
        public var bytes: [UInt8]
    }

    /// Why a body is not a form the parser accepts: one sentence.
    public struct Refusal: Error, Sendable {
        /// The sentence the server puts in its 400 `request.bad-form`.
        public var reason: String
    }

    /// The most parts a form may have, as the routes parse it.
    public static let maxParts = 64

    /// The boundary of a `multipart/form-data` content type, or `nil` for another type.
    public static func boundary(contentType: String) -> String? {
        MultipartForm.boundary(contentType: contentType)
    }

    /// Parses a body as the evaluation routes do.
    public static func parse(body: [UInt8], boundary: String) -> Result<[Part], Refusal> {
        do {
            let form = try MultipartForm(body: body, boundary: boundary, maxParts: maxParts)
            return .success(form.parts.map { Part(name: $0.name, filename: $0.filename, contentType: $0.contentType, bytes: $0.bytes) })
        } catch let error as MultipartForm.Malformed {
            return .failure(Refusal(reason: error.reason))
        } catch {
            return .failure(Refusal(reason: "\(error)"))
        }
    }

    /// The parser's search (Knuth–Morris–Pratt): the offset of the first `needle` at or after `start`.
    public static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        MultipartForm.find(needle, in: haystack, from: start)
    }
}

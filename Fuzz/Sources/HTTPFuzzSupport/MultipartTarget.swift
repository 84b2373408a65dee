@_spi(Fuzzing) import CriteriaServer

/// Bytes → the multipart parser of `POST /v1/evaluations` and `POST /inspect`: the first line is the
/// request's `Content-Type` (whose boundary the parser uses), the rest is the body.
///
/// Properties: a refusal has a reason; a parsed form has at most 64 parts, each with a name, and no part
/// holds the delimiter (`CRLF--boundary`) the parser should have split at; and the parser's
/// Knuth–Morris–Pratt search agrees with a naive search on the body (a differential oracle), for the
/// delimiter and for the blank line that ends a part's headers.
enum MultipartTarget {
    static func run(_ bytes: [UInt8]) {
        let newline = bytes.firstIndex(of: 10) ?? bytes.count
        let contentType = String(decoding: bytes[..<newline], as: UTF8.self)
        let body = newline < bytes.count ? Array(bytes[(newline + 1)...]) : []
        guard let boundary = MultipartFuzzing.boundary(contentType: contentType) else { return }
        let delimiter = Array(("--" + boundary).utf8)
        for needle in [delimiter, [13, 10, 13, 10], [13, 10] + delimiter] {
            for start in [0, 1, body.count / 2, body.count] {
                let fast = MultipartFuzzing.find(needle, in: body, from: start)
                let slow = naiveFind(needle, in: body, from: start)
                if fast != slow {
                    HTTPFuzzProperty.violation(
                        "the parser's search found \(String(describing: fast)), a naive search \(String(describing: slow)) (needle \(needle.count) bytes from \(start))")
                }
            }
        }
        switch MultipartFuzzing.parse(body: body, boundary: boundary) {
        case .failure(let refusal):
            if refusal.reason.isEmpty { HTTPFuzzProperty.violation("a form refused without a reason") }
        case .success(let parts):
            // A form closed at once (`--boundary--`) has no parts: RFC 2046 wants one, but the
            // routes answer it clearly (400 request.empty, "the form holds no dataset").
            if parts.count > MultipartFuzzing.maxParts {
                HTTPFuzzProperty.violation("a form read with \(parts.count) parts")
            }
            let inner = [13, 10] + delimiter
            for part in parts {
                if part.name.isEmpty { HTTPFuzzProperty.violation("a part without a name was accepted") }
                if naiveFind(inner, in: part.bytes, from: 0) != nil {
                    HTTPFuzzProperty.violation("a part holds the delimiter it should have ended at")
                }
            }
        }
    }

    /// The first `needle` at or after `start`, by comparing at every offset.
    static func naiveFind(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, start >= 0, haystack.count - start >= needle.count else { return nil }
        for offset in start...(haystack.count - needle.count) where haystack[offset..<(offset + needle.count)].elementsEqual(needle) {
            return offset
        }
        return nil
    }
}

/// Properties of the HTTP targets that break: the process stops, which libFuzzer reports as a crash.
enum HTTPFuzzProperty {
    static func violation(_ what: String) -> Never {
        fatalError(what)
    }
}

import Foundation

/// A `multipart/form-data` body split into its parts (RFC 7578), enough for browser forms and `curl -F`.
struct MultipartForm: Sendable {
    /// One field of the form.
    struct Part: Sendable {
        /// The field's name.
        var name: String
        /// The uploaded file's name, for a file field.
        var filename: String?
        /// The part's own content type, if given.
        var contentType: String?
        /// The content.
        var bytes: [UInt8]
        /// The content as text, when it is valid UTF-8.
        var text: String? { String(validating: bytes, as: UTF8.self) }
    }

    /// The parts in order.
    var parts: [Part]

    /// The first part with a name.
    func part(_ name: String) -> Part? { parts.first { $0.name == name } }

    /// Every text value of a repeated field (checkboxes).
    func values(_ name: String) -> [String] { parts.filter { $0.name == name }.compactMap(\.text) }

    /// Why a body is not a form this parser accepts.
    struct Malformed: Error, Sendable {
        /// One sentence.
        var reason: String
    }

    /// The longest boundary RFC 2046 allows, in characters.
    static let maxBoundaryLength = 70

    /// The boundary of a `multipart/form-data` content type, or `nil` when it is another type.
    /// A boundary longer than `maxBoundaryLength` is returned as it is; the parser refuses it.
    static func boundary(contentType: String) -> String? {
        let pieces = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = pieces.first, first.lowercased() == "multipart/form-data" else { return nil }
        for piece in pieces.dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }

    /// Parses a body; at most `maxParts` parts.
    ///
    /// The work is linear in the body's size: each search (`find`) is Knuth–Morris–Pratt and starts
    /// where the last one ended, and the boundary is at most `maxBoundaryLength` characters.
    init(body: [UInt8], boundary: String, maxParts: Int = 64) throws {
        guard boundary.utf8.count <= Self.maxBoundaryLength else {
            throw Malformed(reason: "the form's boundary has \(boundary.utf8.count) characters, more than the \(Self.maxBoundaryLength) that RFC 2046 allows")
        }
        let delimiter = Array(("--" + boundary).utf8)
        guard var position = Self.find(delimiter, in: body, from: 0) else {
            throw Malformed(reason: "the form's boundary does not occur in the body")
        }
        var parts: [Part] = []
        while true {
            position += delimiter.count
            // "--" after a delimiter closes the form.
            if position + 1 < body.count, body[position] == UInt8(ascii: "-"), body[position + 1] == UInt8(ascii: "-") { break }
            // Skip the line end after the delimiter.
            if position + 1 < body.count, body[position] == 13, body[position + 1] == 10 { position += 2 }
            else if position < body.count, body[position] == 10 { position += 1 }
            guard let headerEnd = Self.find([13, 10, 13, 10], in: body, from: position) else {
                throw Malformed(reason: "a part of the form has no blank line after its headers")
            }
            let headerText = String(decoding: body[position..<headerEnd], as: UTF8.self)
            let contentStart = headerEnd + 4
            guard let next = Self.find([13, 10] + delimiter, in: body, from: contentStart) else {
                throw Malformed(reason: "the form is not closed by its boundary")
            }
            var part = Part(name: "", filename: nil, contentType: nil, bytes: Array(body[contentStart..<next]))
            for line in headerText.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" }) {
                let pair = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2 else { continue }
                switch pair[0].lowercased() {
                case "content-disposition":
                    part.name = Self.parameter("name", in: pair[1]) ?? ""
                    part.filename = Self.parameter("filename", in: pair[1])
                case "content-type":
                    part.contentType = pair[1]
                default:
                    break
                }
            }
            guard !part.name.isEmpty else { throw Malformed(reason: "a part of the form has no field name") }
            parts.append(part)
            guard parts.count <= maxParts else { throw Malformed(reason: "the form has more than \(maxParts) fields") }
            position = next + 2
        }
        self.parts = parts
    }

    /// A `key="value"` parameter of a header value.
    static func parameter(_ key: String, in header: String) -> String? {
        for piece in header.split(separator: ";") {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == key else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }

    /// The offset of the first occurrence of `needle` at or after `start`, found with
    /// Knuth–Morris–Pratt: at most two comparisons per byte of `haystack`, whatever the needle.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, start >= 0, needle.count <= haystack.count - start else { return nil }
        // The failure function: for each prefix, the length of its longest proper border.
        var border = [Int](repeating: 0, count: needle.count)
        var k = 0
        for i in 1..<needle.count {
            while k > 0 && needle[i] != needle[k] { k = border[k - 1] }
            if needle[i] == needle[k] { k += 1 }
            border[i] = k
        }
        var matched = 0
        var index = start
        while index < haystack.count {
            while matched > 0 && haystack[index] != needle[matched] { matched = border[matched - 1] }
            if haystack[index] == needle[matched] { matched += 1 }
            if matched == needle.count { return index - needle.count + 1 }
            index += 1
        }
        return nil
    }
}

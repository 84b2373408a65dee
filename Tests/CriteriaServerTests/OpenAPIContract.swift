import CriteriaEngine
import CriteriaServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A JSON value, typed: what a client of the API decodes.
indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number, as written.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The value of a node read by the engine's JSON or YAML reader. A plain scalar is a boolean,
    /// `null` or a number when it reads as one (in the JSON reader's output it always does), text
    /// otherwise; a quoted or block scalar is always text.
    init(_ node: DocumentNode) {
        switch node.kind {
        case .null: self = .null
        case .scalar(let text, .plain):
            if text == "true" { self = .bool(true) }
            else if text == "false" { self = .bool(false) }
            else if text == "null" || text == "~" { self = .null }
            else if text.wholeMatch(of: /-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/) != nil { self = .number(text) }
            else { self = .string(text) }
        case .scalar(let text, _): self = .string(text)
        case .sequence(let items): self = .array(items.map(JSONValue.init))
        case .mapping(let pairs):
            var object: [String: JSONValue] = [:]
            for pair in pairs { object[pair.key.scalarText ?? ""] = JSONValue(pair.value) }
            self = .object(object)
        }
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var double: Double? {
        if case .number(let text) = self { return Double(text) }
        return nil
    }

    /// The JSON Schema type names this value has (`integer` is also a `number`).
    var types: Set<String> {
        switch self {
        case .null: ["null"]
        case .bool: ["boolean"]
        case .number(let text):
            text.wholeMatch(of: /-?[0-9]+/) != nil || Double(text).map { $0 == $0.rounded() } == true
                ? ["integer", "number"] : ["number"]
        case .string: ["string"]
        case .array: ["array"]
        case .object: ["object"]
        }
    }

    /// Equality as JSON Schema's `enum` and `const` mean it: numbers by value.
    func sameAs(_ other: JSONValue) -> Bool {
        if case .number = self, case .number = other { return double == other.double }
        return self == other
    }
}

/// The contract of `/v1/openapi.yaml`, checked on the answers the route tests receive.
///
/// For each answer: the operation is found by method and path template, the response by status
/// (`default` when the status is not listed), the content by the answer's media type. A JSON body
/// is validated against the response's schema with the subset of JSON Schema (2020-12, as OpenAPI
/// 3.1 uses it) that the document uses: `$ref`, `type`, `properties`, `required`,
/// `additionalProperties`, `items`, `enum`, `const`, `format` (`date`, `date-time`), `pattern`,
/// `minimum`, `maximum`, `oneOf`, `anyOf`, `allOf`. Any other keyword is reported, never skipped,
/// so the subset cannot silently pass what it does not understand. One rule is stricter than JSON
/// Schema: an object whose schema lists `properties` and says nothing of `additionalProperties` may
/// hold no other property, so that a field the server sends and the document does not mention is
/// found (a client generated from the document would drop it). See
/// `Docs/decisions/0011-openapi-contract-validator.md`.
struct OpenAPIContract: Sendable {
    /// The document as a JSON value.
    let document: JSONValue

    /// The served document, parsed once.
    static let served: Result<OpenAPIContract, any Error> = {
        do {
            return .success(try OpenAPIContract(yaml: OpenAPIDocument.yaml))
        } catch {
            return .failure(error)
        }
    }()

    /// Reads a document with the engine's own YAML reader.
    init(yaml: String) throws(DiagnosticsError) {
        var limits = Limits.default
        limits.maxScalarLength = 1 << 20
        let root = try YAMLReader.read(SourceFile(path: "openapi.yaml", text: yaml), maxNesting: 64, limits: limits)
        document = JSONValue(root)
    }

    /// Keywords that only describe (never constrain) a value.
    static let annotations: Set<String> = [
        "description", "examples", "default", "title", "contentMediaType", "deprecated", "summary",
    ]

    /// What is wrong with one answer; empty when it keeps the contract.
    func problems(method: HTTPRequest.Method, uri: String, status: Int, contentType: String?, body: [UInt8]) -> [String] {
        let path = String(uri.prefix { $0 != "?" && $0 != "#" })
        let mediaType = contentType.map { String($0.prefix { $0 != ";" }).trimmingCharacters(in: .whitespaces).lowercased() }
        // HEAD has no body to check; a path the document does not have is a 404 of the router.
        if method == .head { return [] }
        guard let (template, operation) = self.operation(method: method, path: path) else {
            // Not a described operation: the server's refusal must still be the diagnostics model.
            guard mediaType.map(Self.isJSON) == true else { return [] }
            return validateBody(body, schema: .object(["$ref": .string("#/components/schemas/Diagnostics")]), at: "\(status)")
        }
        let place = "\(method.rawValue.lowercased()) \(template) → \(status)"
        guard var response = operation["responses"]?[String(status)] ?? operation["responses"]?["default"] else {
            return ["\(place): the document gives no response for status \(status)"]
        }
        do {
            response = try resolve(response)
        } catch {
            return ["\(place): \(error)"]
        }
        guard case .object(let content)? = response["content"] else {
            return body.isEmpty ? [] : ["\(place): the document describes no body, but the answer has \(body.count) bytes"]
        }
        guard let mediaType, let described = content[mediaType] else {
            return ["\(place): the answer's media type \(mediaType ?? "(none)") is not among \(content.keys.sorted())"]
        }
        guard Self.isJSON(mediaType) else { return [] }
        guard let schema = described["schema"] else { return [] }
        return validateBody(body, schema: schema, at: place)
    }

    static func isJSON(_ mediaType: String) -> Bool {
        mediaType == "application/json" || mediaType.hasSuffix("+json")
    }

    /// The template and operation for a method and a path: literal segments must be equal, `{name}`
    /// matches any one non-empty segment; a template with more literal segments wins.
    func operation(method: HTTPRequest.Method, path: String) -> (String, JSONValue)? {
        guard case .object(let paths)? = document["paths"] else { return nil }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        var best: (template: String, operation: JSONValue, literals: Int)?
        for (template, item) in paths {
            let parts = template.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == segments.count, let operation = item[method.rawValue.lowercased()] else { continue }
            var literals = 0
            var matches = true
            for (part, segment) in zip(parts, segments) {
                if part.hasPrefix("{"), part.hasSuffix("}") {
                    if segment.isEmpty { matches = false; break }
                } else if part == segment {
                    literals += 1
                } else {
                    matches = false
                    break
                }
            }
            if matches, literals > (best?.literals ?? -1) { best = (template, operation, literals) }
        }
        return best.map { ($0.template, $0.operation) }
    }

    func validateBody(_ body: [UInt8], schema: JSONValue, at place: String) -> [String] {
        guard let text = String(validating: body, as: UTF8.self) else { return ["\(place): the body is not UTF-8"] }
        var limits = Limits.default
        limits.maxScalarLength = Int.max
        limits.maxKeyLength = Int.max
        let value: JSONValue
        do {
            value = JSONValue(try JSONReader.read(SourceFile(path: "body", text: text), maxNesting: 10_000, limits: limits))
        } catch {
            return ["\(place): the body is not JSON: \(error.diagnostics.map(\.message).joined(separator: "; "))"]
        }
        var problems: [String] = []
        validate(value, schema, at: "$", problems: &problems)
        return problems.map { "\(place): \($0)" }
    }

    struct BadReference: Error, CustomStringConvertible {
        var reference: String
        var description: String { "the reference \(reference) leads nowhere in the document" }
    }

    /// A `$ref` followed (repeatedly) to what it names, as a JSON pointer into the document.
    func resolve(_ value: JSONValue) throws(BadReference) -> JSONValue {
        var current = value
        var hops = 0
        while let reference = current["$ref"]?.string {
            hops += 1
            guard reference.hasPrefix("#/"), hops < 32 else { throw BadReference(reference: reference) }
            var target = document
            for token in reference.dropFirst(2).split(separator: "/") {
                let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
                guard let next = target[key] else { throw BadReference(reference: reference) }
                target = next
            }
            current = target
        }
        return current
    }

    /// Adds to `problems` every way `value` (at the JSON path `path`) breaks `schema`.
    func validate(_ value: JSONValue, _ schema: JSONValue, at path: String, problems: inout [String]) {
        guard case .object(var keywords) = schema else {
            if schema == .bool(false) { problems.append("\(path): no value is allowed here") }
            return
        }
        if keywords["$ref"] != nil {
            do {
                let target = try resolve(.object(["$ref": keywords["$ref"] ?? .null]))
                validate(value, target, at: path, problems: &problems)
            } catch {
                problems.append("\(path): \(error)")
            }
            keywords["$ref"] = nil
        }
        for (keyword, argument) in keywords.sorted(by: { $0.key < $1.key }) {
            switch keyword {
            case "type":
                let allowed: [String] =
                    if case .array(let names) = argument { names.compactMap(\.string) } else { [argument.string ?? ""] }
                if value.types.isDisjoint(with: allowed) {
                    problems.append("\(path): expected \(allowed.joined(separator: " or ")), found \(Self.describe(value))")
                }
            case "properties":
                guard case .object(let object) = value, case .object(let properties) = argument else { continue }
                for (name, property) in properties.sorted(by: { $0.key < $1.key }) {
                    if let item = object[name] { validate(item, property, at: path + "." + name, problems: &problems) }
                }
                if keywords["additionalProperties"] == nil {
                    for name in object.keys.sorted() where properties[name] == nil {
                        problems.append("\(path).\(name): a property the document does not describe")
                    }
                }
            case "additionalProperties":
                guard case .object(let object) = value else { continue }
                let listed: [String: JSONValue] =
                    if case .object(let properties)? = keywords["properties"] { properties } else { [:] }
                for (name, item) in object.sorted(by: { $0.key < $1.key }) where listed[name] == nil {
                    validate(item, argument, at: path + "." + name, problems: &problems)
                }
            case "required":
                guard case .object(let object) = value, case .array(let names) = argument else { continue }
                for name in names.compactMap(\.string) where object[name] == nil {
                    problems.append("\(path): the required property '\(name)' is missing")
                }
            case "items":
                guard case .array(let items) = value else { continue }
                for (index, item) in items.enumerated() { validate(item, argument, at: "\(path)[\(index)]", problems: &problems) }
            case "enum":
                guard case .array(let options) = argument else { continue }
                if !options.contains(where: value.sameAs) {
                    problems.append("\(path): \(Self.describe(value)) is not one of \(options.map(Self.describe).joined(separator: ", "))")
                }
            case "const":
                if !value.sameAs(argument) { problems.append("\(path): \(Self.describe(value)) is not \(Self.describe(argument))") }
            case "format":
                guard case .string(let text) = value else { continue }
                switch argument.string {
                case "date":
                    if text.wholeMatch(of: /[0-9]{4}-[0-9]{2}-[0-9]{2}/) == nil || LocalDate(iso: text) == nil {
                        problems.append("\(path): '\(text)' is not a date (YYYY-MM-DD)")
                    }
                case "date-time":
                    let rfc3339 = /[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})/
                    if text.wholeMatch(of: rfc3339) == nil || LocalDate(iso: String(text.prefix(10))) == nil {
                        problems.append("\(path): '\(text)' is not a date-time (RFC 3339)")
                    }
                default:
                    problems.append("\(path): the format \(Self.describe(argument)) is not one this validator checks")
                }
            case "pattern":
                guard case .string(let text) = value, let pattern = argument.string else { continue }
                do {
                    if try Regex(pattern).firstMatch(in: text) == nil {
                        problems.append("\(path): '\(text)' does not match \(pattern)")
                    }
                } catch {
                    problems.append("\(path): the pattern \(pattern) is not a regular expression")
                }
            case "minimum", "maximum":
                guard let number = value.double, let bound = argument.double else { continue }
                if keyword == "minimum" ? number < bound : number > bound {
                    problems.append("\(path): \(number) is \(keyword == "minimum" ? "below the minimum" : "above the maximum") \(bound)")
                }
            case "allOf", "anyOf", "oneOf":
                guard case .array(let schemas) = argument else { continue }
                var passing = 0
                var firstFailures: [String] = []
                for schema in schemas {
                    var inner: [String] = []
                    validate(value, schema, at: path, problems: &inner)
                    if inner.isEmpty { passing += 1 } else if firstFailures.isEmpty { firstFailures = inner }
                }
                switch keyword {
                case "allOf": if passing < schemas.count { problems.append(contentsOf: firstFailures) }
                case "anyOf": if passing == 0 { problems.append("\(path): matches none of anyOf (\(firstFailures.first ?? ""))") }
                default: if passing != 1 { problems.append("\(path): matches \(passing) schemas of oneOf, not exactly one") }
                }
            default:
                if !Self.annotations.contains(keyword) {
                    problems.append("\(path): the schema keyword '\(keyword)' is not one this validator implements")
                }
            }
        }
    }

    /// A short description of a value for messages.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): String(flag)
        case .number(let text): text
        case .string(let text): "'\(text.count > 60 ? String(text.prefix(60)) + "…" : text)'"
        case .array(let items): "an array of \(items.count)"
        case .object(let object): "an object {\(object.keys.sorted().prefix(6).joined(separator: ", "))}"
        }
    }
}

/// A test client that checks every answer against `/v1/openapi.yaml` (`OpenAPIContract`) and
/// records a test issue for each breach; `withClient` gives every route test one.
struct ContractCheckingClient: TestClientProtocol {
    /// The client the requests go through.
    let inner: any TestClientProtocol

    var port: Int? { inner.port }

    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws
        -> TestResponse
    {
        let response = try await inner.executeRequest(uri: uri, method: method, headers: headers, body: body)
        switch OpenAPIContract.served {
        case .failure(let error):
            Issue.record(Comment(rawValue: "the OpenAPI document does not read: \(error)"))
        case .success(let contract):
            let problems = contract.problems(
                method: method, uri: uri, status: response.status.code, contentType: response.headers[.contentType],
                body: Array(buffer: response.body))
            for problem in problems {
                Issue.record(Comment(rawValue: "\(method.rawValue) \(uri) breaks /v1/openapi.yaml: \(problem)"))
            }
        }
        return response
    }
}

import Foundation
import Testing

@testable import CriteriaEngine

@Suite("Decimal text")
struct DecimalTextTests {
    @Test(
        "strict decimals are read exactly",
        arguments: [
            ("0", "0"), ("12", "12"), ("-3", "-3"), ("0.5", "0.5"), ("1.10", "1.1"), ("2019", "2019"),
            ("70%", "0.7"), ("95 %", "0.95"), ("1180591620717411303424", "1180591620717411303424"),
            ("9223372036854775807", "9223372036854775807"), ("-9223372036854775808", "-9223372036854775808"),
            ("12345678901234567890123456789012345678", "12345678901234567890123456789012345678"),
        ])
    func accepted(_ text: String, _ expected: String) throws {
        let value = try DecimalText.parse(text).get()
        #expect(value == Decimal(string: expected, locale: Locale(identifier: "en_US_POSIX")))
    }

    @Test("0.95 × 2019 is exactly 1918.05")
    func exactProduct() throws {
        let rate = try DecimalText.parse("0.95").get()
        let count = try DecimalText.parse("2019").get()
        #expect(rate * count == Decimal(string: "1918.05", locale: Locale(identifier: "en_US_POSIX")))
    }

    @Test(
        "YAML 1.1 and spreadsheet number forms are refused with a reason",
        arguments: [
            // Octal and leading zeros (row 11): codes such as 01234 must stay text.
            ("010", DecimalText.Rejection.leadingZero), ("01234", .leadingZero), ("09", .leadingZero),
            ("00", .leadingZero), ("-01", .leadingZero),
            ("0o10", .yamlNumberForm), ("0x1F", .yamlNumberForm), ("0b101", .yamlNumberForm),
            ("1_000", .yamlNumberForm), ("1:30", .yamlNumberForm), ("190:20:30", .yamlNumberForm),
            ("1,5", .decimalComma),
            // Non-finite (row 13).
            (".nan", .nonFinite), ("NaN", .nonFinite), ("nan", .nonFinite), (".inf", .nonFinite),
            ("-.inf", .nonFinite), ("inf", .nonFinite), ("+inf", .nonFinite), ("Infinity", .nonFinite),
            // Booleans and other words (row 9) are not numbers.
            ("no", .notANumber), ("yes", .notANumber), ("on", .notANumber), ("true", .notANumber),
            ("", .notANumber), ("-", .notANumber), ("%", .notANumber), (".5", .notANumber), ("1.", .notANumber),
            ("1e5", .notANumber), ("+5", .notANumber), (" 5", .notANumber), ("5 ", .notANumber),
            ("12abc", .notANumber), ("1.2.3", .notANumber), ("٣", .notANumber), ("５", .notANumber),
            // A digit followed by a combining mark is one Character that is not an ASCII digit.
            ("1\u{301}", .notANumber), ("2\u{20E3}", .notANumber),
            // Too many digits for Decimal (row 12).
            ("123456789012345678901234567890123456789", .outOfRange),
            ("0." + String(repeating: "0", count: 150) + "1", .outOfRange),
        ])
    func refused(_ text: String, _ reason: DecimalText.Rejection) {
        #expect(DecimalText.parse(text) == .failure(reason), "\(text.debugDescription)")
        #expect(!reason.explanation.isEmpty)
    }

    @Test("a percent sign can be refused")
    func percentNotAllowed() {
        #expect(DecimalText.parse("70%", allowPercent: false) == .failure(.percentNotAllowed))
        #expect(DecimalText.parse("70", allowPercent: false) == .success(70))
    }

    @Test("the reader keeps plain scalars as text, so DecimalText sees what was written")
    func readerKeepsText() throws {
        let node = try YAMLReader.read(SourceFile(path: "t", text: "a: 010\nb: 01234\nc: 1:30\nd: no\n"), maxNesting: 4)
        guard case .mapping(let pairs) = node.kind else {
            Issue.record("not a mapping")
            return
        }
        let texts = pairs.compactMap(\.value.scalarText)
        #expect(texts == ["010", "01234", "1:30", "no"])
        #expect(texts.map { DecimalText.parse($0) } == [
            .failure(.leadingZero), .failure(.leadingZero), .failure(.yamlNumberForm), .failure(.notANumber),
        ])
    }
}

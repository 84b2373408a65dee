import Foundation
import Testing

@testable import CriteriaEngine

@Suite("Local dates")
struct LocalDateTests {
    @Test(
        "ISO dates that exist are read",
        arguments: ["2022-03-08", "2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31", "2023-04-30"])
    func valid(_ text: String) throws {
        let date = try #require(LocalDate(iso: text))
        #expect(date.description == text)
    }

    @Test(
        "malformed or impossible dates are refused",
        arguments: [
            "2023-02-29", "1900-02-29", "2023-04-31", "2023-13-01", "2023-00-10", "2023-01-00", "0000-01-01",
            "2022-3-8", "22-03-08", "2022/03/08", "08/03/2022", "2022-03-08T00:00", " 2022-03-08", "2022-03-08 ",
            "+2022-03-08", "2022-03", "", "２０２２-03-08", "2022-0\u{301}3-08", "2022-03-0\u{301}8",
        ])
    func invalid(_ text: String) {
        #expect(LocalDate(iso: text) == nil, "\(text.debugDescription)")
    }

    @Test("dates order chronologically and print in Vietnamese form")
    func orderAndForms() throws {
        let a = try #require(LocalDate(year: 2022, month: 3, day: 8))
        let b = try #require(LocalDate(year: 2022, month: 12, day: 1))
        #expect(a < b)
        #expect(a.vietnamese == "08/03/2022")
        #expect(b.vietnamese == "01/12/2022")
    }

    @Test("the reader keeps a date as text (no YAML 1.1 timestamp)")
    func readerKeepsText() throws {
        let node = try YAMLReader.read(SourceFile(path: "t", text: "since: 2022-03-08\n"), maxNesting: 4)
        guard case .mapping(let pairs) = node.kind else {
            Issue.record("not a mapping")
            return
        }
        #expect(pairs.first?.value.kind == .scalar("2022-03-08", .plain))
    }

    @Test("decoding validates the date like init? does")
    func codable() throws {
        let date = try #require(LocalDate(year: 2024, month: 2, day: 29))
        let data = try JSONEncoder().encode(date)
        #expect(try JSONDecoder().decode(LocalDate.self, from: data) == date)
        let impossible = Data(#"{"year": 2023, "month": 2, "day": 29}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LocalDate.self, from: impossible) }
        let missing = Data(#"{"year": 2023, "month": 2}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LocalDate.self, from: missing) }
    }

    @Test("JSON writes a date as YYYY-MM-DD and reads it back; the three-part form of older records still reads")
    func isoInJSON() throws {
        let date = try #require(LocalDate(iso: "2026-02-15"))
        #expect(String(decoding: try JSONEncoder().encode(date), as: UTF8.self) == #""2026-02-15""#)
        #expect(try JSONDecoder().decode(LocalDate.self, from: Data(#""2026-02-15""#.utf8)) == date)
        #expect(try JSONDecoder().decode(LocalDate.self, from: Data(#"{"year": 2026, "month": 2, "day": 15}"#.utf8)) == date)
        for bad in [#""2026-2-15""#, #""2023-02-29""#, #""15/02/2026""#] {
            #expect(throws: DecodingError.self) { try JSONDecoder().decode(LocalDate.self, from: Data(bad.utf8)) }
        }
    }
}

import Foundation
import Testing

@testable import CriteriaEngine

/// The arithmetic edge: every operation is exact or an error, never a trap, NaN or silent rounding.
@Suite struct ExactArithmeticTests {
    static let posix = Locale(identifier: "en_US_POSIX")
    static func d(_ text: String) -> Decimal { Decimal(string: text, locale: posix) ?? .nan }

    static let nines = "99999999999999999999999999999999999999"  // 38 digits
    /// 10⁻¹⁰¹, which `DecimalText` accepts (one significant digit).
    static let tiny = "0." + String(repeating: "0", count: 100) + "1"

    @Test func smallOperandsAreExact() {
        #expect(ExactArithmetic.add(Self.d("0.1"), Self.d("0.2")) == .success(Self.d("0.3")))
        #expect(ExactArithmetic.multiply(Self.d("0.95"), Self.d("2019")) == .success(Self.d("1918.05")))
        #expect(ExactArithmetic.subtract(Self.d("1"), Self.d("1")) == .success(0))
        #expect(ExactArithmetic.divide(Self.d("17"), Self.d("25")) == .success(Self.d("0.68")))
    }

    @Test func productOfTwoLongNumbersIsAnOverflowNotARoundedValue() {
        // Foundation alone returns 9999…98 followed by 38 zeros, rounded.
        #expect(ExactArithmetic.multiply(Self.d(Self.nines), Self.d(Self.nines)) == .failure(.inexact))
    }

    @Test func productBelowTheSmallestExponentIsAnErrorNotATrap() {
        // `Decimal.*` traps (SIGILL) on this product in swift-foundation.
        #expect(ExactArithmetic.multiply(Self.d(Self.tiny), Self.d(Self.tiny)) == .failure(.outOfRange))
        #expect(ExactArithmetic.multiply(Self.d("0.0000000000000000000000000000000000001"), Self.d(Self.tiny)) == .failure(.outOfRange))
    }

    @Test func exactResultsOfLongOperandsAreKept() {
        // 38 nines + 1 is exactly 10^38: one significant digit.
        #expect(ExactArithmetic.add(Self.d(Self.nines), 1) == .success(Self.d("1" + String(repeating: "0", count: 38))))
        // 38 nines + 0.1 needs 39 digits.
        #expect(ExactArithmetic.add(Self.d(Self.nines), Self.d("0.1")) == .failure(.inexact))
        #expect(ExactArithmetic.multiply(Self.d(Self.nines), 2) == .failure(.inexact))
        #expect(ExactArithmetic.multiply(Self.d("1" + String(repeating: "0", count: 37)), 10) == .success(Self.d("1" + String(repeating: "0", count: 38))))
        #expect(ExactArithmetic.subtract(Self.d(Self.nines), Self.d(Self.nines)) == .success(0))
        #expect(ExactArithmetic.subtract(Self.d("-" + Self.nines), Self.d("0.5")) == .failure(.inexact))
        // Far-apart exponents: exact when the digits fit, refused when they do not.
        #expect(ExactArithmetic.add(Self.d("1e100"), Self.d("1")) == .failure(.inexact))
        #expect(ExactArithmetic.add(Self.d("1e30"), Self.d("1")) == .success(Self.d("1000000000000000000000000000001")))
        #expect(ExactArithmetic.multiply(Self.d("1e100"), Self.d("1e100")) == .failure(.outOfRange))
    }

    @Test func divisionByZeroAndOutOfRangeQuotients() {
        #expect(ExactArithmetic.divide(1, 0) == .failure(.divisionByZero))
        #expect(ExactArithmetic.divide(0, 0) == .failure(.divisionByZero))
        #expect(ExactArithmetic.divide(0, 7) == .success(0))
        #expect(ExactArithmetic.divide(Self.d(Self.tiny), Self.d(Self.nines)) == .failure(.outOfRange))
        #expect(ExactArithmetic.divide(Self.d(Self.nines), Self.d(Self.tiny)) == .success(Self.d(Self.nines + "e101")))
        #expect(ExactArithmetic.divide(Self.d("1e127"), Self.d("1e-127")) == .failure(.outOfRange))
        #expect(ExactArithmetic.divide(1, 3) == .success(Self.d("0.33333333333333333333333333333333333333")))
    }

    @Test func percentageTooCloseToZeroIsRefusedNotNaN() throws {
        let text = "0." + String(repeating: "0", count: 126) + "1"
        #expect(DecimalText.parse(text + "%") == .failure(.outOfRange))
        #expect(DecimalText.parse(text) == .success(Self.d(text)))
        let source = ExpressionSource(text: text + "% > 0", range: SourceRange(file: "x.yaml", line: 3, column: 10), columnShift: 0)
        #expect(throws: DiagnosticsError.self) { try ExpressionParser.parse(source) }
        do {
            _ = try ExpressionParser.parse(source)
        } catch {
            #expect(error.diagnostics.map(\.id) == ["expr.invalid-number"])
            #expect(error.diagnostics.first?.range?.start == CriteriaEngine.SourceLocation(line: 3, column: 10))
        }
    }

    /// Every pair of extreme values through every operation: each gives a value or a failure, and
    /// a value is never NaN (a trap would end the test process).
    @Test func extremeOperandsNeverTrapOrGiveNaN() {
        let values = [
            "0", "1", "-1", "0.5", Self.nines, "-" + Self.nines, Self.tiny, "-" + Self.tiny,
            "0." + String(repeating: "0", count: 63) + "1", "0." + String(repeating: "0", count: 64) + "1",
            "0." + String(repeating: "1", count: 38), "1" + String(repeating: "0", count: 37),
            "0." + String(repeating: "0", count: 126) + "1",
        ].map(Self.d)
        for x in values {
            for y in values {
                for result in [
                    ExactArithmetic.add(x, y), ExactArithmetic.subtract(x, y), ExactArithmetic.multiply(x, y),
                    ExactArithmetic.divide(x, y),
                ] {
                    if case .success(let value) = result { #expect(!value.isNaN, "\(x) and \(y)") }
                }
            }
        }
    }

    /// The slow path agrees with Foundation wherever Foundation is exact.
    @Test func digitArithmeticAgreesWithFoundationOnSmallValues() {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<2000 {
            let x = Self.randomDecimal(&generator)
            let y = Self.randomDecimal(&generator)
            #expect(DecimalDigits(x).adding(DecimalDigits(y)).decimal() == .success(x + y), "\(x) + \(y)")
            #expect(DecimalDigits(x).multiplied(by: DecimalDigits(y)).decimal() == .success(x * y), "\(x) * \(y)")
        }
    }

    static func randomDecimal(_ generator: inout SplitMix64) -> Decimal {
        let digits = Int(generator.next() % 9) + 1
        var text = generator.next() % 2 == 0 ? "-" : ""
        text += String(generator.next() % 9 + 1)
        for _ in 1..<digits { text += String(generator.next() % 10) }
        let scale = Int(generator.next() % 6)
        if scale > 0 { text += "." + (0..<scale).map { _ in String(generator.next() % 10) }.joined() }
        return d(text)
    }
}

/// The arithmetic edge end to end: a rule's arithmetic that has no exact value is unknown, with the
/// reason and the file:line:column of the operation.
@Suite struct ArithmeticInRulesTests {
    static func verdict(_ check: String, facts: String, asOf: String = "2024-12-31") throws -> Verdict {
        let fixture = try RuleSetFixture(["t.yaml": RuleSetFixture.criterion(check, from: "0001-01-01")])
        let graph = try fixture.graph()
        let data = try RuleSetFixture.dataset(RuleSetFixture.commune(facts), graph: graph)
        let result = Evaluator(graph: graph).evaluate(data, asOf: try #require(LocalDate(iso: asOf)))
        return try #require(result.verdicts.first { $0.criterion == "t" })
    }

    /// The check line of `RuleSetFixture.criterion` is line 10; a single-quoted value starts at
    /// column 12, so offset 0 of the expression is column 13.
    static func expectUnknown(_ verdict: Verdict, saying words: String, at column: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(verdict.outcome == .unknown, sourceLocation: sourceLocation)
        let messages = verdict.explanation.missing.map { $0.message.text(in: .en) }
        #expect(messages.contains { $0.contains(words) && $0.contains("t.yaml:10:\(column))") }, "\(messages)", sourceLocation: sourceLocation)
        // The Vietnamese says it in Vietnamese, at the same place.
        for item in verdict.explanation.missing {
            #expect(VietnameseDiagnosticsTests.englishLeft(in: item.message.vi).isEmpty, "\(item.message.vi)", sourceLocation: sourceLocation)
        }
        #expect(verdict.explanation.missing.contains { $0.message.vi.contains("t.yaml:10:\(column))") }, sourceLocation: sourceLocation)
    }

    /// Every evaluation problem has its own words in each language, the Vietnamese without English.
    @Test func everyProblemReadsInBothLanguages() {
        let problems: [EvaluationProblem] = [
            .divisionByZero, .inexact(operation: "*"), .outOfRange(operation: "sum"), .shareOfEmptyList,
            .notAnEntity(.fact("cases")), .notAnEntity(.list), .notAnEntity(.attribute), .notAnEntity(.meets),
            .variableOutsideList, .wrongOperand(operation: "!"), .wrongOperands(operation: "+"), .unordered,
            .conditionNotTruthValue, .sizeOfNonList, .notAListOfEntities, .quantifierWrongType(quantifier: "all"),
        ]
        let vi = problems.map { $0.text(in: .vi) }
        let en = problems.map { $0.text(in: .en) }
        #expect(Set(vi).count == problems.count && Set(en).count == problems.count)
        /// The words of three letters or more outside quotes.
        func words(_ text: String) -> Set<String> {
            let unquoted = text.split(separator: "'", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 0 }
            return Set(
                unquoted.flatMap { $0.element.lowercased().split { !$0.isLetter } }.map(String.init).filter { $0.count >= 3 })
        }
        for (v, e) in zip(vi, en) {
            #expect(VietnameseDiagnosticsTests.englishLeft(in: v).isEmpty, "\(v)")
            // No English word is left in the Vietnamese ("một phép tính hợp lệ: division by zero" was).
            #expect(words(v).isDisjoint(with: words(e)), "\(v) / \(e)")
        }
        #expect(EvaluationProblem.divisionByZero.text(in: .vi) == "chia cho 0")
    }

    @Test func hugeProductIsAnOverflowAtItsPlace() throws {
        let n = ExactArithmeticTests.nines
        let verdict = try Self.verdict("\(n) * \(n) > 0", facts: "a: true")
        Self.expectUnknown(verdict, saying: "needs more than 38 significant digits", at: 13)
    }

    @Test func hugeProductOfFactsIsAnOverflow() throws {
        // Counts of 38 digits are valid data; their product is not a number Criteria can hold.
        let n = ExactArithmeticTests.nines
        let verdict = try Self.verdict("cases * base > 0", facts: "cases: \(n), base: \(n)")
        Self.expectUnknown(verdict, saying: "overflow", at: 13)
    }

    @Test func tinyProductDoesNotCrash() throws {
        let t = ExactArithmeticTests.tiny
        let verdict = try Self.verdict("\(t) * \(t) == 0", facts: "a: true")
        Self.expectUnknown(verdict, saying: "too large or too small", at: 13)
    }

    @Test func divisionByZeroInsideALargerExpression() throws {
        let verdict = try Self.verdict("1 + cases / base >= 1", facts: "cases: 3, base: 0")
        Self.expectUnknown(verdict, saying: "division by zero", at: 17)
    }

    @Test func overflowingAddition() throws {
        let n = ExactArithmeticTests.nines
        let verdict = try Self.verdict("cases + \(n) + \(n) > 0", facts: "cases: \(n)")
        Self.expectUnknown(verdict, saying: "overflow", at: 13)
    }

    @Test func shareOfAListAFilterEmptiedIsUnknownNotNaN() throws {
        let check = "share(hamlets.filter(h, h.safe == false), x, x.safe) >= 50%"
        let verdict = try Self.verdict(check, facts: "a: true")
        Self.expectUnknown(verdict, saying: "'share' of an empty list divides by zero", at: 13)
    }

    @Test func lastYearOfTheFirstYearIsMissingNotATrap() throws {
        let verdict = try Self.verdict("last_year(last_year(cases)) >= 0", facts: "cases: 1", asOf: "0001-06-30")
        #expect(verdict.outcome == .unknown)
        #expect(verdict.explanation.missing.contains { $0.name == "cases" && $0.year == -1 })
    }

    @Test func inYearOutsideItsRangeIsRefusedWhenChecked() throws {
        for year in ["0", "9999", "99999999999999999999999999999999999999", "2019.5"] {
            let fixture = try RuleSetFixture(["t.yaml": RuleSetFixture.criterion("in_year(\(year), cases) >= 0")])
            #expect(throws: DiagnosticsError.self) { try fixture.graph() }
        }
    }

    @Test func evaluationOnTheLastDayOfYear9999() throws {
        let verdict = try Self.verdict("cases >= 0 && last_year(cases) >= 0", facts: "cases: 1", asOf: "9999-12-31")
        #expect(verdict.outcome == .unknown)  // no data for 9999
    }
}

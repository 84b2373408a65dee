import Foundation

/// Renders a rule-test run as text, JUnit XML or the JSON model.
package enum TestReport {
    /// A percentage with one decimal.
    package static func percent(_ value: Double) -> String {
        String(format: "%.1f%%", value)
    }

    /// The text report: one line per case, the mismatches with the explanation, the coverage when
    /// asked, and a closing `N đúng, N sai` (`N passed, N failed`) line, in the language asked.
    package static func text(
        _ report: RuleTestRunner.Report, coverage: Bool, color: Bool, updated: Int = 0, language: Language = .vi
    ) -> String {
        func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        let vi = language == .vi
        // Test names, files, entity ids and snapshot text come from the user: one line each through `DisplayText`.
        let safe: (String) -> String = { DisplayText.line($0) }
        var out = ""
        var currentFile = ""
        for result in report.results {
            if result.file != currentFile {
                currentFile = result.file
                out += "\(safe(currentFile))\n"
            }
            out += "  " + (result.passed ? paint("✓", "32") : paint("✗", "31")) + " \(safe(result.name)) (\(result.asOf))\n"
            for check in result.checks where !check.passed {
                let e = check.expectation
                out += "      \(safe(e.range.file)):\(e.range.start.line):\(e.range.start.column): \(safe(e.criterion)) \(vi ? "của" : "for") \(safe(e.entity)):\n"
                for mismatch in check.mismatches {
                    switch mismatch {
                    case .outcome(let expected, let actual):
                        out += vi
                            ? "        mong đợi kết quả \(expected.rawValue), nhận được \(actual.rawValue)\n"
                            : "        expected outcome \(expected.rawValue), got \(actual.rawValue)\n"
                    case .reasons(let expected, let actual):
                        out += vi
                            ? "        mong đợi lý do [\(safe(expected.joined(separator: ", ")))], nhận được [\(safe(actual.joined(separator: ", ")))]\n"
                            : "        expected reasons [\(safe(expected.joined(separator: ", ")))], got [\(safe(actual.joined(separator: ", ")))]\n"
                    case .snapshot(let path, let expected, _):
                        if expected == nil {
                            out += vi
                                ? "        chưa có ảnh chụp \(safe(path)); hãy chạy với --update-snapshots để ghi\n"
                                : "        snapshot \(safe(path)) is missing; run with --update-snapshots to write it\n"
                        } else {
                            out += (vi ? "        lời giải thích khác ảnh chụp \(safe(path))\n" : "        explanation differs from snapshot \(safe(path))\n")
                                + diff(expected ?? "", check.explanation)
                        }
                    case .sharedSnapshot(let path, let other, let at):
                        out += vi
                            ? "        ảnh chụp \(safe(path)) cũng là ảnh chụp của phép kiểm thử \(safe(QuotedInput.quote(other))) (\(safe(at.file)):\(at.start.line)); hãy đổi tên một trong hai\n"
                            : "        snapshot \(safe(path)) is also the snapshot of the test \(safe(QuotedInput.quote(other))) (\(safe(at.file)):\(at.start.line)); rename one of the two tests\n"
                    }
                }
                out += (vi ? "        lời giải thích:\n" : "        explanation:\n")
                    + check.explanation.split(separator: "\n").map { "          " + safe(String($0)) }.joined(separator: "\n") + "\n"
            }
        }
        if coverage { out += "\n" + coverageText(report.coverage, results: report.results, language: language) }
        if updated > 0 {
            out += vi ? "\nđã ghi \(updated) tệp ảnh chụp\n" : "\nwrote \(updated) snapshot file\(updated == 1 ? "" : "s")\n"
        }
        out += vi ? "\n\(report.passed) đúng, \(report.failed) sai\n" : "\n\(report.passed) passed, \(report.failed) failed\n"
        return out
    }

    private static func diff(_ expected: String, _ actual: String) -> String {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var out = ""
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? String(a[index]) : nil
            let y = index < b.count ? String(b[index]) : nil
            if x != y {
                if let x { out += "          - \(DisplayText.line(x))\n" }
                if let y { out += "          + \(DisplayText.line(y))\n" }
            }
        }
        return out
    }

    /// The coverage report: the share of items covered, each criterion's outcomes, versions and
    /// conditions, each dated parameter value, then what is not covered with a test case to paste.
    package static func coverageText(_ coverage: ClauseCoverage, results: [RuleTestResult] = [], language: Language = .vi) -> String {
        let vi = language == .vi
        func mark(_ seen: Bool) -> String { seen ? "✓" : "·" }
        func boundary(_ positions: [Int]) -> String {
            [(-1, vi ? "dưới" : "below"), (0, vi ? "tại" : "at"), (1, vi ? "trên" : "above")].map { mark(positions.contains($0.0)) + $0.1 }
                .joined(separator: " ")
        }
        let (covered, total) = coverage.counts
        var out = vi
            ? "Độ phủ (điều kiện thấy cả đạt lẫn không đạt, phiên bản thử vào ngày đầu hiệu lực, giá trị theo ngày của tham số\(coverage.clauseWindows.isEmpty ? "" : ", thời hạn riêng của điều kiện thử ở hai bên ranh giới")): \(percent(coverage.percent)) (\(covered)/\(total))\n"
            : "Coverage (conditions seen both passing and failing, versions tested on their first day, dated parameter values\(coverage.clauseWindows.isEmpty ? "" : ", clauses' own windows tested on both sides of each boundary")): \(percent(coverage.percent)) (\(covered)/\(total))\n"
        for criterion in coverage.criteria {
            let outcomes = Outcome.allCases.map { mark(criterion.outcomes.contains($0)) + $0.rawValue }.joined(separator: " ")
            out += "  \(criterion.id)  \(percent(criterion.fraction * 100))  \(vi ? "kết quả" : "outcomes"): \(outcomes)\n"
            let windows = criterion.windows.map {
                "\(mark($0.inside)) \($0.text(in: language)) (\(mark($0.firstDay)) \(vi ? "ngày đầu" : "first day"))"
            }
            var windowLine = "    \(vi ? "hiệu lực" : "in force"): " + windows.joined(separator: "; ") + "; \(mark(criterion.before)) \(vi ? "trước" : "before")"
            if criterion.ends { windowLine += "; \(mark(criterion.after)) \(vi ? "sau" : "after")" }
            out += windowLine + "\n"
            for c in criterion.conditions {
                let ways = vi
                    ? "đạt \(mark(c.seenPass))  không đạt \(mark(c.seenFail))"
                    : "pass \(mark(c.seenPass))  fail \(mark(c.seenFail))"
                var line = "    \(c.bothWays ? "✓" : "✗") \(c.path)  \(ways)"
                if c.isThreshold { line += "  \(vi ? "ngưỡng" : "boundary"): " + boundary(c.positions) }
                out += line + "\n"
            }
        }
        if !coverage.values.isEmpty {
            out += vi ? "  Giá trị theo ngày của tham số:\n" : "  Dated parameter values:\n"
            for v in coverage.values {
                var line = "    \(v.covered ? "✓" : "✗") \(v.parameter) = \(v.value) \(vi ? "từ" : "from") \(v.from) (\(v.criteria.joined(separator: ", ")))"
                line += "  \(mark(v.firstDay)) \(vi ? "ngày đầu" : "first day")"
                if v.isThreshold { line += "  \(vi ? "ngưỡng" : "boundary"): " + boundary(v.positions) }
                out += line + "\n"
            }
        }
        if !coverage.clauseWindows.isEmpty {
            out += vi ? "  Thời hạn hiệu lực riêng của điều kiện:\n" : "  Clauses' own in_force windows:\n"
            for w in coverage.clauseWindows {
                var line = "    \(w.covered ? "✓" : "✗") \(w.path) \(w.text(in: language))"
                if w.opens {
                    line += vi
                        ? "  \(mark(w.dayBefore)) ngày trước  \(mark(w.firstDay)) ngày đầu"
                        : "  \(mark(w.dayBefore)) day before  \(mark(w.firstDay)) first day"
                }
                if w.closes {
                    line += vi
                        ? "  \(mark(w.lastDay)) ngày cuối  \(mark(w.dayAfter)) ngày sau"
                        : "  \(mark(w.lastDay)) last day  \(mark(w.dayAfter)) day after"
                }
                out += line + "\n"
            }
        }
        out += CoverageSuggestion.text(coverage, results: results, language: language)
        return out
    }

    /// The report as JUnit XML: one test suite per file, one test case per rule test.
    package static func junit(_ report: RuleTestRunner.Report) -> String {
        var files: [String] = []
        var byFile: [String: [RuleTestResult]] = [:]
        for result in report.results {
            if byFile[result.file] == nil { files.append(result.file) }
            byFile[result.file, default: []].append(result)
        }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"criteria\" tests=\"\(report.results.count + report.brokenFiles.count)\" failures=\"\(report.failed)\">\n"
        for broken in report.brokenFiles {
            // A file that could not be read is one failed test carrying its errors.
            out += "  <testsuite name=\"\(xml(broken.file))\" tests=\"1\" failures=\"1\">\n"
            out += "    <testcase classname=\"\(xml(broken.file))\" name=\"\(xml(brokenFileName))\">\n"
            let first = broken.diagnostics.first.map(oneLine) ?? ""
            out += "      <failure message=\"\(xml(first))\">\(xml(DiagnosticRenderer().text(broken.diagnostics)))</failure>\n"
            out += "    </testcase>\n  </testsuite>\n"
        }
        for file in files {
            let results = byFile[file] ?? []
            out += "  <testsuite name=\"\(xml(file))\" tests=\"\(results.count)\" failures=\"\(results.filter { !$0.passed }.count)\">\n"
            for result in results {
                out += "    <testcase classname=\"\(xml(file))\" name=\"\(xml(result.name))\""
                if result.passed {
                    out += "/>\n"
                    continue
                }
                out += ">\n"
                var message = ""
                for check in result.checks where !check.passed {
                    message += "\(check.expectation.criterion) for \(check.expectation.entity): "
                    message += check.mismatches.map(describe).joined(separator: "; ") + "\n" + check.explanation + "\n"
                }
                out += "      <failure message=\"\(xml(result.checks.first { !$0.passed }.map { $0.mismatches.map(describe).joined(separator: "; ") } ?? ""))\">\(xml(message))</failure>\n"
                out += "    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    /// The name of the failed test that stands for a test file that could not be read.
    package static let brokenFileName = "(the test file has errors; none of its tests ran)"

    /// A diagnostic on one line: `file:line:column: message [id]`.
    static func oneLine(_ diagnostic: Diagnostic) -> String {
        let place = diagnostic.range.map { "\($0.file):\($0.start.line):\($0.start.column): " } ?? ""
        return place + diagnostic.message + " [\(diagnostic.id.rawValue)]"
    }

    static func describe(_ mismatch: RuleTestCheck.Mismatch) -> String {
        switch mismatch {
        case .outcome(let expected, let actual): "expected outcome \(expected.rawValue), got \(actual.rawValue)"
        case .reasons(let expected, let actual): "expected reasons [\(expected.joined(separator: ", "))], got [\(actual.joined(separator: ", "))]"
        case .snapshot(let path, let expected, _): expected == nil ? "snapshot \(path) is missing" : "explanation differs from snapshot \(path)"
        case .sharedSnapshot(let path, let other, let at): "snapshot \(path) is also the snapshot of the test \(QuotedInput.quote(other)) (\(at.file):\(at.start.line)); rename one of the two tests"
        }
    }

    /// Text escaped for XML attributes and content.
    package static func xml(_ text: String) -> String { XMLText.escape(text) }
}

/// The JSON form of a rule-test run.
package struct TestReportV1: Codable, Sendable {
    /// The model version.
    package var version = OutputModel.version
    /// How many cases passed and failed.
    package var passed: Int
    /// How many cases failed.
    package var failed: Int
    /// Each case.
    package var cases: [Case]
    /// The clause coverage.
    package var coverage: ClauseCoverage
    /// The coverage percentage.
    package var coveragePercent: Double

    /// One case.
    package struct Case: Codable, Sendable {
        /// Its name.
        package var name: String
        /// Its file, line and column.
        package var file: String
        /// Its line.
        package var line: Int
        /// The evaluation date.
        package var asOf: String
        /// Whether it passed.
        package var passed: Bool
        /// Its failed checks, described.
        package var failures: [String]
        /// For a test file that could not be read (`name` is `TestReport.brokenFileName`): its errors.
        package var diagnostics: [Diagnostic]?
    }

    /// Builds the model from a report.
    package init(_ report: RuleTestRunner.Report) {
        passed = report.passed
        failed = report.failed
        coverage = report.coverage
        coveragePercent = report.coverage.percent
        cases = report.results.map { r in
            Case(
                name: r.name, file: r.file, line: r.range.start.line, asOf: r.asOf.description, passed: r.passed,
                failures: r.checks.filter { !$0.passed }.map { c in
                    "\(c.expectation.criterion) for \(c.expectation.entity): " + c.mismatches.map(TestReport.describe).joined(separator: "; ")
                })
        }
        cases = report.brokenFiles.map { broken in
            Case(
                name: TestReport.brokenFileName, file: broken.file, line: broken.diagnostics.first?.range?.start.line ?? 1, asOf: "",
                passed: false, failures: broken.diagnostics.map(TestReport.oneLine), diagnostics: broken.diagnostics)
        } + cases
    }
}

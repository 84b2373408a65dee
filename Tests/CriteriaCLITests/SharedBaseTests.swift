import CriteriaCLI
import CriteriaEngine
import Foundation
import Testing

/// Rule tests that survive a new input (issue #17, item 3): the communes of every test file whose
/// criterion meets xa-ntm.19.2 start from one shared base (`Rules/tests/goc/xa.yaml`, `like:`), so a
/// condition with a new input breaks them until its fact is added there, once.
@Suite struct SharedBaseTests {
    /// Adds `drug_hotspots` (declared) and a clause reading it to xa-ntm.19.2, in a copy of the rules.
    static func rulesWithNewInput() throws -> String {
        let rules = try DatedCoverageTests.rules(editing: "inputs.yaml") {
            $0.replacingOccurrences(of: "\ninputs:\n", with: """

                inputs:
                  - name: drug_hotspots
                    type: count
                    level: commune
                    label: { vi: "Số điểm, tụ điểm phức tạp về ma túy", en: "Drug hotspots" }

                """)
        }
        let file = rules + "/xa-ntm/19.2.yaml"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let clause = """
              - id: khong-tu-diem-ma-tuy
                title: { vi: "Không có điểm, tụ điểm phức tạp về ma túy", en: "No drug hotspot" }
                check: drug_hotspots == 0

            """
        try text.replacingOccurrences(of: "\n  - id: don-vi-an-toan\n", with: "\n" + clause + "  - id: don-vi-an-toan\n")
            .write(toFile: file, atomically: true, encoding: .utf8)
        return rules
    }

    @Test func aNewInputIsAddedToTheSharedBaseOnce() throws {
        #expect(criteria("test", Paths.rules).exitCode == 0)
        let rules = try Self.rulesWithNewInput()
        let broken = criteria("test", rules)
        // Without the new fact, the tests of 19.2 and of every criterion that meets it expect a
        // verdict the rules can no longer decide.
        #expect(broken.exitCode == 1)
        let failed = try #require(broken.stdout.split(separator: "\n").last.flatMap { Int($0.split(separator: " ")[2]) })
        #expect(failed >= 40, "\(broken.stdout.suffix(200))")
        for file in ["xa-ntm/tests/19.2.yaml", "xa-ntm-nang-cao/tests/19.2.yaml", "xa-ntm-kieu-mau/tests/antt.yaml", "huyen-ntm/tests/9.4.yaml", "huyen-ntm-nang-cao/tests/9.1.yaml"] {
            #expect(broken.stdout.contains("\(rules)/\(file)\n"), "\(file) has no failing test")
        }

        // The fact, once, in the shared base: every test passes again.
        let base = rules + "/tests/goc/xa.yaml"
        let text = try String(contentsOfFile: base, encoding: .utf8)
        let fixed = text.replacingOccurrences(of: "            commune_police_disciplined: 0\n", with: "            commune_police_disciplined: 0\n            drug_hotspots: 0\n")
        #expect(fixed != text)
        try fixed.write(toFile: base, atomically: true, encoding: .utf8)
        let repaired = criteria("test", rules)
        #expect(repaired.exitCode == 0, "\(repaired.stdout.suffix(2000))")
        #expect(repaired.stdout.hasSuffix(" đúng, 0 sai\n"))
    }

    /// A test file in a temporary rules folder (a copy of the bundled one), with a shared base file.
    static func folder(test: String, base: String? = nil) throws -> String {
        let rules = try DatedCoverageTests.rules(editing: "xa-ntm/tests/19.2.yaml") { $0 + "\n" }
        if let base {
            try FileManager.default.createDirectory(atPath: rules + "/tests/goc", withIntermediateDirectories: true)
            try base.write(toFile: rules + "/tests/goc/thu.yaml", atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(atPath: rules + "/thu/tests", withIntermediateDirectories: true)
        try test.write(toFile: rules + "/thu/tests/thu.yaml", atomically: true, encoding: .utf8)
        return rules
    }

    @Test func likeMovesTheBaseFactsToAnotherYearAndKeepsTheEntitysOwn() throws {
        let rules = try Self.folder(test: """
            criteria: 1
            include: ../../tests/goc/xa.yaml
            tests:
              - name: ngày đầu có hiệu lực, xã giống xã gốc
                as_of: 2022-03-08
                data:
                  commune:
                    id: "T1"
                    name: Xã Thử
                    like: { fixture: xa-dat-19-2, year: 2022 }
                    facts: { 2022: { serious_crimes: 1, serious_crimes_force_majeure: 1, serious_crimes_handled: 0 } }
                    units: [ { id: T1-1, name: Thôn 1, kind: khu_dan_cu, facts: { 2022: { antt_registered: true, antt_recognised: true } } } ]
                expect:
                  - { criterion: xa-ntm.19.2, outcome: pass }
              - name: xã gốc mà bỏ kế hoạch
                as_of: 2024-12-31
                data:
                  commune: { id: "T2", name: Xã Hai, like: xa-dat-19-2, units: [ { id: T2-1, name: Thôn 1, kind: khu_dan_cu, facts: { 2024: { antt_registered: true, antt_recognised: true } } } ] }
                unset: { T2: { 2024: [antt_plan] } }
                expect:
                  - { criterion: xa-ntm.19.2, outcome: unknown, reasons: [nghi-quyet-ke-hoach] }

            """)
        let output = criteria("test", rules + "/thu/tests/thu.yaml", "--rules", rules)
        #expect(output.exitCode == 0, "\(output.stdout)\(output.stderr)")
        #expect(output.stdout.hasSuffix("2 đúng, 0 sai\n"))
    }

    @Test func aWrongIncludeOrLikeIsALocatedError() throws {
        let rules = try Self.folder(test: """
            criteria: 1
            include: [../../tests/goc/khong-co.yaml, ../../xa-ntm/19.2.yaml]
            fixtures:
              - name: xa
                data: { commune: { id: "T1", name: Xã Thử, like: xa-khong-co } }
            tests:
              - name: thử
                as_of: 2024-12-31
                data: xa
                expect:
                  - { criterion: xa-ntm.19.2, outcome: pass }

            """)
        let output = criteria("test", rules + "/thu/tests/thu.yaml", "--rules", rules, "--format", "json")
        #expect(output.exitCode == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let cases = try #require(json["cases"] as? [[String: Any]])
        let broken = try #require(cases.first)
        #expect(broken["name"] as? String == TestReport.brokenFileName)
        let ids = (broken["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(ids == ["tests.include-not-found", "tests.invalid-include", "tests.unknown-fixture"], "\(ids)")
        let failures = (broken["failures"] as? [String] ?? []).joined(separator: "\n")
        #expect(failures.contains("thu.yaml:2:11: the shared fixtures file '../../tests/goc/khong-co.yaml'"))
        #expect(failures.contains("thu.yaml:2:42: 'include' must name a .yaml file in a folder below a 'tests/' folder, but this is '../../xa-ntm/19.2.yaml'"))
        #expect(failures.contains("thu.yaml:5:54: there is no fixture named 'xa-khong-co'"))
    }

    @Test func theSharedBaseFileIsNeitherARuleNorATestFile() throws {
        #expect(try !RuleSetLoader.ruleFiles(at: Paths.rules).contains { $0.hasSuffix("tests/goc/xa.yaml") })
        #expect(try !RuleTestLoader.testFiles(at: Paths.rules).contains { $0.hasSuffix("tests/goc/xa.yaml") })
    }
}

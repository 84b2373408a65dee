import CriteriaEngine
import Foundation
import Testing

/// The values an explanation shows for folds (`sum`, `share`, `all`…): named by the fold's own text
/// and dated by the year their facts were read for, so "this year" and "last year" can be told apart.
@Suite struct FoldExplanationTests {
    static let data = """
        dataset: 1
        district:
          id: D
          name: Huyện Thử
          communes:
            - { id: A, name: Xã A, facts: { 2023: { social_order_crimes: 10 }, 2024: { social_order_crimes: 10 } } }
            - { id: B, name: Xã B, facts: { 2023: { social_order_crimes: 10 } } }
        """

    @Test func foldValuesAreNamedByTheirTextAndDated() throws {
        let graph = try RuleSetLoader.load(path: repositoryRoot + "/Rules")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fold-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try Self.data.write(to: file, atomically: true, encoding: .utf8)
        let dataset = try DatasetReader.read(path: file.path, inputs: graph.inputs)
        let result = Evaluator(graph: graph).evaluate(dataset, asOf: LocalDate(year: 2024, month: 12, day: 31)!, criteria: ["huyen-ntm.9.4"])
        let verdict = try #require(result.verdicts.first { $0.criterion == "huyen-ntm.9.4" })
        let crime = try #require(verdict.explanation.children.first { $0.id == "huyen-ntm.9.4/kiem-che-toi-pham" })
        #expect(crime.values.map(\.name) == ["sum(communes, c, c.social_order_crimes)", "sum(communes, c, c.social_order_crimes)"])
        #expect(crime.values.map(\.year) == [2024, 2023])
        #expect(crime.values.map(\.value) == [nil, "20"])
        let all = try #require(verdict.explanation.children.first { $0.id == "huyen-ntm.9.4/tat-ca-xa-dat-19-2" })
        #expect(all.values.first?.name == #"communes.all(c, meets(c, "xa-ntm.19.2"))"#)
    }
}

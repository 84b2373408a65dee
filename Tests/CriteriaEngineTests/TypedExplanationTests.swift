import CriteriaEngine
import Foundation
import Testing

/// The typed fields of the explanation model read and write the words of JSON model 1, and a record
/// holding words the model does not know is refused, not misread.
struct TypedExplanationTests {
    static func node(combinator: String, comparison: String) -> String {
        """
        {"id": "t/c", "kind": "group", "combinator": "\(combinator)", "outcome": "fail",
         "title": {"vi": "Điều kiện"}, "values": [], "sentence": {"vi": "không đạt"}, "missing": [],
         "mattered": true, "children": [],
         "requirement": {"comparison": "\(comparison)", "threshold": "38", "actual": "41", "position": 1}}
        """
    }

    @Test(arguments: [("all", GroupKind.all), ("any", .any), ("none", .none), ("at_least 2", .atLeast(2))])
    func aCombinatorReadsAndWritesItsWord(text: String, kind: GroupKind) throws {
        let node = try JSONDecoder().decode(Explanation.self, from: Data(Self.node(combinator: text, comparison: "<=").utf8))
        #expect(node.combinator == kind)
        #expect(node.requirement?.comparison == .lessOrEqual)
        let written = String(decoding: try JSONEncoder().encode(node), as: UTF8.self)
        #expect(written.contains(#""combinator":"\#(text)""#), "\(written)")
        #expect(written.contains(#""comparison":"<=""#), "\(written)")
    }

    @Test(arguments: [("most", "<="), ("at_least two", "<="), ("all", "=<")])
    func anUnknownWordIsRefused(combinator: String, comparison: String) {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Explanation.self, from: Data(Self.node(combinator: combinator, comparison: comparison).utf8))
        }
    }
}

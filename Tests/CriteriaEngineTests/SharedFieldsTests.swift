import CriteriaEngine
import Testing

/// `Citation`, `Requirement` and `InputDeclaration` keep their fields in a box their copies share
/// (`SharedFields`): they must still behave as values.
struct SharedFieldsTests {
    @Test func aChangedCopyLeavesTheOriginalAsItWas() {
        let original = Citation(act: "TT 124/2021/TT-BCA", part: "Điều 5, khoản 4", status: .confirmed, note: "ghi chú")
        var changed = original
        changed.part = "Điều 8, khoản 2"
        changed.status = .provisional
        #expect(original.part == "Điều 5, khoản 4")
        #expect(original.status == .confirmed)
        #expect(changed.part == "Điều 8, khoản 2")
        #expect(changed.act == original.act)
        #expect(changed.note == "ghi chú")
        #expect(changed != original)

        let requirement = Requirement(comparison: .lessOrEqual, threshold: "38", actual: "41", unit: nil, position: 1)
        var other = requirement
        other.actual = "37"
        #expect(requirement.actual == "41")
        #expect(other.actual == "37")

        let input = InputDeclaration(name: "serious_crimes", type: .count, level: .commune, label: LocalizedText(vi: "Tội phạm nghiêm trọng"))
        var renamed = input
        renamed.name = "crimes"
        #expect(input.name == "serious_crimes")
        #expect(renamed.name == "crimes")
        #expect(renamed.type == input.type)
    }

    @Test func valuesThatSayTheSameAreEqualAndHashAlike() {
        let a = Citation(act: "QĐ 318/QĐ-TTg", part: "Phụ lục I", status: .confirmed, quote: "…")
        var b = Citation(act: "QĐ 318/QĐ-TTg", part: "x", status: .confirmed, quote: "…")
        #expect(a != b)
        b.part = "Phụ lục I"
        #expect(a == b)
        #expect(Set([a, b]).count == 1)

        let r1 = Requirement(comparison: .greaterOrEqual, threshold: "0.7", actual: "0.5", unit: nil, position: -1)
        let r2 = Requirement(comparison: .greaterOrEqual, threshold: "0.7", actual: "0.5", unit: nil, position: -1)
        #expect(r1 == r2)
        #expect(r1.hashValue == r2.hashValue)
    }
}

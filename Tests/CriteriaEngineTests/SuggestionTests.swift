import CriteriaEngine
import Testing

@Suite struct SuggestionTests {
    @Test func swappedLettersAreOneEdit() {
        #expect(Suggestion.editDistance("nmae", "name") == 1)
        #expect(Suggestion.closest(to: "nmae", among: ["name", "id"]) == "name")
    }

    @Test func closeTyposAreSuggestedAndFarOnesAreNot() {
        #expect(Suggestion.closest(to: "social_order_crime", among: ["social_order_crimes", "serious_crimes"]) == "social_order_crimes")
        #expect(Suggestion.closest(to: "budget", among: ["social_order_crimes", "serious_crimes"]) == nil)
        #expect(Suggestion.hint(for: "chek", among: ["check", "title"]) == .vi("có phải là 'check' không?", en: "did you mean 'check'?"))
    }
}

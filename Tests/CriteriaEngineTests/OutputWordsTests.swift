@testable import CriteriaEngine
import Testing

/// Output words at the rendering edge: Vietnamese numbers with a decimal comma, English units in the
/// singular for one.
@Suite struct OutputWordsTests {
    @Test func vietnameseNumbersHaveADecimalComma() {
        #expect(Words.shown("57.14%", .vi) == "57,14%")
        #expect(Words.shown("-1.5", .vi) == "-1,5")
        #expect(Words.shown("57.14%", .en) == "57.14%")
        // Not numbers: left as written.
        for text in ["2025", "xa-ntm.19.2", "1.2.3", "15/11/2025", ".5", "xuat_sac"] {
            #expect(Words.shown(text, .vi) == text)
        }
    }

    @Test func englishUnitsAreSingularForOne() {
        let cases = LocalizedText(vi: "vụ", en: "cases")
        #expect(Words.unit(cases, count: "1", .en) == "case")
        #expect(Words.unit(cases, count: "2", .en) == "cases")
        #expect(Words.unit(cases, count: "0", .en) == "cases")
        #expect(Words.unit(cases, count: "1", .vi) == "vụ")
        #expect(Words.unit(LocalizedText(vi: "tụ điểm", en: "hotspots"), count: "1", .en) == "hotspot")
        #expect(Words.unit(LocalizedText(vi: "x", en: "communities"), count: "1", .en) == "community")
    }

    @Test func aValueReadShowsBoth() {
        let value = ObservedValue(
            name: "share", label: LocalizedText(vi: "Tỷ lệ", en: "Share"), unit: nil, value: "57.14%")
        #expect(Words.value(value, .vi).rest == ": 57,14%")
        #expect(Words.value(value, .en).rest == ": 57.14%")
    }
}

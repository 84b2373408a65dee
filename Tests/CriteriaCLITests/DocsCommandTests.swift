import ArgumentParser
import CriteriaCLI
import CriteriaEngine
import Foundation
import Testing

/// The repository root, found from this file's path.
private let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

@Suite struct DocsCommandTests {
    /// Runs `criteria docs` with arguments, in process.
    static func docs(_ arguments: [String]) throws -> CommandOutput {
        try DocsCommand.parse(["--rules", repositoryRoot + "/Rules", "--color", "never"] + arguments).execute()
    }

    static func temporaryFolder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("criteria-docs-\(UUID().uuidString)").path
    }

    @Test func pageOfCommune19_2ShowsClausesParameterAndProvisionalMarks() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let written = try Self.docs(["--output", folder])
        #expect(written.exitCode == 0, "\(written.stderr)")
        let page = try String(contentsOfFile: folder + "/xa-ntm.19.2.md", encoding: .utf8)
        for clause in [
            "nghi-quyet-ke-hoach", "khong-hoat-dong-chong-pha", "khong-khieu-kien-dong-nguoi", "khong-trong-an",
            "kiem-che-toi-pham", "mo-hinh-hieu-qua", "khong-ky-luat-cong-an", "don-vi-an-toan",
            "don-vi-an-toan/don-vi-dang-ky", "don-vi-an-toan/don-vi-cong-nhan",
        ] {
            #expect(page.contains("| `\(clause)` |"), "no row for clause \(clause)")
        }
        // The 70% threshold of TT 124 Art. 5(4) with the date it applies from.
        let parameter = try #require(page.split(separator: "\n").first { $0.hasPrefix("| `safe_unit_share`") })
        #expect(parameter.contains("70%") && parameter.contains("2022-02-10"))
        // don-vi-an-toan is provisional (whether HD 04 repeats TT 124 Art. 5(4) is unknown);
        // nghi-quyet-ke-hoach is confirmed, and quotes TT 124 Art. 5(1).
        let row = try #require(page.split(separator: "\n").first { $0.hasPrefix("| `don-vi-an-toan` |") })
        #expect(row.contains(CriterionPage.provisionalMark))
        let confirmed = try #require(page.split(separator: "\n").first { $0.hasPrefix("| `nghi-quyet-ke-hoach` |") })
        #expect(!confirmed.contains(CriterionPage.provisionalMark))
        #expect(page.contains("Whether HD 04/HD-BCA-V05 repeats the clause inside 19.2 is not known"))
        // The note is given once, on the clause that cites the source, not again on each clause under it.
        #expect(page.contains("- `don-vi-an-toan` \(CriterionPage.provisionalMark):"))
        #expect(!page.contains("- `don-vi-an-toan/don-vi-dang-ky` \(CriterionPage.provisionalMark)"))
        #expect(page.contains("### Nguyên văn căn cứ / The law's wording"))
        #expect(page.contains("  > 1. Quý I hằng năm, Đảng ủy có nghị quyết;"))
        // In force, level, and the rule tests with their expected outcomes.
        #expect(page.contains("| 1 | 2022-03-08 | 2026-02-14 |"))
        #expect(page.contains("| đúng 70% đơn vị được công nhận | 2024-12-31 | `X1` | ✓ đạt (`pass`) |"))
        #expect(page.contains("| trước ngày có hiệu lực | 2022-03-07 | `X1` | – không áp dụng (`not_applicable`) |"))
        let index = try String(contentsOfFile: folder + "/README.md", encoding: .utf8)
        #expect(index.contains("[`xa-ntm.19.2`](xa-ntm.19.2.md)"))
    }

    @Test func checkReportsAStalePage() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try Self.docs(["--output", folder]).exitCode == 0)
        let clean = try Self.docs(["--output", folder, "--check"])
        #expect(clean.exitCode == 0)
        #expect(clean.stdout == "9 trang trong \(folder) đã khớp với quy tắc\n")
        #expect(try Self.docs(["--output", folder, "--check", "--lang", "en"]).stdout == "9 pages in \(folder) are up to date\n")

        let page = folder + "/huyen-ntm.9.4.md"
        let text = try String(contentsOfFile: page, encoding: .utf8)
        try text.replacingOccurrences(of: "2025-06-30", with: "2025-12-31").write(toFile: page, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: folder + "/README.md")
        let stale = try Self.docs(["--output", folder, "--check"])
        #expect(stale.exitCode == 1)
        #expect(stale.stderr.contains("cũ: \(page) (khác với quy tắc)"))
        #expect(stale.stderr.contains("cũ: \(folder)/README.md (chưa có)"))
        #expect(!stale.stderr.contains("xa-ntm.19.2.md"))
        // One line names the command that rewrites these pages, with the options given, in Vietnamese
        // by default and in English with --lang en.
        #expect(stale.stderr.hasSuffix("2/9 trang đã cũ; hãy chạy 'criteria docs --rules \(repositoryRoot)/Rules --output \(folder)' rồi commit kết quả\n"))
        let english = try Self.docs(["--output", folder, "--check", "--lang", "en"])
        #expect(english.exitCode == 1)
        #expect(english.stderr.contains("stale: \(page) (differs from the rules)"))
        #expect(english.stderr.contains("stale: \(folder)/README.md (missing)"))
        #expect(english.stderr.hasSuffix("2 of 9 pages are stale; run 'criteria docs --rules \(repositoryRoot)/Rules --output \(folder)' and commit the result\n"))
        // --check wrote nothing; a plain run repairs both.
        #expect(try String(contentsOfFile: page, encoding: .utf8) != text)
        let repaired = try Self.docs(["--output", folder])
        #expect(repaired.stdout.hasSuffix("9 trang trong \(folder), 2 trang được cập nhật\n"))
        #expect(repaired.stdout.contains("đã ghi \(page)\n"))
        #expect(try Self.docs(["--output", folder, "--check"]).exitCode == 0)
    }
}

import CriteriaCLI
import CriteriaEngine
import Foundation
import Testing

/// `criteria check` on the two-tier sample as Excel's plain "CSV" saves it on a Vietnamese Windows
/// (`;`, CRLF, Windows-1258; made by `Fixtures/data/excel-csv/make.py` in the engine tests).
@Suite struct SpreadsheetCSVCommandTests {
    static let excel = Paths.root + "/Tests/CriteriaEngineTests/Fixtures/data/excel-csv"
    static let utf8 = Paths.root + "/Examples/thanh-hoa-2026/csv"

    @Test("Excel's Windows-1258, ;-separated tables give the verdicts of the UTF-8 tables, with one warning")
    func excelTablesGiveTheSameVerdicts() {
        let excel = criteria("check", Self.excel, "--as-of", "2026-12-07", "--color", "never")
        let utf8 = criteria("check", Self.utf8, "--as-of", "2026-12-07", "--color", "never")
        #expect(excel.exitCode == 0 && utf8.exitCode == 0, "\(excel.stderr.prefix(600))")
        // Everything but the first line, which names the folder.
        #expect(excel.stdout.split(separator: "\n").dropFirst() == utf8.stdout.split(separator: "\n").dropFirst())
        #expect(excel.stdout.contains("Xã") || excel.stdout.contains("Phường"))
        #expect(excel.stderr.contains("cảnh báo: các tệp communes.csv, dataset.csv, districts.csv, province.csv, units.csv không phải UTF-8"))
        #expect(excel.stderr.contains("[data.converted-encoding]"))
        #expect(!utf8.stderr.contains("data.converted-encoding"))
    }
}

/// How the tool tells what it is and completes in a shell (README, "Installing `criteria` on the PATH").
@Suite struct VersionAndCompletionTests {
    @Test("--version prints the engine's version, the one the server reports")
    func version() {
        let out = criteria("--version")
        #expect(out.exitCode == 0)
        #expect(out.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == EngineVersion.current)
        #expect(EngineVersion.current.split(separator: ".").count == 3)
    }

    @Test("the completion script names the subcommands", arguments: ["bash", "zsh", "fish"])
    func completion(shell: String) {
        let out = criteria("--generate-completion-script", shell)
        #expect(out.exitCode == 0)
        for command in ["check", "explain", "report", "changes", "serve"] { #expect(out.stdout.contains(command)) }
    }
}

import CriteriaCLI
import Foundation
import Testing

/// The mistakes a new user makes first: each gives one clear sentence and a non-zero exit.
@Suite("Error messages")
struct ErrorMessageTests {
    /// A one-line `lỗi: …` (`error: …` in English) on standard error, nothing on standard output.
    func expectOneSentence(_ out: CommandOutput, exit code: Int32, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(out.exitCode == code, sourceLocation: sourceLocation)
        #expect(out.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(out.stderr.hasPrefix("lỗi: ") || out.stderr.hasPrefix("error: "), sourceLocation: sourceLocation)
        #expect(out.stderr.filter { $0 == "\n" }.count == 1, "more than one line: \(out.stderr)", sourceLocation: sourceLocation)
    }

    @Test("a wrong entity id suggests the closest one")
    func wrongEntity() {
        let out = criteria("explain", Paths.dataset, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--entity", "99l01")
        expectOneSentence(out, exit: 64)
        #expect(normalized(out.stderr) == "lỗi: không có đơn vị nào mã '99l01' trong Fixtures/mini-province.yaml; có phải là '99101' không?\n")
        let english = criteria("explain", Paths.dataset, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--entity", "99l01", "--lang", "en")
        expectOneSentence(english, exit: 64)
        #expect(normalized(english.stderr) == "error: there is no entity with id '99l01' in Fixtures/mini-province.yaml; did you mean '99101'?\n")
    }

    @Test("an entity's name instead of its id says which id to use")
    func nameForID() {
        let out = criteria("check", Paths.dataset, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--entity", "Xã Dương")
        expectOneSentence(out, exit: 64)
        #expect(out.stderr.contains("'Xã Dương' là tên của 99202 — hãy dùng mã của nó"))
        let english = criteria("check", Paths.dataset, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--entity", "Xã Dương", "--lang", "en")
        #expect(english.stderr.contains("'Xã Dương' is the name of 99202 — use its id"))
    }

    @Test("a criterion that does not exist suggests the closest one", arguments: ["check", "explain", "graph"])
    func unknownCriterion(command: String) {
        var arguments = [command]
        if command != "graph" { arguments += [Paths.dataset, "--as-of", "2024-12-31"] }
        if command == "explain" { arguments += ["--entity", "99101"] }
        let out = CriteriaCommand.output(arguments: arguments + ["--rules", Paths.fixedRules, "--criterion", "xa-ntm.19.3"])
        expectOneSentence(out, exit: 64)
        // Vietnamese by default, English with --lang en.
        #expect(out.stderr.hasPrefix("lỗi: không có tiêu chí 'xa-ntm.19.3' trong "))
        #expect(out.stderr.contains("có phải là 'xa-ntm.19.2' không?"))
        let english = CriteriaCommand.output(arguments: arguments + ["--rules", Paths.fixedRules, "--criterion", "xa-ntm.19.3", "--lang", "en"])
        expectOneSentence(english, exit: 64)
        #expect(english.stderr.hasPrefix("error: there is no criterion 'xa-ntm.19.3' in "))
        #expect(english.stderr.contains("did you mean 'xa-ntm.19.2'?"))
    }

    @Test("a criterion of another level than the entity says both levels")
    func criterionOfAnotherLevel() {
        let out = criteria(
            "explain", Paths.dataset, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--entity", "99101", "--criterion", "huyen-ntm.9.4")
        expectOneSentence(out, exit: 64)
        #expect(out.stderr == "lỗi: '99101' là Xã An (cấp xã), nhưng huyen-ntm.9.4 áp dụng cho cấp huyện\n")
        let english = criteria(
            "explain", Paths.dataset, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--entity", "99101", "--criterion", "huyen-ntm.9.4",
            "--lang", "en")
        #expect(english.stderr == "error: '99101' is Xã An, a commune, but huyen-ntm.9.4 applies to a district\n")
    }

    @Test("an entity of a level no criterion applies to says its level")
    func entityOfALevelWithoutCriteria() {
        let arguments = ["explain", Paths.dataset, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--entity", "99202-03"]
        let out = CriteriaCommand.output(arguments: arguments)
        expectOneSentence(out, exit: 64)
        #expect(out.stderr == "lỗi: không có tiêu chí nào của bộ quy tắc này áp dụng cho cấp thôn; '99202-03' là Thôn 3 (cấp thôn)\n")
        let english = CriteriaCommand.output(arguments: arguments + ["--lang", "en"])
        #expect(english.stderr == "error: no criterion of these rules applies to a hamlet; '99202-03' is Thôn 3, a hamlet\n")
    }

    @Test("a date before any rule was in force gives the period and a date to use", arguments: ["check", "report"])
    func dateBeforeRules(command: String) {
        var arguments = [command, Paths.dataset, "--rules", Paths.fixedRules, "--as-of", "2021-12-31"]
        if command == "report" { arguments += ["--plan", Paths.plan] }
        let out = CriteriaCommand.output(arguments: arguments)
        #expect(out.exitCode == 64)
        #expect(out.stdout.isEmpty)
        // In Vietnamese by default: the date, every criterion with its periods, and the nearest date in force.
        #expect(out.stderr.hasPrefix("lỗi: Không có tiêu chí nào có hiệu lực vào ngày 31/12/2021. Thời gian hiệu lực của các tiêu chí:\n"))
        #expect(out.stderr.contains("\nxa-ntm.19.2 (Xã đạt chuẩn an toàn về an ninh, trật tự xã hội và đảm bảo bình yên): từ 08/03/2022 đến 14/02/2026\n"))
        #expect(out.stderr.contains("\nHãy chọn một ngày trong các khoảng đó, ví dụ "))
        let english = CriteriaCommand.output(arguments: arguments + ["--lang", "en"])
        #expect(english.stderr.hasPrefix("error: No criterion is in force on 2021-12-31. The criteria are in force:\n"))
        #expect(english.stderr.contains("\nxa-ntm.19.2 (The commune meets the security, social-order and peace standard): from 2022-03-08 until 2026-02-14\n"))
    }

    @Test("a date that is not a date")
    func badDate() {
        let out = criteria("check", Paths.dataset, "--rules", Paths.fixedRules, "--as-of", "31/12/2024")
        expectOneSentence(out, exit: 64)
        #expect(out.stderr == "lỗi: --as-of '31/12/2024' không phải là một ngày; hãy viết theo dạng YYYY-MM-DD, ví dụ 2024-12-31\n")
        let english = criteria("check", Paths.dataset, "--rules", Paths.fixedRules, "--as-of", "31/12/2024", "--lang", "en")
        #expect(english.stderr == "error: --as-of '31/12/2024' is not a date; write it as YYYY-MM-DD, e.g. 2024-12-31\n")
        // diff reads --as-of itself, with the same sentence.
        let diff = criteria("diff", Paths.fixedRules, Paths.fixedRules, "--data", Paths.dataset, "--as-of", "31/12/2024")
        #expect(diff.exitCode == 64)
        #expect(diff.stderr == "lỗi: --as-of '31/12/2024' không phải là một ngày; hãy viết theo dạng YYYY-MM-DD, ví dụ 2024-12-31\n")
    }

    @Test("a test run that finds no test says so in the chosen language")
    func noTests() {
        let out = criteria("test", Paths.rules, "--rules", Paths.rules, "--filter", "no such test name")
        #expect(out.exitCode == 1)
        #expect(out.stderr == "lỗi: không tìm thấy phép kiểm thử nào trong \(Paths.rules) có tên chứa 'no such test name'\n")
        let english = criteria("test", Paths.rules, "--rules", Paths.rules, "--filter", "no such test name", "--lang", "en")
        #expect(english.stderr == "error: no rule tests found in \(Paths.rules) matching 'no such test name'\n")
    }

    @Test("an unreadable dataset", arguments: ["check", "report"])
    func unreadableDataset(command: String) {
        var arguments = [command, Paths.fixtures + "/no-such-file.yaml", "--rules", Paths.fixedRules, "--as-of", "2024-12-31"]
        if command == "report" { arguments += ["--plan", Paths.plan] }
        let out = CriteriaCommand.output(arguments: arguments)
        expectOneSentence(out, exit: 1)
        #expect(normalized(out.stderr) == "lỗi: không đọc được 'Fixtures/no-such-file.yaml': không có tệp hay thư mục này\n")
        let english = CriteriaCommand.output(arguments: arguments + ["--lang", "en"])
        #expect(normalized(english.stderr) == "error: cannot read 'Fixtures/no-such-file.yaml': no such file or folder\n")
    }

    @Test("a CSV table instead of its folder")
    func csvTable() throws {
        let path = try temporaryFile("communes.csv", "id,name\n")
        let out = criteria("check", path, "--rules", Paths.fixedRules, "--as-of", "2024-12-31")
        expectOneSentence(out, exit: 1)
        #expect(out.stderr.contains("bộ dữ liệu CSV là một thư mục các bảng; hãy đưa thư mục chứa tệp này"))
    }

    @Test("a plan file with a typo: one located diagnostic with a did-you-mean")
    func planTypo() throws {
        let plan = try String(contentsOfFile: Paths.plan, encoding: .utf8)
            .replacingOccurrences(of: "    meeting: xa-ntm-nang-cao.19.2", with: "    meting: xa-ntm-nang-cao.19.2")
        let path = try temporaryFile("plan.yaml", plan)
        let out = criteria("report", Paths.dataset, "--rules", Paths.fixedRules, "--plan", path, "--as-of", "2024-12-31")
        #expect(out.exitCode == 1)
        #expect(out.stdout.isEmpty)
        let lines = out.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix(path + ":") == true)
        #expect(lines.first?.hasSuffix(": lỗi: khoá 'meting' không có trong mục tiêu [plan.unknown-key]") == true)
        #expect(lines.contains("      = gợi ý: có phải là 'meeting' không?"))
        #expect(lines.last == "1 lỗi")
        // The same diagnostic in English with --lang en.
        let en = criteria("report", Paths.dataset, "--rules", Paths.fixedRules, "--plan", path, "--as-of", "2024-12-31", "--lang", "en")
        let enLines = en.stderr.split(separator: "\n").map(String.init)
        #expect(enLines.first?.hasSuffix(": error: unknown key 'meting' in the target [plan.unknown-key]") == true)
        #expect(enLines.contains("      = hint: did you mean 'meeting'?"))
        #expect(enLines.last == "1 error")
    }

    @Test("a plan naming a criterion that does not exist")
    func planUnknownCriterion() throws {
        let plan = try String(contentsOfFile: Paths.plan, encoding: .utf8)
            .replacingOccurrences(of: "meeting: huyen-ntm.9.4", with: "meeting: huyen-ntm.9.5")
        let path = try temporaryFile("plan.yaml", plan)
        let out = criteria("report", Paths.dataset, "--rules", Paths.fixedRules, "--plan", path, "--as-of", "2024-12-31", "--lang", "en")
        #expect(out.exitCode == 1)
        #expect(out.stderr.contains("error: there is no criterion 'huyen-ntm.9.5' in the rules [plan.unknown-criterion]"))
        #expect(out.stderr.contains("= hint: did you mean 'huyen-ntm.9.4'?"))
        #expect(out.stderr.hasSuffix("1 error\n"))
    }

    @Test("a missing plan file")
    func missingPlan() {
        let out = criteria("report", Paths.dataset, "--rules", Paths.fixedRules, "--plan", Paths.fixtures + "/no-plan.yaml", "--as-of", "2024-12-31")
        expectOneSentence(out, exit: 1)
        #expect(normalized(out.stderr) == "lỗi: không đọc được 'Fixtures/no-plan.yaml': không có tệp này\n")
    }

    @Test("an unknown format is a usage error")
    func unknownFormat() {
        let out = criteria("check", Paths.dataset, "--format", "pdf")
        #expect(out.exitCode == 64)
        #expect(out.stderr.contains("'pdf'"))
    }

    @Test("report without --as-of says the date is today, and measures what it can")
    func reportToday() {
        let out = criteria("report", Paths.dataset, "--rules", Paths.fixedRules, "--plan", Paths.plan, "--lang", "en")
        #expect(out.exitCode == 0)
        #expect(out.stdout.contains("! The evaluation date is today ("))
        #expect(out.stdout.contains("because --as-of was not given; choose another with --as-of YYYY-MM-DD."))
    }
}

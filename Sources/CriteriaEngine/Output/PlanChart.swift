import Foundation

/// Charts of a plan report's targets as inline SVG, drawn on the server: no script, nothing loaded
/// from elsewhere, and readable without colour.
///
/// Each outcome has its own fill pattern (met: solid, unknown: diagonal hatching, not met: cross
/// hatching) shown in a legend with its word, every bar carries its figures as text, and the
/// `<svg>` is an image (`role="img"`) named by its `<title>` and described by its `<desc>` (one
/// sentence with the figures). The text table beside each chart (`HTMLRenderer`) says the same in
/// rows. The markup is well-formed XML, every text escaped. Used by `criteria report --format html`
/// and by the server's plan page.
package struct PlanChart: Sendable {
    /// The language of the labels.
    package var language: Language

    /// Creates a renderer.
    package init(language: Language = .vi) {
        self.language = language
    }

    private var vi: Bool { language == .vi }
    private func t(_ vi: String, _ en: String) -> String { self.vi ? vi : en }
    private func e(_ text: String) -> String { XMLText.escape(text) }

    // Geometry, in the view box's units.
    static let width = 820
    static let labelWidth = 200
    static let barX = 210
    static let barWidth = 360
    static let rowHeight = 30
    static let barHeight = 18
    static let top = 28

    /// The chart of one target: a share target's bars (the whole, then one per parent when there are
    /// several), or a reduction target's units against their limits; `nil` when there is nothing to
    /// draw (a target that does not apply on the date).
    ///
    /// - Parameter id: a prefix for the chart's element ids, unique on the page.
    package func chart(_ result: PlanTargetResult, year: Int, id: String) -> String? {
        if let share = result.share, share.total > 0 {
            return shareChart(result, share, year: year, id: id)
        }
        if !result.units.isEmpty {
            return reductionChart(result, year: year, id: id)
        }
        return nil
    }

    // MARK: Share targets

    private func shareChart(_ result: PlanTargetResult, _ s: ShareMeasurement, year: Int, id: String) -> String {
        let words = ReportWords(language: language)
        var rows: [(label: String, passed: Int, unknown: Int, total: Int)] = [
            (t("Tổng cộng", "All"), s.passed, s.unknown, s.total)
        ]
        if result.groups.count > 1 {
            rows += result.groups.map { ($0.name.isEmpty ? "–" : $0.name, $0.passed, $0.unknown, $0.total) }
        }
        let height = Self.top + rows.count * Self.rowHeight + 78
        let title = t("Tỷ lệ \(words.plural(s.level, 2)) đạt \(s.criterion)", "Share of \(s.level.pluralName) meeting \(s.criterion)")
        var out = open(id: id, height: height, title: title, description: words.summary(result, year: year))
        out += patterns(id: id)
        let required = s.required
        let requiredX = Double(Self.barX) + (Self.double(required) * Double(Self.barWidth))
        for (index, row) in rows.enumerated() {
            let y = Self.top + index * Self.rowHeight
            out += text(Self.labelWidth, y + 13, clip(row.label, 30), anchor: "end", bold: index == 0)
            var x = Double(Self.barX)
            let failed = row.total - row.passed - row.unknown
            for (count, kind) in [(row.passed, "pass"), (row.unknown, "unknown"), (failed, "fail")] where count > 0 {
                let w = Double(count) / Double(row.total) * Double(Self.barWidth)
                out += "<rect x=\"\(Self.f(x))\" y=\"\(y)\" width=\"\(Self.f(w))\" height=\"\(Self.barHeight)\" fill=\"url(#\(e(id))-\(kind))\" stroke=\"#1f2328\" stroke-width=\"1\"/>\n"
                x += w
            }
            let share = Words.shown(ValueFormatter.percentText(Decimal(row.passed) / Decimal(row.total)), language)
            var figures = "\(row.passed)/\(row.total) (\(share))"
            if row.unknown > 0 { figures += t(" · \(row.unknown) chưa rõ", " · \(row.unknown) unknown") }
            out += text(Self.barX + Self.barWidth + 10, y + 13, figures)
        }
        let bottom = Self.top + rows.count * Self.rowHeight
        // The required share, across every bar, named above them.
        out += "<line x1=\"\(Self.f(requiredX))\" y1=\"\(Self.top - 6)\" x2=\"\(Self.f(requiredX))\" y2=\"\(bottom - 6)\" stroke=\"#1f2328\" stroke-width=\"2.5\" stroke-dasharray=\"6 3\"/>\n"
        let requiredLabel = t("cần ≥ ", "required ≥ ") + Words.shown(ValueFormatter.percentText(required), language) + " (\(s.needed)/\(s.total))"
        out += text(Int(requiredX.rounded()), Self.top - 10, requiredLabel, anchor: requiredX > Double(Self.barX + Self.barWidth / 2) ? "end" : "start", bold: true)
        out += axis(y: bottom)
        out += legend(
            id: id, y: bottom + 36,
            items: [("pass", t("đạt", "pass")), ("unknown", t("chưa xác định", "unknown")), ("fail", t("không đạt", "fail"))],
            marker: t("mức yêu cầu", "required share"))
        return out + "</svg>\n"
    }

    /// The percentage axis under the bars: 0, 25, 50, 75 and 100%.
    private func axis(y: Int) -> String {
        var out = "<line x1=\"\(Self.barX)\" y1=\"\(y - 4)\" x2=\"\(Self.barX + Self.barWidth)\" y2=\"\(y - 4)\" stroke=\"#57606a\" stroke-width=\"1\"/>\n"
        for step in 0...4 {
            let x = Self.barX + Self.barWidth * step / 4
            out += "<line x1=\"\(x)\" y1=\"\(y - 4)\" x2=\"\(x)\" y2=\"\(y)\" stroke=\"#57606a\" stroke-width=\"1\"/>\n"
            out += text(x, y + 12, "\(step * 25)%", anchor: "middle", small: true)
        }
        return out
    }

    // MARK: Reduction targets

    private func reductionChart(_ result: PlanTargetResult, year: Int, id: String) -> String {
        let words = ReportWords(language: language)
        let n = ValueFormatter.numberText
        let scale = result.units.map { max($0.current, $0.limit) }.max() ?? 0
        let height = Self.top + result.units.count * Self.rowHeight + 70
        var baselineYear = 0
        if case .reduction(_, let base, _, _) = result.target.measure { baselineYear = base }
        let title = t("Số liệu năm \(year) so với mức tối đa (theo năm \(baselineYear))", "Figures of \(year) against the most allowed (from \(baselineYear))")
        var out = open(id: id, height: height, title: title, description: words.summary(result, year: year))
        out += patterns(id: id)
        for (index, unit) in result.units.enumerated() {
            let y = Self.top + index * Self.rowHeight
            out += text(Self.labelWidth, y + 13, clip(unit.name, 30), anchor: "end")
            let w = scale > 0 ? Self.double(unit.current / scale) * Double(Self.barWidth) : 0
            out += "<rect x=\"\(Self.barX)\" y=\"\(y)\" width=\"\(Self.f(max(w, 1)))\" height=\"\(Self.barHeight)\" fill=\"url(#\(e(id))-\(unit.outcome == .pass ? "pass" : unit.outcome == .fail ? "fail" : "unknown"))\" stroke=\"#1f2328\" stroke-width=\"1\"/>\n"
            let limitX = Double(Self.barX) + (scale > 0 ? Self.double(unit.limit / scale) * Double(Self.barWidth) : 0)
            out += "<line x1=\"\(Self.f(limitX))\" y1=\"\(y - 4)\" x2=\"\(Self.f(limitX))\" y2=\"\(y + Self.barHeight + 4)\" stroke=\"#1f2328\" stroke-width=\"3\"/>\n"
            let figures = words.unitFigures(unit)
            out += text(Self.barX + Self.barWidth + 10, y + 13, "\(figures.current) / " + t("tối đa ", "at most ") + figures.limit + " — " + words.outcome(unit.outcome))
        }
        let bottom = Self.top + result.units.count * Self.rowHeight
        out += text(Self.barX, Self.top - 10, t("0", "0") + " … " + n(scale), small: true)
        out += legend(
            id: id, y: bottom + 20,
            items: [("pass", t("đạt", "met")), ("unknown", t("chưa xác định", "unknown")), ("fail", t("chưa đạt", "not met"))],
            marker: t("mức tối đa", "most allowed"), solidMarker: true)
        return out + "</svg>\n"
    }

    // MARK: Pieces

    private func open(id: String, height: Int, title: String, description: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(Self.width) \(height)\" width=\"100%\" role=\"img\" "
            + "aria-labelledby=\"\(e(id))-title \(e(id))-desc\" id=\"\(e(id))\">\n"
            + "<title id=\"\(e(id))-title\">\(e(title))</title>\n<desc id=\"\(e(id))-desc\">\(e(description))</desc>\n"
    }

    /// The three fills, told apart without colour: solid, diagonal hatching, cross hatching.
    private func patterns(id: String) -> String {
        let p = e(id)
        return """
            <defs>
            <pattern id="\(p)-pass" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#1a7f37"/></pattern>
            <pattern id="\(p)-unknown" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#fff8e1"/><line x1="0" y1="0" x2="0" y2="8" stroke="#8a5a00" stroke-width="3"/></pattern>
            <pattern id="\(p)-fail" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#ffffff"/><path d="M0 0L8 8M8 0L0 8" stroke="#c62828" stroke-width="1.5"/></pattern>
            </defs>

            """
    }

    private func legend(id: String, y: Int, items: [(String, String)], marker: String, solidMarker: Bool = false) -> String {
        var out = ""
        var x = Self.barX
        for (kind, word) in items {
            out += "<rect x=\"\(x)\" y=\"\(y - 11)\" width=\"22\" height=\"14\" fill=\"url(#\(e(id))-\(kind))\" stroke=\"#1f2328\" stroke-width=\"1\"/>\n"
            out += text(x + 28, y, word)
            x += 40 + word.count * 8
        }
        let dash = solidMarker ? " stroke-width=\"3\"" : " stroke-width=\"2.5\" stroke-dasharray=\"6 3\""
        out += "<line x1=\"\(x + 8)\" y1=\"\(y - 13)\" x2=\"\(x + 8)\" y2=\"\(y + 4)\" stroke=\"#1f2328\"\(dash)/>\n"
        out += text(x + 18, y, marker)
        return out
    }

    private func text(_ x: Int, _ y: Int, _ content: String, anchor: String = "start", bold: Bool = false, small: Bool = false) -> String {
        let weight = bold ? " font-weight=\"700\"" : ""
        return "<text x=\"\(x)\" y=\"\(y)\" text-anchor=\"\(anchor)\" font-size=\"\(small ? 11 : 13)\" fill=\"#1f2328\"\(weight)>\(e(content))</text>\n"
    }

    /// A label cut to `limit` characters with an ellipsis (the table beside the chart has it whole).
    private func clip(_ label: String, _ limit: Int) -> String {
        let line = DisplayText.line(label)
        return line.count <= limit ? line : String(line.prefix(limit - 1)) + "…"
    }

    static func double(_ value: Decimal) -> Double { NSDecimalNumber(decimal: value).doubleValue }

    /// A coordinate with at most two decimals.
    static func f(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

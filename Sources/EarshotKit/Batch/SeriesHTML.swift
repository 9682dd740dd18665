import Foundation

/// series.html: the series report as one self-contained page (inline CSS and SVG, no scripts,
/// nothing fetched): the four consistency measures as dot plots around the series median with
/// the tolerance band, each episode's third-octave balance against the series median, a table
/// of every episode, the words the mix costs per scenario (with those lost to the situation as
/// context), and the failures.
enum SeriesHTML {
    static func page(_ r: SeriesReport) -> String {
        var h = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Series QC — earshot</title>
        <style>
        body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
        h1{font-size:22px}h2{font-size:17px;margin-top:28px}
        table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 7px;text-align:right}
        th{background:#f2f2f2}td:first-child,th:first-child{text-align:left}
        .out{color:#b00;font-weight:600}.note{color:#555}.fail{color:#b00}
        svg{display:block;margin:6px 0 14px}svg text{font:11px system-ui,sans-serif;fill:#333}
        </style></head><body>
        <h1>Series QC</h1>
        <p>\(r.episodeCount) episodes: \(r.episodes.count) checked, \(r.failed.count) failed. Scenarios: \(esc(r.scenarios.joined(separator: ", "))).</p>

        """
        h += "<h2>Consistency</h2><table><tr><th>measure</th><th>median</th><th>min</th><th>max</th><th>tolerance</th><th>outliers</th></tr>"
        for (label, spread, unit) in measures(r) {
            h += "<tr><td>\(esc(label))</td><td>\(fmt(spread.median)) \(unit)</td><td>\(fmt(spread.min))</td><td>\(fmt(spread.max))</td>"
            h += "<td>±\(fmt(spread.tolerance))</td><td class=\"\(spread.outliers.isEmpty ? "" : "out")\">\(spread.outliers.isEmpty ? "none" : esc(spread.outliers.joined(separator: ", ")))</td></tr>"
        }
        h += "</table>\n<p class=\"note\">Spectral tilt: \(esc(SpectralBalance.definition)).</p>\n"

        let names = r.episodes.map(\.name)
        h += "<h2>Integrated loudness (LUFS)</h2>" + dotPlot(names, r.episodes.map(\.integratedLUFS), r.loudness, unit: "LUFS")
        h += "<h2>Dialogue level (LUFS)</h2>" + dotPlot(names, r.episodes.map(\.dialogueIntegratedLUFS), r.dialogueLevel, unit: "LUFS")
        h += "<h2>Dialogue over M&amp;E (LU, median over lines; shaded green: the mobile +6 to +10 LU)</h2>"
            + dotPlot(names, r.episodes.map(\.dialogueToMusicAndEffectsLU), r.dialogueToMusicAndEffects, unit: "LU", recommended: 6...10)
        h += "<h2>Spectral tilt (dB, 2–5 kHz minus 100–500 Hz)</h2>" + dotPlot(names, r.episodes.map(\.spectralTiltDB), r.spectralTilt, unit: "dB")
        h += "<h2>Third-octave balance against the series median (dB; each episode's spectrum relative to its own level)</h2>" + balancePlot(r)

        h += "<h2>Episodes</h2><table><tr><th>episode</th><th>LUFS</th><th>Δ LU</th><th>true peak dBTP</th><th>LRA LU</th><th>dialogue LUFS</th><th>dialogue/M&amp;E LU</th><th>tilt dB</th></tr>"
        for e in r.episodes {
            func cell(_ v: Double?, _ spread: SeriesReport.Spread, signed: Bool = false) -> String {
                "<td class=\"\(spread.outliers.contains(e.name) ? "out" : "")\">\(fmt(v, signed: signed))</td>"
            }
            h += "<tr><td>\(episodeLink(e.name))</td>" + cell(e.integratedLUFS, r.loudness)
            h += cell(e.integratedLUFS.flatMap { v in r.loudness.median.map { v - $0 } }, r.loudness, signed: true)
            h += "<td>\(fmt(e.truePeakDBTP))</td><td>\(fmt(e.loudnessRangeLU))</td>"
            h += cell(e.dialogueIntegratedLUFS, r.dialogueLevel) + cell(e.dialogueToMusicAndEffectsLU, r.dialogueToMusicAndEffects)
            h += cell(e.spectralTiltDB, r.spectralTilt) + "</tr>\n"
        }
        h += "</table>\n"

        h += "<h2>Masked by the mix, per scenario</h2><p>Words masked that would be heard without the music and effects, of all words; "
            + "in brackets, words lost to the situation (masked even without the mix: the device or the place is the limit), as context.</p>"
        h += "<table><tr><th>episode</th>" + r.scenarios.map { "<th>\(esc($0))</th>" }.joined() + "</tr>"
        for e in r.episodes {
            h += "<tr><td>\(episodeLink(e.name))</td>"
            for (k, s) in r.scenarios.enumerated() {
                guard let m = e.maskedWords.first(where: { $0.scenario == s }), let masked = m.masked, let total = m.total else { h += "<td>–</td>"; continue }
                // Shaded by the mix's cost (by every masked word in a report that predates it).
                var text = "\(masked)/\(total) masked"
                if let mix = m.maskedByMix { text = "\(mix)/\(total)" + (m.maskedBySituation.map { situation in " (+\(situation))" } ?? "") }
                let share = total > 0 ? Double(m.maskedByMix ?? masked) / Double(total) : 0
                // Every episode ran the series' scenarios in the same order: the link opens this
                // scenario's timeline in the episode's report.
                h += "<td style=\"background:rgba(200,30,30,\(String(format: "%.2f", 0.6 * share)))\">\(episodeLink(e.name, text: text, anchor: "scenario-\(k + 1)"))</td>"
            }
            h += "</tr>\n"
        }
        h += "</table>\n"
        if !r.failed.isEmpty {
            h += "<h2>Failed episodes</h2><ul>" + r.failed.map { "<li class=\"fail\"><b>\(esc($0.name))</b>: \(esc($0.error))</li>" }.joined() + "</ul>\n"
        }
        h += "<p class=\"note\">Each episode's reports beside this page: &lt;episode&gt;/report.html (linked from its name above), report.json, words.csv and its flagged words as Audacity labels, Reaper markers and an SRT. Written by earshot \(CheckReport.toolVersion).</p>\n</body></html>\n"
        return h
    }

    /// A link to the episode's report.html beside this page (at `anchor`, a scenario's section),
    /// showing `text` (the episode's name by default).
    static func episodeLink(_ name: String, text: String? = nil, anchor: String? = nil) -> String {
        let href = (name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? name) + "/report.html" + (anchor.map { "#" + $0 } ?? "")
        return "<a href=\"\(esc(href))\">\(esc(text ?? name))</a>"
    }

    static func measures(_ r: SeriesReport) -> [(String, SeriesReport.Spread, String)] {
        [("Integrated loudness", r.loudness, "LUFS"), ("Dialogue level", r.dialogueLevel, "LUFS"),
         ("Dialogue over M&E (median over lines)", r.dialogueToMusicAndEffects, "LU"), ("Spectral tilt", r.spectralTilt, "dB")]
    }

    static let width = 760.0, height = 230.0, left = 56.0, right = 16.0, top = 12.0, bottom = 58.0

    /// One dot per episode; the tolerance band around the median shaded, the median dashed.
    static func dotPlot(_ names: [String], _ values: [Double?], _ spread: SeriesReport.Spread, unit: String,
                        recommended: ClosedRange<Double>? = nil) -> String {
        let known = values.compactMap { $0 }
        guard let median = spread.median, !known.isEmpty else { return "<p class=\"note\">Not measured.</p>\n" }
        var lo = min(known.min()!, median - spread.tolerance), hi = max(known.max()!, median + spread.tolerance)
        if let recommended { lo = min(lo, recommended.lowerBound); hi = max(hi, recommended.upperBound) }
        let pad = max(0.5, (hi - lo) * 0.1)
        lo -= pad; hi += pad
        let plotW = width - left - right, plotH = height - top - bottom
        func y(_ v: Double) -> Double { top + plotH * (hi - v) / (hi - lo) }
        func x(_ i: Int) -> Double { left + plotW * (Double(i) + 0.5) / Double(max(names.count, 1)) }
        var s = "<svg width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" xmlns=\"http://www.w3.org/2000/svg\">"
        s += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"#fafafa\" stroke=\"#ccc\"/>"
        if let recommended {
            s += "<rect x=\"\(f(left))\" y=\"\(f(y(recommended.upperBound)))\" width=\"\(f(plotW))\" height=\"\(f(y(recommended.lowerBound) - y(recommended.upperBound)))\" fill=\"#dfd\"/>"
        }
        s += "<rect x=\"\(f(left))\" y=\"\(f(y(median + spread.tolerance)))\" width=\"\(f(plotW))\" height=\"\(f(y(median - spread.tolerance) - y(median + spread.tolerance)))\" fill=\"#dde8f6\"/>"
        s += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(y(median)))\" y2=\"\(f(y(median)))\" stroke=\"#36c\" stroke-dasharray=\"5,4\"/>"
        for tick in ticks(lo, hi) {
            s += "<line x1=\"\(f(left - 4))\" x2=\"\(f(left))\" y1=\"\(f(y(tick)))\" y2=\"\(f(y(tick)))\" stroke=\"#888\"/>"
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(y(tick) + 4))\" text-anchor=\"end\">\(fmt(tick))</text>"
        }
        s += "<text x=\"\(f(left + 4))\" y=\"\(f(y(median) - 4))\" fill=\"#36c\">median \(fmt(median)) \(unit), ±\(fmt(spread.tolerance))</text>"
        let labelEvery = max(1, Int((Double(names.count) / 40).rounded(.up)))
        for (i, name) in names.enumerated() {
            if i % labelEvery == 0 {
                s += "<text transform=\"translate(\(f(x(i) + 3)),\(f(top + plotH + 8))) rotate(60)\">\(esc(String(name.prefix(14))))</text>"
            }
            guard let v = values[i] else { continue }
            let outlier = spread.outliers.contains(name)
            s += "<circle cx=\"\(f(x(i)))\" cy=\"\(f(y(v)))\" r=\"\(outlier ? 5 : 4)\" fill=\"\(outlier ? "#c22" : "#333")\"><title>\(esc(name)): \(fmt(v)) \(unit)</title></circle>"
        }
        return s + "</svg>\n"
    }

    /// Each episode's long-term third-octave levels minus the series median, per band.
    static func balancePlot(_ r: SeriesReport) -> String {
        let bands = r.thirdOctaveBandsHz
        let curves = r.episodes.filter { $0.thirdOctaveBandsHz == bands && !bands.isEmpty }
        guard !curves.isEmpty else { return "<p class=\"note\">Not measured.</p>\n" }
        let deviations = curves.map { e in zip(e.thirdOctaveBalanceDB, r.medianThirdOctaveBalanceDB).map { max(-30, min(30, $0 - $1)) } }
        let extreme = max(6, (deviations.flatMap { $0 }.map(abs).max() ?? 6).rounded(.up))
        let plotW = width - left - right, plotH = height - top - bottom
        func x(_ k: Int) -> Double { left + plotW * Double(k) / Double(max(bands.count - 1, 1)) }
        func y(_ v: Double) -> Double { top + plotH * (extreme - v) / (2 * extreme) }
        var s = "<svg width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" xmlns=\"http://www.w3.org/2000/svg\">"
        s += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"#fafafa\" stroke=\"#ccc\"/>"
        s += "<rect x=\"\(f(left))\" y=\"\(f(y(3)))\" width=\"\(f(plotW))\" height=\"\(f(y(-3) - y(3)))\" fill=\"#dde8f6\"/>"
        s += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(y(0)))\" y2=\"\(f(y(0)))\" stroke=\"#36c\" stroke-dasharray=\"5,4\"/>"
        for tick in ticks(-extreme, extreme) {
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(y(tick) + 4))\" text-anchor=\"end\">\(fmt(tick, signed: true))</text>"
        }
        for (k, hz) in bands.enumerated() where k % 3 == 0 {
            s += "<text x=\"\(f(x(k)))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"middle\">\(hz >= 1000 ? String(format: "%gk", hz / 1000) : String(format: "%g", hz))</text>"
        }
        s += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(top + plotH + 34))\" text-anchor=\"middle\">third-octave band, Hz</text>"
        for (e, d) in zip(curves, deviations) {
            let outlier = r.spectralTilt.outliers.contains(e.name)
            let points = d.enumerated().map { "\(f(x($0.offset))),\(f(y($0.element)))" }.joined(separator: " ")
            s += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(outlier ? "#c22" : "#555")\" stroke-opacity=\"\(outlier ? "0.9" : "0.35")\" stroke-width=\"\(outlier ? 2 : 1.2)\"><title>\(esc(e.name))</title></polyline>"
        }
        return s + "</svg>\n"
    }

    /// About five round tick values between lo and hi.
    static func ticks(_ lo: Double, _ hi: Double) -> [Double] {
        let raw = (hi - lo) / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        return stride(from: (lo / step).rounded(.up) * step, through: hi, by: step).map { $0 }
    }

    static func f(_ x: Double) -> String { String(format: "%.1f", x) }

    static func fmt(_ x: Double?, signed: Bool = false) -> String {
        guard let x, x.isFinite else { return "–" }
        let s = String(format: signed ? "%+.1f" : "%.1f", x)
        return s == "-0.0" || s == "+0.0" ? (signed ? "±0.0" : "0.0") : s
    }

    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

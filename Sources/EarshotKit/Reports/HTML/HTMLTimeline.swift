import Foundation

/// The per-word timeline of one scenario, as inline SVG: the programme cut into rows of
/// `rowSeconds`, each with the words as blocks on a time axis (fill: the word's heard probability,
/// `ReportThresholds.heardColour`; a masked word outlined in black, with a badge naming what
/// masks it), a lane of low-frequency excursion events, a lane of sibilant events, and the
/// axis in timecode (BWF time reference) or minutes:seconds.
enum HTMLTimeline {
    static let width = 1240.0
    static let laneLabelWidth = 72.0
    static let rightMargin = 8.0
    static let rowHeight = 114.0
    static let badgeY = 10.0
    static let wordsTop = 20.0, wordsHeight = 32.0
    static let lfTop = 58.0, sibilanceTop = 74.0, eventHeight = 12.0
    static let axisY = 90.0

    /// 10 s per row for programmes up to 10 minutes, 30 s beyond.
    static func rowSeconds(duration: Double) -> Double { duration <= 600 ? 10 : 30 }

    static func render(_ report: CheckReport, _ s: ScenarioResult) -> String {
        let duration = max(report.durationSeconds, 0.001)
        let rowSeconds = rowSeconds(duration: duration)
        var out = "<div class=\"timeline\">\n"
        for (start, seconds) in rows(duration: duration, rowSeconds: rowSeconds) {
            out += row(report, s, from: start, seconds: seconds, duration: duration)
        }
        out += legend(s, masking: report.settings.masking)
        out += "</div>\n"
        return out
    }

    /// Row starts and lengths: whole rows, the last one stretched (up to 20 %) rather than
    /// leaving a sliver of a row for the programme's last moments; a programme shorter than a
    /// row fills one row.
    static func rows(duration: Double, rowSeconds: Double) -> [(start: Double, seconds: Double)] {
        if duration <= rowSeconds { return [(0, max(duration, 1))] }
        var rows: [(Double, Double)] = []
        var start = 0.0
        while start < duration {
            let rest = duration - start
            if rest <= rowSeconds * 1.2 {
                rows.append((start, max(rest, rowSeconds)))
                break
            }
            rows.append((start, rowSeconds))
            start += rowSeconds
        }
        return rows.isEmpty ? [(0, rowSeconds)] : rows
    }

    private static func row(_ report: CheckReport, _ s: ScenarioResult, from t0: Double, seconds: Double, duration: Double) -> String {
        let plotWidth = width - laneLabelWidth - rightMargin
        let scale = plotWidth / seconds
        let t1 = min(t0 + seconds, duration)
        func x(_ t: Double) -> Double { laneLabelWidth + (t - t0) * scale }
        func c(_ v: Double) -> String { HTMLText.coord(v) }
        var out = "<svg class=\"tl-row\" viewBox=\"0 0 \(c(width)) \(c(rowHeight))\" role=\"img\" aria-label=\"\(HTMLText.escape("timeline \(report.clockText(atSeconds: t0)) to \(report.clockText(atSeconds: t1))"))\">\n"
        // Lanes and their labels.
        let lanes: [(String, Double, Double)] = [("Words", wordsTop, wordsHeight), ("LF", lfTop, eventHeight), ("Sibilance", sibilanceTop, eventHeight)]
        for (label, top, height) in lanes {
            out += "<rect class=\"lane\" x=\"\(c(laneLabelWidth))\" y=\"\(c(top))\" width=\"\(c(x(t1) - laneLabelWidth))\" height=\"\(c(height))\"/>"
            out += "<text class=\"lane-label\" x=\"4\" y=\"\(c(top + height / 2 + 4))\">\(label)</text>\n"
        }
        // Second grid and axis.
        let labelEvery = seconds <= 15 ? 1.0 : 5.0
        var tick = t0.rounded(.up)
        out += "<line class=\"axis\" x1=\"\(c(laneLabelWidth))\" y1=\"\(c(axisY))\" x2=\"\(c(x(t1)))\" y2=\"\(c(axisY))\"/>\n"
        while tick <= t1 + 1e-9 {
            let isLabelled = (tick / labelEvery).rounded() * labelEvery == tick
            out += "<line class=\"grid\" x1=\"\(c(x(tick)))\" y1=\"\(c(wordsTop))\" x2=\"\(c(x(tick)))\" y2=\"\(c(axisY))\"/>"
            out += "<line class=\"axis\" x1=\"\(c(x(tick)))\" y1=\"\(c(axisY))\" x2=\"\(c(x(tick)))\" y2=\"\(c(axisY + (isLabelled ? 6 : 3)))\"/>"
            if isLabelled {
                let anchor = tick == t0 ? "start" : (x(tick) > width - 50 ? "end" : "middle")
                out += "<text class=\"tick\" x=\"\(c(x(tick)))\" y=\"\(c(axisY + 18))\" text-anchor=\"\(anchor)\">\(HTMLText.escape(report.clockText(atSeconds: tick)))</text>"
            }
            out += "\n"
            tick += 1
        }
        // Events.
        for e in s.lowFrequency.events where e.endSeconds > t0 && e.startSeconds < t1 {
            let a = max(e.startSeconds, t0), b = min(e.endSeconds, t1)
            let cls = e.peakExcursionRatio >= 1 ? "lf-over" : "lf-near"
            out += "<rect class=\"\(cls)\" x=\"\(c(x(a)))\" y=\"\(c(lfTop))\" width=\"\(c(max(2, (b - a) * scale)))\" height=\"\(c(eventHeight))\">"
            out += "<title>\(HTMLText.escape("LF excursion \(report.clockText(atSeconds: e.startSeconds)): peak \(HTMLText.fixed(e.peakExcursionRatio, 2)) × the cone's limit"))</title></rect>\n"
        }
        for e in s.sibilance?.events ?? [] where e.endSeconds > t0 && e.startSeconds < t1 {
            let a = max(e.startSeconds, t0), b = min(e.endSeconds, t1)
            out += "<rect class=\"\(e.harsh ? "sib-harsh" : "sib")\" x=\"\(c(x(a)))\" y=\"\(c(sibilanceTop))\" width=\"\(c(max(2, (b - a) * scale)))\" height=\"\(c(eventHeight))\">"
            var tip = "\(e.harsh ? "Harsh sibilant" : "Sibilant") \(report.clockText(atSeconds: e.startSeconds)): "
                + "\(HTMLText.signed(e.overSpeechPeakDB, 1)) dB against normal speech's peak at \(HTMLText.fixed(e.peakBandHz / 1000, 1)) kHz"
                + ", \(HTMLText.signed(e.relativeExcessDB, 1)) dB against the talker's usual"
            if let acum = e.sharpnessAcum { tip += ", \(HTMLText.fixed(acum, 1)) acum" }
            out += "<title>\(HTMLText.escape(tip))</title></rect>\n"
        }
        // Words.
        for w in s.words ?? [] where w.endSeconds > t0 && w.startSeconds < t1 {
            let a = max(w.startSeconds, t0), b = min(w.endSeconds, t1)
            let wx = x(a), ww = max(2, (b - a) * scale)
            var tip = "\(w.text) — \(report.clockText(atSeconds: w.startSeconds)), "
                + (w.tooShortToJudge ? "too short to judge" : "heard by \(HTMLText.fixed(100 * w.heardProbability, 0)) % of listeners, SII \(HTMLText.fixed(w.sii, 2))")
            if w.masked, let kind = w.maskedBy {
                tip += ", masked by \(kind == .me ? "M&E" : kind.rawValue)" + (w.maskedWithoutMix ? " (even without the mix)" : " (heard without the mix)")
            }
            out += "<g class=\"word\(w.masked ? " masked" : "")\(w.maskedWithoutMix ? " situation" : "")\"><title>\(HTMLText.escape(tip))</title>"
            out += "<rect x=\"\(c(wx + 0.5))\" y=\"\(c(wordsTop))\" width=\"\(c(max(1, ww - 1)))\" height=\"\(c(wordsHeight))\" rx=\"3\" fill=\"\(ReportThresholds.heardColour(w.heardProbability, masking: report.settings.masking))\"/>"
            // The text when it fits (about 6.6 units per character at the 12-unit font).
            let textWidth = Double(w.text.count) * 6.8
            if textWidth + 4 <= ww {
                out += "<text class=\"word-text\" x=\"\(c(wx + ww / 2))\" y=\"\(c(wordsTop + wordsHeight / 2 + 4))\" text-anchor=\"middle\">\(HTMLText.escape(w.text))</text>"
            }
            // The badge goes on the row holding the word's middle.
            let middle = (w.startSeconds + w.endSeconds) / 2
            if w.masked, let kind = w.maskedBy, middle >= t0, middle < t0 + seconds || t1 >= duration {
                let bw = kind.letter.count > 1 ? 20.0 : 14.0
                out += "<rect class=\"badge\" x=\"\(c(wx + ww / 2 - bw / 2))\" y=\"\(c(badgeY - 8))\" width=\"\(c(bw))\" height=\"15\" rx=\"4\"/>"
                out += "<text class=\"badge-text\" x=\"\(c(wx + ww / 2))\" y=\"\(c(badgeY + 3.5))\" text-anchor=\"middle\">\(kind.letter)</text>"
            }
            out += "</g>\n"
        }
        if s.words == nil {
            out += "<text class=\"lane-note\" x=\"\(c(laneLabelWidth + 8))\" y=\"\(c(wordsTop + wordsHeight / 2 + 4))\">per-word masking needs the dialogue stem (--dialogue)</text>\n"
        }
        out += "</svg>\n"
        return out
    }

    /// Colour scale, masker letters and event colours.
    static func legend(_ s: ScenarioResult, masking: WordMaskingSettings) -> String {
        var out = "<div class=\"tl-legend\"><span class=\"scale\">Heard by: "
        for v in [0.1, 0.3, 0.5, 0.65, 0.8, 0.95] {
            out += "<span class=\"swatch\" style=\"background:\(ReportThresholds.heardColour(v, masking: masking))\">\(HTMLText.fixed(100 * v, 0)) %</span>"
        }
        out += "</span>"
        let kinds = Set((s.words ?? []).compactMap(\.maskedBy))
        if kinds.isEmpty {
            out += "<span>No masked words.</span>"
        } else {
            out += "<span>Masked (black outline; dashed: lost even without the mix) by: "
            for kind in MaskerKind.allCases where kinds.contains(kind) {
                out += "<span class=\"badge-key\">\(kind.letter)</span> \(HTMLText.escape(kind.legend)) "
            }
            out += "</span>"
        }
        out += "<span><span class=\"key lf-over\"></span> LF over the cone's limit <span class=\"key lf-near\"></span> near it</span>"
        out += "<span><span class=\"key sib-harsh\"></span> harsh sibilant <span class=\"key sib\"></span> other sibilant</span>"
        out += "</div>\n"
        return out
    }
}

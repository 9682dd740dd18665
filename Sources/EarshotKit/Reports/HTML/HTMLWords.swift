import Foundation

/// The word tables of the HTML report: every word against every scenario (the share of
/// listeners predicted to hear it, coloured, and what masks it, or "too short" for a word too short to judge), and each
/// scenario's masked words with their audio clips.
enum HTMLWords {
    /// One row per word (class `word-row`), one column per scenario.
    static func table(_ report: CheckReport, words: [WordTiming]) -> String {
        let byScenario: [[Int: WordMasking]] = report.scenarios.map { s in
            Dictionary((s.words ?? []).map { ($0.index, $0) }, uniquingKeysWith: { a, _ in a })
        }
        var out = "<table class=\"words\">\n<thead><tr><th>Time</th><th>Word</th>"
        for (i, s) in report.scenarios.enumerated() {
            out += "<th class=\"scn\"><a href=\"#\(report.scenarioAnchor(i))\">\(HTMLText.escape(s.device.id))</a><div class=\"sub\">\(HTMLText.escape(s.environment.id))</div></th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for w in words.sorted(by: { ($0.startSeconds, $0.index) < ($1.startSeconds, $1.index) }) {
            out += "<tr class=\"word-row\"><td class=\"time\">\(HTMLText.escape(report.clockText(atSeconds: w.startSeconds)))</td>"
            out += "<td class=\"text\">\(HTMLText.escape(w.text))\(w.estimated ? "<span class=\"est\" title=\"estimated timing\">~</span>" : "")</td>"
            for map in byScenario {
                if let m = map[w.index], m.tooShortToJudge {
                    out += "<td class=\"sii none short\" title=\"too short to judge: fewer than \(report.settings.masking.minimumActiveFrames) speech-active 20 ms frames\">too short</td>"
                    continue
                }
                guard let m = map[w.index], m.sii.isFinite else { out += "<td class=\"sii none\">–</td>"; continue }
                out += "<td class=\"sii\(m.masked ? " masked" : "")\(m.maskedWithoutMix ? " situation" : "")\" style=\"background:\(ReportThresholds.heardColour(m.heardProbability, masking: report.settings.masking))\" title=\"SII \(HTMLText.fixed(m.sii, 2))\">\(HTMLText.fixed(100 * m.heardProbability, 0)) %"
                if m.masked, let kind = m.maskedBy {
                    let share = m.maskedWithoutMix ? "; lost even without the mix" : "; heard without the mix"
                    out += " <span class=\"badge-key\" title=\"masked by \(HTMLText.escape(kind.legend + share))\">\(kind.letter)</span>"
                }
                out += "</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n"
        return out
    }

    static let snippetNote = """
    Each pair holds the same stretch of programme, 0.5 s either side of the word: the dialogue stem as an ideal \
    (flat, noiseless) device would play it at this scenario's volume, then what the listener hears on this device in \
    this environment (mono, the mean of both ears, 24 kHz). Each clip is normalised to peak at −3 dBFS so both can be \
    heard at one monitor setting; the last column gives the real level difference between them.
    """

    /// The masked words of one scenario with their clips (class `snippet-row`).
    static func snippets(_ report: CheckReport, _ s: ScenarioResult) -> String {
        guard s.words != nil else { return "" }
        var out = "<h3>Masked words: listen</h3>\n"
        guard !s.maskedWordSnippets.isEmpty else {
            return out + "<p class=\"note\">No masked words in this scenario.</p>\n"
        }
        out += "<p class=\"note\">\(HTMLText.escape(snippetNote))</p>\n"
        out += "<table class=\"snippets\">\n<thead><tr><th>Time</th><th>Word</th><th>SII</th><th>Masked by</th><th>Dialogue stem</th><th>On this device, here</th><th title=\"RMS level of the dialogue-stem clip against the at-ear clip\">Stem vs here</th></tr></thead>\n<tbody>\n"
        for clip in s.maskedWordSnippets {
            out += "<tr class=\"snippet-row\"><td class=\"time\">\(HTMLText.escape(report.clockText(atSeconds: clip.wordStartSeconds)))</td>"
            out += "<td class=\"text\">\(HTMLText.escape(clip.text))</td>"
            out += "<td class=\"sii\" style=\"background:\(ReportThresholds.siiColour(clip.sii))\">\(HTMLText.fixed(clip.sii, 2))</td>"
            if let kind = clip.maskedBy {
                out += "<td><span class=\"badge-key\">\(kind.letter)</span> \(HTMLText.escape(kind == .me ? "M&E" : kind.rawValue))</td>"
            } else {
                out += "<td>–</td>"
            }
            out += "<td>\(audio(clip.original, clip.sampleRate, label: "\(clip.text): dialogue stem"))</td>"
            out += "<td>\(audio(clip.atEar, clip.sampleRate, label: "\(clip.text): at the ear"))<span class=\"print-only\">(audio in the HTML file)</span></td>"
            out += "<td class=\"time\">\(levelDifference(clip))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
        if s.maskedWordsNotEmbedded > 0 {
            let n = s.maskedWordsNotEmbedded
            out += "<p class=\"note\">\(n) more masked word\(n == 1 ? "" : "s") not embedded (at most \(MaskedWordSnippetRecorder.defaultCapacity) clips per scenario: "
            out += "words masked by the programme first, then by the device, then by the environment; the lowest SII first). All masked words are in the timeline and the word table.</p>\n"
        }
        return out
    }

    /// RMS level of the stem clip relative to the at-ear clip, dB.
    static func levelDifference(_ clip: MaskedWordSnippet) -> String {
        guard clip.levelDifferenceDB.isFinite else { return "–" }
        return HTMLText.signed(clip.levelDifferenceDB, 0) + " dB"
    }

    static func audio(_ samples: [Float], _ rate: Int, label: String) -> String {
        "<audio controls preload=\"metadata\" aria-label=\"\(HTMLText.escape(label))\" src=\"\(WAVDataURI.dataURI(mono: samples, sampleRate: rate))\"></audio>"
    }
}

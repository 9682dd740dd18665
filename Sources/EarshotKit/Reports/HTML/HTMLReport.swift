import Foundation

/// report.html: the check for people — one self-contained file (inline CSS and SVG, audio as
/// data URIs, no script, no network) with the device × metric matrix and a verdict per
/// scenario, the programme's loudness against the delivery specs, the long-term at-ear spectra,
/// a per-word timeline for each scenario with its masked words to listen to, and every word
/// against every scenario. The same report always gives the same bytes.
enum HTMLReport {
    public static func render(_ report: CheckReport) -> String {
        let assessments = report.scenarios.map { ScenarioAssessment(report: report, scenario: $0) }
        let title = "Earshot check: " + inputName(report)
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>\(HTMLText.escape(title))</title>\n<style>\n\(HTMLStyle.css)\n</style>\n</head>\n<body>\n<main>\n"
        out += header(report, title: title)
        out += "<section class=\"overview\">\n<h2>Scenarios</h2>\n"
        out += HTMLMatrix.render(report, assessments: assessments)
        out += HTMLMatrix.legend + "\n"
        out += "<div class=\"two-col\">\n<div>\n<h3>Long-term spectrum at the ear</h3>\n"
        out += HTMLSpectrum.render(overviewSeries(report), caption: "Third-octave levels of the programme as each device delivers it to the ear (no environment), averaged over the whole programme.")
        out += "</div>\n<div>\n" + loudness(report) + "</div>\n</div>\n</section>\n"
        for (i, s) in report.scenarios.enumerated() {
            out += scenario(report, s, index: i, assessment: assessments[i])
        }
        if let words = report.timings?.words, !words.isEmpty {
            out += "<section class=\"word-section\" id=\"words\">\n<h2>Every word<span class=\"sub\">share of listeners predicted to hear each word in each scenario; outlined: masked, with what masks it; dashed: lost even without the mix</span></h2>\n"
            if report.scenarios.allSatisfy({ $0.words == nil }) {
                out += "<p class=\"note\">Per-word masking needs the dialogue stem (--dialogue).</p>\n"
            }
            out += HTMLWords.table(report, words: words)
            out += "</section>\n"
        }
        out += notes(report)
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    static func inputName(_ report: CheckReport) -> String {
        let path = report.inputs.paths[.mix] ?? report.inputs.paths[.dialogue] ?? report.inputs.paths.values.sorted().first ?? "programme"
        return CheckReport.fileName(path)
    }

    static func header(_ report: CheckReport, title: String) -> String {
        var facts: [String] = []
        for role in ScenarioInputs.Role.allCases {
            if let p = report.inputs.paths[role] { facts.append("\(role == .mix ? "mix" : role.label) \(CheckReport.fileName(p))") }
        }
        if let t = report.timings {
            facts.append("words \(report.settings.wordsPath.map(CheckReport.fileName) ?? "found in the dialogue stem") (\(t.source.rawValue)\(t.estimated ? ", estimated timings" : ""))")
        }
        facts.append("\(HTMLText.fixed(report.durationSeconds, 1)) s")
        if let tc = report.timecode(atSeconds: 0) { facts.append("starts \(tc) (25 fps)") }
        facts.append(report.settings.volumePercent.map { "volume fixed at \(HTMLText.fixed($0, 0)) %" } ?? "volume: each listener's choice")
        facts.append("masked when heard by fewer than \(HTMLText.fixed(100 * report.settings.masking.maskedBelowHeardProbability, 0)) % of listeners")
        var out = "<header>\n<h1>\(HTMLText.escape(title))</h1>\n<div class=\"sub\">\(HTMLText.escape(facts.joined(separator: " · ")))</div>\n"
        out += "<nav>Scenarios: "
        for (i, s) in report.scenarios.enumerated() { out += "<a href=\"#\(report.scenarioAnchor(i))\">\(HTMLText.escape(s.id))</a>" }
        if report.timings != nil { out += "<a href=\"#words\">every word</a>" }
        out += "</nav>\n</header>\n"
        return out
    }

    static func loudness(_ report: CheckReport) -> String {
        let l = report.loudness
        var out = "<h3>Programme loudness</h3>\n<p class=\"big\">\(HTMLText.fixed(l.integratedLUFS, 1, missing: "−∞")) LUFS integrated · LRA \(HTMLText.fixed(l.loudnessRangeLU, 1, missing: "n/a")) LU · true peak \(HTMLText.fixed(l.truePeakDBTP, 1, missing: "−∞")) dBTP</p>\n"
        var stems: [String] = []
        if let d = report.programme.dialogueLoudness?.integratedLUFS { stems.append("dialogue \(HTMLText.fixed(d, 1)) LUFS") }
        if let m = report.programme.musicAndEffectsLoudness?.integratedLUFS { stems.append("M&E \(HTMLText.fixed(m, 1)) LUFS") }
        let lines = report.lines
        if !lines.isEmpty && report.programme.musicAndEffectsLoudness != nil {
            let below = lines.filter { (report.programme.dialogueToMusicAndEffectsLU(fromSeconds: $0.startSeconds, toSeconds: $0.endSeconds) ?? 99) < 6 }.count
            stems.append("\(below) of \(lines.count) lines with dialogue less than 6 LU over the M&E (the mobile recommendation is 6–10 LU)")
        }
        if !stems.isEmpty { out += "<p class=\"facts\">\(HTMLText.escape(stems.joined(separator: " · ")))</p>\n" }
        out += "<table class=\"platforms\">\n<thead><tr><th>Platform</th><th>Target</th><th>Deviation</th><th>True-peak ceiling</th><th>Verdict</th></tr></thead>\n<tbody>\n"
        for (spec, verdict) in report.platforms {
            let severity: Severity = verdict.pass ? .good : .bad
            out += "<tr><td>\(HTMLText.escape(spec.name))</td><td>\(HTMLText.fixed(spec.targetLUFS, 1)) ± \(HTMLText.fixed(spec.toleranceLU, 1)) LUFS</td>"
            out += "<td>\(verdict.deviationLU.map { HTMLText.signed($0, 1) + " LU" } ?? "–")</td><td>\(HTMLText.fixed(spec.truePeakCeilingDBTP, 1)) dBTP</td>"
            out += "<td class=\"\(severity.cssClass)\" title=\"\(HTMLText.escape(verdict.reason ?? ""))\"><span class=\"sym\">\(severity.symbol)</span> \(verdict.pass ? "meets" : "fails")</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
        return out
    }

    /// The studio reference: the first scenario on a reference device.
    static func referenceIndex(_ report: CheckReport) -> Int? {
        report.scenarios.firstIndex { $0.device.category == .reference }
    }

    static func overviewSeries(_ report: CheckReport) -> [HTMLSpectrum.Series] {
        var series: [HTMLSpectrum.Series] = []
        var colour = 0
        for (i, s) in report.scenarios.enumerated() {
            if i == referenceIndex(report) {
                series.append(.init(label: s.id + " (reference)", colour: "#111111", dashed: true, points: s.longTermSpectrum))
            } else {
                series.append(.init(label: s.id, colour: HTMLSpectrum.palette[colour % HTMLSpectrum.palette.count], dashed: false, points: s.longTermSpectrum))
                colour += 1
            }
        }
        return series
    }

    static func scenario(_ report: CheckReport, _ s: ScenarioResult, index: Int, assessment a: ScenarioAssessment) -> String {
        var out = "<section class=\"scenario\" id=\"\(report.scenarioAnchor(index))\">\n"
        out += "<h2>\(HTMLText.escape(HTMLText.shortName(s.device.name))) · \(HTMLText.escape(HTMLText.shortName(s.environment.name)))<span class=\"sub\">\(HTMLText.escape(s.id))</span></h2>\n"
        var banner = "<span class=\"sym\">\(a.verdict.symbol)</span> <b>\(a.verdict.word)</b>"
        if !a.reasons.isEmpty { banner += ": " + HTMLText.escape(a.reasons.joined(separator: " · ")) }
        out += "<div class=\"banner \(a.verdict.cssClass)\">\(banner)</div>\n"
        var facts = ["\(HTMLText.shortName(s.device.name)): \(s.device.category.rawValue), \(s.device.channelMode == .mono ? "mono" : "stereo"), \(s.device.provenance.kind.rawValue) profile"]
        facts.append("\(HTMLText.shortName(s.environment.name)): \(HTMLText.fixed(s.environment.levelDBA, 0)) dBA")
        if report.settings.volumePercent == nil {
            facts.append("volume \(HTMLText.fixed(s.volumePercent, 0)) % (the listener chooses the dialogue at \(HTMLText.fixed(ListenerVolume.targetDialogueDBA(device: s.device, environment: s.environment), 0)) dB(A) at the ear)")
        } else {
            facts.append("volume \(HTMLText.fixed(s.volumePercent, 0)) % (fixed)")
        }
        facts.append("at the ear \(HTMLText.fixed(s.atEarLeqDB, 0)) dB SPL Leq, programme and environment")
        out += "<p class=\"facts\">\(HTMLText.escape(facts.joined(separator: " · ")))</p>\n"
        out += "<table class=\"matrix\"><thead><tr>"
        for h in ScenarioAssessment.headers { out += "<th>\(HTMLText.escape(h))</th>" }
        out += "</tr></thead><tbody><tr>"
        for cell in a.cells { out += HTMLMatrix.cell(cell) }
        out += "</tr></tbody></table>\n"
        out += "<h3>Timeline</h3>\n" + HTMLTimeline.render(report, s)
        out += "<div class=\"two-col\">\n<div>\n<h3>Long-term spectrum at the ear</h3>\n"
        var series = [HTMLSpectrum.Series(label: s.id, colour: "#d62728", dashed: false, points: s.longTermSpectrum)]
        var caption = "Third-octave levels of the programme as this device delivers it to the ear (no environment), averaged over the programme."
        if let r = referenceIndex(report), r != index {
            series.append(.init(label: report.scenarios[r].id + " (reference)", colour: "#111111", dashed: true, points: report.scenarios[r].longTermSpectrum))
            caption += " Dashed: the studio reference at its own volume."
        } else if referenceIndex(report) == nil {
            caption += " No studio-reference scenario in this check to compare with."
        }
        out += HTMLSpectrum.render(series, caption: caption)
        out += "</div>\n<div>\n<h3>Details</h3>\n" + details(report, s) + "</div>\n</div>\n"
        out += HTMLWords.snippets(report, s)
        out += "</section>\n"
        return out
    }

    static func details(_ report: CheckReport, _ s: ScenarioResult) -> String {
        var rows: [(String, String)] = []
        if let stoi = s.stoi {
            rows.append(("Intelligibility", "STOI \(HTMLText.fixed(stoi, 2)), ESTOI \(HTMLText.fixed(s.estoi, 2)), SII \(HTMLText.fixed(s.sii, 2))"))
        } else if let note = s.stoiNote {
            rows.append(("Intelligibility", note))
        }
        if let words = s.words {
            let masked = words.filter(\.masked)
            var text = "\(masked.count) of \(words.count)"
            if let worst = masked.min(by: { ($0.sii, $0.index) < ($1.sii, $1.index) }) {
                text += "; lowest SII: “\(worst.text)” at \(report.clockText(atSeconds: worst.startSeconds)) (\(HTMLText.fixed(worst.sii, 2)))"
            }
            if let cost = report.mixCostText(s), let situation = report.situationText(s) {
                let share: String = cost.prefix(1).uppercased() + cost.dropFirst() + "; " + situation + " (context: masked even without the mix)"
                rows.append(("The mix's share", share))
            }
            rows.append(("Masked words", text))
            let ducked = words.filter { $0.deviceDuckingDB > 1 }.count
            if ducked > 0 { rows.append(("Device limiter", "ducks \(ducked) word\(ducked == 1 ? "" : "s") by more than 1 dB")) }
        }
        for metric in s.metrics { rows += metric.result.htmlDetails(report: report, scenario: s).map { ($0.label, $0.text) } }
        if let sib = s.sibilance {
            var text = "harshness \(HTMLText.fixed(sib.harshnessScore, 2)); \(sib.events.filter(\.harsh).count) harsh of \(sib.events.count)"
            if let worst = sib.events.max(by: { ($0.score, -$0.startSeconds) < ($1.score, -$1.startSeconds) }) {
                text += "; worst at \(report.clockText(atSeconds: worst.startSeconds)) (\(HTMLText.signed(worst.overSpeechPeakDB, 1)) dB against normal speech's peak"
                    + " at \(HTMLText.fixed(worst.peakBandHz / 1000, 1)) kHz"
                if let acum = worst.sharpnessAcum { text += ", \(HTMLText.fixed(acum, 1)) acum" }
                text += ")"
            }
            rows.append(("Sibilance", text))
        }
        var out = "<table class=\"details\">\n"
        for (k, v) in rows { out += "<tr><td>\(HTMLText.escape(k))</td><td>\(HTMLText.escape(v))</td></tr>\n" }
        return out + "</table>\n"
    }

    static func notes(_ report: CheckReport) -> String {
        """
        <section class="notes">
        <h2>How to read this report</h2>
        <p class="note">Each scenario plays the programme through a model of the device at the listener's volume, in its environment, and measures what reaches the ear. \
        STOI/ESTOI compare what the listener hears with the dialogue stem (Taal et al. 2011; Jensen &amp; Taal 2016). SII is the ANSI S3.5-1997 Speech Intelligibility Index \
        (one-third octave procedure). Per word, the extended SII (Rhebergen &amp; Versfeld 2005): the word's long-term dialogue spectrum against each 20 ms frame of everything else at the ear, \
        turned into the share of normal-hearing listeners who would get the word (a logistic function anchored on the Oldenburg sentence test: half the words at −7.1 dB SNR in stationary speech-shaped noise, 17.1 %/dB); \
        a word is masked when fewer than \(HTMLText.fixed(100 * report.settings.masking.maskedBelowHeardProbability, 0)) % would hear it and at risk below \(HTMLText.fixed(100 * report.settings.masking.atRiskBelowHeardProbability, 0)) %.</p>
        <p class="note">The mix's share: each masked word is judged again without the mix (the music and effects, the M&amp;E, or the rest of the mix), \
        on the same device at the same volume in the same place, with the limiter's ducking undone (the whole programme drives the limiter, so without the mix it would duck less). \
        A word heard then is masked by the mix — the mix's cost, put down to the stem of the mix that alone takes the most away; \
        a word still masked is lost to the situation — the device or the place is the limit, shown as context: put down to the device when even without any masker it stays masked \
        (or, with no mix playing, when undoing the ducking would save it), else to the environment; never to the mix. \
        Outlined words are masked; dashed, lost even without the mix.</p>
        <p class="note">Timeline: words as blocks on the programme's time axis (\(report.timeReferenceSeconds == nil ? "minutes:seconds from the start of the file" : "SMPTE timecode at 25 fps from the BWF time reference")), \
        coloured by the share of listeners who would hear them; LF: where the driver's cone nears or passes its excursion limit; Sibilance: sibilants found on the dialogue stem, harsh ones dark. \
        Spectra: third-octave levels (25 Hz–16 kHz) of the programme at the ear without the environment, over non-overlapping 171 ms frames; the lowest bands are only roughly resolved.</p>
        <p class="note">\(HTMLText.escape(HTMLWords.snippetNote))</p>
        <p class="note">Device and environment profiles are models with stated provenance (see DeviceProfiles/); treat the figures as a guide to where to listen, not as a pass mark. \
        earshot \(CheckReport.toolVersion), report schema \(CheckReport.schemaVersion).</p>
        </section>

        """
    }
}

extension CheckReport {
    /// report.html (`HTMLReport`).
    public func html() -> String { HTMLReport.render(self) }
}

import Foundation

/// One figure of a scenario as the report's matrix shows it.
struct MetricCell {
    var severity: Severity
    var value: String
    var detail: String
    /// How the verdict names this figure when it is the problem.
    var reason: String
}

/// A scenario's figures with their severities (`ReportThresholds`) and its verdict: the worst
/// severity of its figures, with the figures responsible.
struct ScenarioAssessment {
    var stoi: MetricCell
    var sii: MetricCell
    var masked: MetricCell
    var lowFrequency: MetricCell
    var sibilance: MetricCell
    var loudness: MetricCell

    var cells: [MetricCell] { [stoi, sii, masked, lowFrequency, sibilance, loudness] }
    var verdict: Severity { cells.map(\.severity).max() ?? .none }
    /// The figures at the verdict's severity (nothing when all is good).
    var reasons: [String] { verdict >= .warn ? cells.filter { $0.severity == verdict }.map(\.reason) : [] }

    static let headers = ["STOI", "SII", "Masked by the mix", "LF risk", "Sibilance", "Loudness at ear"]

    init(report: CheckReport, scenario s: ScenarioResult) {
        stoi = MetricCell(severity: ReportThresholds.stoi(s.stoi), value: HTMLText.fixed(s.stoi, 2),
                          detail: s.estoi.map { "ESTOI " + HTMLText.fixed($0, 2) } ?? (s.stoiNote == nil ? "" : "not computed"),
                          reason: "STOI " + HTMLText.fixed(s.stoi, 2))
        sii = MetricCell(severity: ReportThresholds.sii(s.sii), value: HTMLText.fixed(s.sii, 2),
                         detail: s.sii == nil ? "not computed" : "over the words", reason: "SII " + HTMLText.fixed(s.sii, 2))
        if let words = s.words {
            // The mix's cost is the figure and its colour; the situation's losses are context.
            var detail = [report.mixCostText(s), report.situationText(s)].compactMap { $0 }.joined(separator: " · ")
            if s.tooShortWords > 0 { detail += "; \(s.tooShortWords) too short to judge" }
            masked = MetricCell(severity: ReportThresholds.maskedWords(s.maskedByMix, of: words.count), value: "\(s.maskedByMix) / \(words.count)",
                                detail: detail,
                                reason: "\(s.maskedByMix) of \(words.count) words masked by the mix")
        } else {
            masked = MetricCell(severity: .none, value: "–", detail: "needs the dialogue stem", reason: "")
        }
        let lf = s.lowFrequency
        let lfDetail = lf.events.isEmpty ? String(format: "cone at %@ of its limit", HTMLText.fixed(lf.peakExcursionRatio * 100, 0) + " %")
            : "\(lf.events.count) excursion event\(lf.events.count == 1 ? "" : "s"), peak \(HTMLText.fixed(lf.peakExcursionRatio, 2)) × limit"
        lowFrequency = MetricCell(severity: ReportThresholds.lowFrequency(max(0, lf.riskScore)), value: HTMLText.fixed(max(0, lf.riskScore), 2),
                                  detail: lfDetail, reason: "LF risk \(HTMLText.fixed(max(0, lf.riskScore), 2))")
        if let sib = s.sibilance {
            let harsh = sib.events.filter(\.harsh).count
            sibilance = MetricCell(severity: ReportThresholds.sibilance(sib.harshnessScore), value: HTMLText.fixed(sib.harshnessScore, 2),
                                   detail: "\(harsh) harsh of \(sib.events.count) sibilants",
                                   reason: "sibilance \(HTMLText.fixed(sib.harshnessScore, 2))")
        } else {
            sibilance = MetricCell(severity: .none, value: "–", detail: "needs the dialogue stem", reason: "")
        }
        let target = ListenerVolume.targetDialogueDBA(device: s.device, environment: s.environment)
        if let level = report.estimatedDialogueDBA(s), let shortfall = report.dialogueShortfallDB(s) {
            var detail = "target " + HTMLText.fixed(target, 0)
            if shortfall > ReportThresholds.levelShortfallWarnDB {
                detail += ", \(HTMLText.fixed(shortfall, 0)) dB short"
                if s.volumePercent >= 100 { detail += " at full volume" }
            } else if -shortfall > ReportThresholds.levelExcessWarnDB {
                detail += ", \(HTMLText.fixed(-shortfall, 0)) dB above"
            }
            detail += " · volume \(HTMLText.fixed(s.volumePercent, 0)) %"
            loudness = MetricCell(severity: ReportThresholds.dialogueLevel(shortfallDB: shortfall), value: "≈ \(HTMLText.fixed(level, 0)) dB(A)",
                                  detail: detail,
                                  reason: shortfall > 0 ? "dialogue \(HTMLText.fixed(shortfall, 0)) dB below the listener's target"
                                                        : "dialogue \(HTMLText.fixed(-shortfall, 0)) dB above the listener's target")
        } else {
            loudness = MetricCell(severity: .none, value: "–", detail: "programme loudness not measurable", reason: "")
        }
    }
}

extension CheckReport {
    /// The anchor of a scenario's section.
    func scenarioAnchor(_ i: Int) -> String { "scenario-\(i + 1)" }
}

/// The device × metric matrix: one row per scenario, its verdict and each figure coloured by
/// severity.
enum HTMLMatrix {
    static func render(_ report: CheckReport, assessments: [ScenarioAssessment]) -> String {
        var out = "<table class=\"matrix\">\n<thead><tr><th>Device</th><th>Environment</th><th>Verdict</th>"
        for h in ScenarioAssessment.headers { out += "<th>\(HTMLText.escape(h))</th>" }
        out += "</tr></thead>\n<tbody>\n"
        for (i, (s, a)) in zip(report.scenarios, assessments).enumerated() {
            out += "<tr class=\"scenario-row\">"
            out += "<td class=\"name\"><a href=\"#\(report.scenarioAnchor(i))\">\(HTMLText.escape(HTMLText.shortName(s.device.name)))</a>"
            out += "<div class=\"sub\">\(HTMLText.escape(s.device.id))</div></td>"
            out += "<td class=\"name\">\(HTMLText.escape(HTMLText.shortName(s.environment.name)))<div class=\"sub\">\(HTMLText.escape(s.environment.id)) · \(HTMLText.fixed(s.environment.levelDBA, 0)) dBA</div></td>"
            out += "<td class=\"verdict \(a.verdict.cssClass)\"><span class=\"sym\">\(a.verdict.symbol)</span> \(a.verdict.word)</td>"
            for cell in a.cells { out += Self.cell(cell) }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n"
        return out
    }

    static func cell(_ c: MetricCell) -> String {
        "<td class=\"metric \(c.severity.cssClass)\"><span class=\"sym\">\(c.severity.symbol)</span> <span class=\"value\">\(HTMLText.escape(c.value))</span>"
            + (c.detail.isEmpty ? "" : "<div class=\"sub\">\(HTMLText.escape(c.detail))</div>") + "</td>"
    }

    /// The thresholds, in words, under the matrix.
    static let legend = """
    <p class="legend">Colours: <span class="chip sev-good">✓ good</span> <span class="chip sev-warn">! check</span> \
    <span class="chip sev-bad">✕ poor</span> <span class="chip sev-none">– not computed</span>. \
    SII ≥ 0.75 good, 0.45–0.75 check, &lt; 0.45 poor (ANSI S3.5 practice); STOI ≥ 0.75 good, 0.60–0.75 check, &lt; 0.60 poor; \
    masked by the mix: words masked that would be heard without the music and effects (same device, volume and place) — \
    none good, up to 10 % of the words check, more poor; words lost to the situation (masked even without the mix: the device \
    or the place is the limit) are given beside them as context and do not colour the verdict; LF risk &lt; 0.2 good, 0.2–0.5 check, ≥ 0.5 poor; \
    sibilance harshness &lt; 0.5 good, 0.5–1 check, 1 poor (0.5: the 90th-percentile sibilant reaches normal speech's peak); loudness at ear: the dialogue's estimated level \
    against the level the listener chooses, A-weighted (loudspeakers: 50 dB(A) in quiet, +0.3 dB per dB of noise above 40 dB(A), van Heusden et al. 1979; earbuds: 50.7 dB(A) + 0.33 dB per dB of noise in the ear, Fligor &amp; Ives; at most 85 dB(A)) — more than 1 dB short check, more than 6 dB short poor. \
    The verdict is the worst colour of the row.</p>
    """
}

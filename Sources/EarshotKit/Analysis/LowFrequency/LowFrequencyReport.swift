import Foundation

/// How low-frequency risk appears in the reports: `scenarios[].lowFrequency` in report.json,
/// the "LF risk" column of the summary, the "LF" row of the scenario's details in report.html.
extension LowFrequencyRisk: ScenarioMetricResult {
    func json(report: CheckReport, scenario s: ScenarioResult) -> JSONValue {
        .object([
            ("riskScore", .num(riskScore)), ("peakExcursionRatio", .num(peakExcursionRatio)),
            ("secondsOverLimit", .num(secondsOverLimit)), ("energyShareBelowLowCut", .num(energyShareBelowLowCut)),
            ("usableLowCutHz", .num(s.device.excursion.usableLowCutHz)),
            ("maxBassDuckingDB", .num(maxBassDuckingDB)), ("bassDuckingSeconds", .num(bassDuckingSeconds)),
            ("events", .array(events.map { e in
                .object([("startSeconds", .num(e.startSeconds)), ("endSeconds", .num(e.endSeconds)),
                         ("timecode", .str(report.timecode(atSeconds: e.startSeconds))), ("peakExcursionRatio", .num(e.peakExcursionRatio))])
            })),
        ])
    }

    var summaryCell: String { String(format: "%.2f", max(0, riskScore)) }

    func htmlDetails(report: CheckReport, scenario s: ScenarioResult) -> [(label: String, text: String)] {
        let over = secondsOverLimit <= 0 ? "never over it" : (secondsOverLimit < 1 ? "over it for \(HTMLText.fixed(secondsOverLimit * 1000, 0)) ms" : "over it for \(HTMLText.fixed(secondsOverLimit, 1)) s")
        return [("LF", "peak cone excursion \(HTMLText.fixed(peakExcursionRatio, 2)) × its limit, \(over); "
                 + "\(HTMLText.fixed(energyShareBelowLowCut * 100, 0)) % of the drive energy below the usable \(HTMLText.fixed(s.device.excursion.usableLowCutHz, 0)) Hz"
                 + (maxBassDuckingDB > 0.05 ? "; bass ducks the limiter by up to \(HTMLText.fixed(maxBassDuckingDB, 1)) dB" : ""))]
    }
}

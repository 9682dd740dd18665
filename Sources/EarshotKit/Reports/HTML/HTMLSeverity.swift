import Foundation

/// How bad a figure is, as the HTML report colours it: green (good), amber (check), red (poor),
/// grey (not computed).
enum Severity: Int, Sendable, Comparable, CaseIterable {
    case none, good, warn, bad

    public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }

    var cssClass: String { ["sev-none", "sev-good", "sev-warn", "sev-bad"][rawValue] }
    /// A symbol beside the colour, so the severity survives black-and-white printing.
    var symbol: String { ["–", "✓", "!", "✕"][rawValue] }
    var word: String { ["Not assessed", "Good", "Check", "Poor"][rawValue] }
}

/// The thresholds behind the HTML report's colours. Figures at a boundary take the better colour.
///
/// - SII (scenario): ≥ 0.75 green, 0.45–0.75 amber, < 0.45 red — ANSI S3.5-1997 practice
///   calls communication "good" above 0.75 and "poor" below 0.45.
/// - Words, by their heard probability: ≥ 0.8 green, at risk (0.5–0.8) amber, masked (< 0.5,
///   `--masked-below`) red.
/// - STOI: ≥ 0.75 green, 0.60–0.75 amber, < 0.60 red (Earshot's bands, a judgement: STOI is a
///   correlation, not a percentage of words understood).
/// - Masked words, counted as the words the mix costs (`ScenarioResult.maskedByMix`; the words
///   lost to the situation are context and do not colour): none green, up to 10 % of the words
///   amber (each one is worth a listen), more than 10 % red.
/// - LF risk (`LowFrequencyRisk.riskScore`, 0…1): < 0.2 green, 0.2–0.5 amber, ≥ 0.5 red.
/// - Sibilance (`SibilanceHarshness.harshnessScore`, 0…1): < 0.5 green, 0.5–1 amber, 1 red;
///   0.5 is where the 90th-percentile sibilant reaches the speech peak of its band (harsh), 1
///   where it is a difference limen (5 dB; Monson, Lotto & Story 2014) beyond it.
/// - Loudness at the ear: the dialogue's estimated level against the listener's target
///   (`ListenerVolume`): within 1 dB below (or anywhere above, up to 6 dB) green, 1–6 dB short or
///   more than 6 dB above amber, more than 6 dB short red.
enum ReportThresholds {
    public static let siiGood = 0.75, siiPoor = 0.45
    public static let stoiGood = 0.75, stoiPoor = 0.60
    public static let maskedShareWarn = 0.10
    public static let lowFrequencyWarn = 0.2, lowFrequencyBad = 0.5
    public static let sibilanceWarn = 0.5, sibilanceBad = 1.0
    public static let levelShortfallWarnDB = 1.0, levelShortfallBadDB = 6.0, levelExcessWarnDB = 6.0

    public static func sii(_ x: Double?) -> Severity {
        guard let x, x.isFinite else { return .none }
        return x >= siiGood ? .good : (x >= siiPoor ? .warn : .bad)
    }

    public static func stoi(_ x: Double?) -> Severity {
        guard let x, x.isFinite else { return .none }
        return x >= stoiGood ? .good : (x >= stoiPoor ? .warn : .bad)
    }

    public static func maskedWords(_ masked: Int, of total: Int) -> Severity {
        guard total > 0 else { return .none }
        if masked == 0 { return .good }
        return Double(masked) / Double(total) <= maskedShareWarn ? .warn : .bad
    }

    public static func lowFrequency(_ risk: Double) -> Severity {
        guard risk.isFinite else { return .none }
        return risk < lowFrequencyWarn ? .good : (risk < lowFrequencyBad ? .warn : .bad)
    }

    public static func sibilance(_ score: Double?) -> Severity {
        guard let score, score.isFinite else { return .none }
        return score < sibilanceWarn ? .good : (score < sibilanceBad ? .warn : .bad)
    }

    /// `shortfallDB`: the listener's target minus the dialogue's level at the ear.
    public static func dialogueLevel(shortfallDB: Double?) -> Severity {
        guard let d = shortfallDB, d.isFinite else { return .none }
        if d > levelShortfallBadDB { return .bad }
        if d > levelShortfallWarnDB || -d > levelExcessWarnDB { return .warn }
        return .good
    }

    /// Fill colour of an SII: three families of hues for the three SII bands (reds below 0.45,
    /// ambers to 0.75, greens above), darker towards the bad end.
    static func siiColour(_ sii: Double) -> String { bandedColour(sii, poor: siiPoor, good: siiGood) }

    /// Fill colour of a word by its heard probability (`WordMasking.heardProbability`): reds
    /// below the masked threshold (0.5 by default), ambers while at risk (below 0.8), greens above.
    static func heardColour(_ p: Double, masking: WordMaskingSettings = .init()) -> String {
        let poor = masking.maskedBelowHeardProbability
        return bandedColour(p, poor: poor, good: max(poor, masking.atRiskBelowHeardProbability))
    }

    static func bandedColour(_ value: Double, poor: Double, good: Double) -> String {
        guard value.isFinite else { return "#c8c8c8" }
        let x = min(max(value, 0), 1)
        let hue: Double, lightness: Double
        if x < poor {
            hue = 2 + 14 * x / poor; lightness = 0.56 + 0.08 * x / poor
        } else if x < good {
            let t = (x - poor) / max(good - poor, 1e-9)
            hue = 36 + 16 * t; lightness = 0.62 + 0.04 * t
        } else {
            let t = (x - good) / max(1 - good, 1e-9)
            hue = 100 + 30 * t; lightness = 0.66 - 0.08 * t
        }
        return hexColour(hue: hue, saturation: 0.72, lightness: lightness)
    }

    static func hexColour(hue: Double, saturation s: Double, lightness l: Double) -> String {
        let c = (1 - abs(2 * l - 1)) * s
        let h = hue / 60
        let x = c * (1 - abs(h.truncatingRemainder(dividingBy: 2) - 1))
        let (r, g, b): (Double, Double, Double)
        switch h {
        case ..<1: (r, g, b) = (c, x, 0)
        case ..<2: (r, g, b) = (x, c, 0)
        case ..<3: (r, g, b) = (0, c, x)
        case ..<4: (r, g, b) = (0, x, c)
        case ..<5: (r, g, b) = (x, 0, c)
        default: (r, g, b) = (c, 0, x)
        }
        let m = l - c / 2
        func byte(_ v: Double) -> Int { Int(((v + m) * 255).rounded()) }
        return String(format: "#%02x%02x%02x", byte(r), byte(g), byte(b))
    }
}

extension MaskerKind {
    /// The letter the report marks a masked word with.
    var letter: String {
        switch self {
        case .music: return "M"
        case .effects: return "E"
        case .me: return "ME"
        case .environment: return "N"
        case .device: return "D"
        }
    }

    var legend: String {
        switch self {
        case .music: return "music stem"
        case .effects: return "effects stem"
        case .me: return "M&E (music and effects together)"
        case .environment: return "environment noise around the listener"
        case .device: return "the device (too quiet, missing bands, or its limiter ducked the word)"
        }
    }
}

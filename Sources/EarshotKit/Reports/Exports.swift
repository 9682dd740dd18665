import Foundation

/// A word worth a mixer's look: masked in at least one scenario, or a harsh sibilant.
struct FlaggedWord: Sendable, Equatable {
    public var index: Int
    public var text: String
    public var startSeconds: Double
    public var endSeconds: Double
    /// One phrase per scenario and problem: "masked by effects on phone-budget-speaker@commute-bus (SII 0.21)".
    public var reasons: [String]
}

/// The check's words for the tools mixers use: a CSV of every word, and the flagged words as
/// Audacity labels, a Reaper marker list and an SRT. Times carry the programme's BWF time
/// reference where a tool places media by timecode (Reaper positions, the timecode columns and
/// texts); Audacity labels and SRT cues count from the file's first sample, like the file does
/// in those tools, and say the timecode in their text.
enum Exports {
    public static func flaggedWords(_ report: CheckReport) -> [FlaggedWord] {
        var byIndex: [Int: FlaggedWord] = [:]
        for scenario in report.scenarios {
            for w in scenario.words ?? [] where w.masked {
                var f = byIndex[w.index] ?? FlaggedWord(index: w.index, text: w.text, startSeconds: w.startSeconds, endSeconds: w.endSeconds, reasons: [])
                f.reasons.append(String(format: "masked by %@ on %@ (heard by %.0f %% of listeners, SII %.2f%@)", w.maskedBy?.rawValue ?? "?", scenario.id,
                                        100 * w.heardProbability, w.sii, w.maskedWithoutMix ? ", even without the mix" : ""))
                byIndex[w.index] = f
            }
            for e in scenario.sibilance?.events ?? [] where e.harsh {
                guard let i = e.wordIndex, let w = report.timings?.words.first(where: { $0.index == i }) else { continue }
                var f = byIndex[i] ?? FlaggedWord(index: i, text: w.text, startSeconds: w.startSeconds, endSeconds: w.endSeconds, reasons: [])
                let sharpness = e.sharpnessAcum.map { String(format: ", %.1f acum", $0) } ?? ""
                f.reasons.append(String(format: "harsh sibilance on %@ (%+.1f dB over normal speech's peak at %.1f kHz%@)",
                                        scenario.id, e.overSpeechPeakDB, e.peakBandHz / 1000, sharpness))
                byIndex[i] = f
            }
        }
        return byIndex.values.sorted { ($0.startSeconds, $0.index) < ($1.startSeconds, $1.index) }
    }

    /// Every word in every scenario, one row each; `maskedWithoutMix` true marks a word lost even
    /// without the mix (the situation's, not the mix's; `siiWithoutMix` is its index then);
    /// `tooShortToJudge` true marks a word with no SII and no heard probability (too short for
    /// the per-word masking to judge).
    public static func wordsCSV(_ report: CheckReport) -> String {
        var out = "scenario,index,word,startSeconds,endSeconds,timecode,estimated,sii,heardProbability,dialogueToMaskerDB,masked,atRisk,maskedBy,maskedWithoutMix,siiWithoutMix,tooShortToJudge\n"
        for s in report.scenarios {
            for w in s.words ?? [] {
                let fields: [String] = [
                    s.id, String(w.index), csv(w.text), JSONValue.format(w.startSeconds), JSONValue.format(w.endSeconds),
                    report.timecode(atSeconds: w.startSeconds) ?? "", w.estimated ? "true" : "false",
                    w.sii.isFinite ? JSONValue.format(w.sii) : "", w.heardProbability.isFinite ? JSONValue.format(w.heardProbability) : "",
                    w.dialogueToMaskerDB.isFinite ? JSONValue.format(w.dialogueToMaskerDB) : "",
                    w.masked ? "true" : "false", w.atRisk ? "true" : "false", w.maskedBy?.rawValue ?? "", w.maskedWithoutMix ? "true" : "false",
                    w.siiWithoutMix.isFinite ? JSONValue.format(w.siiWithoutMix) : "", w.tooShortToJudge ? "true" : "false",
                ]
                out += fields.joined(separator: ",") + "\n"
            }
        }
        return out
    }

    /// Audacity label track: start, end (seconds from the file's start) and text, tab-separated.
    public static func audacityLabels(_ report: CheckReport) -> String {
        flaggedWords(report).map { f in
            String(format: "%.6f\t%.6f\t%@", f.startSeconds, f.endSeconds, label(f, report))
        }.joined(separator: "\n") + "\n"
    }

    /// Reaper region/marker list (Region/Marker Manager CSV): regions at the words' positions in
    /// a session whose timeline starts at the programme's BWF time reference.
    public static func reaperMarkers(_ report: CheckReport) -> String {
        let offset = report.timeReferenceSeconds ?? 0
        var out = "#,Name,Start,End,Length\n"
        for (n, f) in flaggedWords(report).enumerated() {
            out += "R\(n + 1),\(csv(label(f, report))),\(clock(offset + f.startSeconds)),\(clock(offset + f.endSeconds)),\(clock(f.endSeconds - f.startSeconds))\n"
        }
        return out
    }

    /// An SRT of the flagged words, one cue each.
    public static func flaggedSRT(_ report: CheckReport) -> String {
        var out = ""
        for (n, f) in flaggedWords(report).enumerated() {
            out += "\(n + 1)\n\(srtTime(f.startSeconds)) --> \(srtTime(f.endSeconds))\n\(label(f, report))\n\n"
        }
        return out
    }

    static func label(_ f: FlaggedWord, _ report: CheckReport) -> String {
        let tc = report.timecode(atSeconds: f.startSeconds).map { " @ \($0)" } ?? ""
        return "\(f.text)\(tc): " + f.reasons.joined(separator: "; ")
    }

    static func csv(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// H:MM:SS.mmm
    static func clock(_ seconds: Double) -> String {
        let ms = Int((seconds * 1000).rounded())
        return String(format: "%d:%02d:%02d.%03d", ms / 3_600_000, (ms / 60_000) % 60, (ms / 1000) % 60, ms % 1000)
    }

    static func srtTime(_ seconds: Double) -> String {
        let ms = Int((max(seconds, 0) * 1000).rounded())
        return String(format: "%02d:%02d:%02d,%03d", ms / 3_600_000, (ms / 60_000) % 60, (ms / 1000) % 60, ms % 1000)
    }
}

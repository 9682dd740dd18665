import Foundation

extension CheckReport {
    /// The short text a mixer reads in the terminal: loudness against the specs, then one row
    /// per scenario (volume, the words the mix costs and by what, the words the situation takes
    /// as context, STOI, SII, LF risk, sibilance, the dialogue's level at the ear against the
    /// listener's target) in aligned columns, each
    /// score with its scale, and a legend with the thresholds the HTML report colours by.
    public func summary() -> String {
        var out = ""
        let l = loudness
        out += "Programme: \(String(format: "%.1f", durationSeconds)) s"
        if let tc = timecode(atSeconds: 0) { out += ", starts \(tc)" }
        out += "\n"
        out += "Loudness: \(LoudnessResult.formatted(l.integratedLUFS)) LUFS integrated, LRA \(LoudnessResult.formatted(l.loudnessRangeLU, missing: "n/a")) LU, true peak \(LoudnessResult.formatted(l.truePeakDBTP)) dBTP\n"
        let passes = platforms.filter { $0.1.pass }.map { $0.0.name }
        let fails = platforms.filter { !$0.1.pass }
        if !passes.isEmpty { out += "  meets: \(passes.joined(separator: ", "))\n" }
        for (_, verdict) in fails { out += "  fails \(verdict.name): \(verdict.reason ?? "")\n" }
        if let fit = programme.stemSum, fit.appliedGainDB != 0 || !fit.lossyInputs.isEmpty {
            out += String(format: "Stems: the mix is their sum at %+.1f dB (the difference after that gain is %.1f dB below the mix)", fit.appliedGainDB, -fit.residualDB)
            out += fit.appliedGainDB != 0 ? "; the stems are played at that gain\n" : "\n"
        }
        if !programme.lossyInputs.isEmpty {
            out += "Lossy inputs: " + programme.lossyInputs.map { "\(Self.fileName($0.path)) (\($0.codec))" }.joined(separator: ", ")
                + (programme.stemSum.map { _ in String(format: "; the stems' sum is checked to %.0f dB instead of %.0f dB", StemSumFit.lossyResidualLimitDB, StemSumFit.residualLimitDB) } ?? "") + "\n"
        }
        let below = lines.filter { (programme.dialogueToMusicAndEffectsLU(fromSeconds: $0.startSeconds, toSeconds: $0.endSeconds) ?? 99) < 6 }
        if !lines.isEmpty && programme.musicAndEffectsLoudness != nil {
            out += "Dialogue over M&E: \(below.count) of \(lines.count) lines below the mobile +6 LU\n"
        }
        out += "\n"
        var table = TextTable(header: ["scenario", "volume", "masked by mix", "lost to situation", "STOI (0-1)", "SII (0-1)"]
                              + ScenarioMetrics.registered.map { $0.summaryHeader } + ["sibilance (0-1)", "dialogue at ear"])
        for s in scenarios {
            var mixText = "-", situationText = "-"
            if let words = s.words {
                mixText = "\(s.maskedByMix)/\(words.count)" + Self.causesText(words.filter(\.maskedByMix))
                if s.tooShortWords > 0 { mixText += ", \(s.tooShortWords) too short to judge" }
                situationText = "\(s.maskedBySituation)" + Self.causesText(words.filter(\.maskedWithoutMix))
            }
            var sibilanceText = "-"
            if let sib = s.sibilance {
                sibilanceText = String(format: "%.2f (%d harsh)", sib.harshnessScore, sib.events.filter(\.harsh).count)
            }
            table.append([
                s.id, "\(Int(s.volumePercent.rounded())) %",
                mixText, situationText,
                s.stoi.map { String(format: "%.2f", $0) } ?? "-",
                s.sii.map { String(format: "%.2f", $0) } ?? "-",
            ] + s.metrics.map(\.result.summaryCell) + [
                sibilanceText,
                dialogueLevelText(s),
            ])
        }
        out += table.rendered()
        out += Self.summaryLegend
        if scenarios.contains(where: { $0.words == nil }) {
            out += "\nPer-word masking, STOI and SII need the dialogue stem (--dialogue); the rest was computed. Without it, \"dialogue at ear\" is estimated from the mix's loudness.\n"
        }
        return out
    }

    /// " (music 2, effects 1)": the words counted by what masks them, in `MaskerKind` order;
    /// empty for no words.
    static func causesText(_ masked: [WordMasking]) -> String {
        var causes: [String] = []
        for kind in MaskerKind.allCases {
            let n = masked.filter { $0.maskedBy == kind }.count
            if n > 0 { causes.append("\(kind.rawValue) \(n)") }
        }
        return causes.isEmpty ? "" : " (" + causes.joined(separator: ", ") + ")"
    }

    /// The dialogue's estimated level at the ear against the listener's target, as the HTML
    /// matrix gives it: "9 dB short at full volume" when the device runs out of volume, "9 dB
    /// short" at a fixed volume, "7 dB over", or "on target" (within 1 dB short, 6 dB over).
    func dialogueLevelText(_ s: ScenarioResult) -> String {
        guard let shortfall = dialogueShortfallDB(s) else { return "-" }
        if shortfall > ReportThresholds.levelShortfallWarnDB {
            return String(format: "%.0f dB short", shortfall) + (s.volumePercent >= 100 ? " at full volume" : "")
        }
        if -shortfall > ReportThresholds.levelExcessWarnDB { return String(format: "%.0f dB over", -shortfall) }
        return "on target"
    }

    /// What the columns mean and where they turn bad (the thresholds of `ReportThresholds`).
    static var summaryLegend: String {
        let t = ReportThresholds.self
        return String(format: """
        Scales: STOI and SII 0-1, higher is clearer (SII %.2f or more good, below %.2f poor: ANSI S3.5; STOI below %.2f poor);
          masked by mix: words masked that would be heard without the music and effects (same device, volume and
          place), of all words, by what - the mix's cost; lost to situation: words masked even without the mix (the
          device or the place is the limit, see dialogue at ear), by what - context, not the mix's fault;
          LF risk 0-1 (%.1f or more poor: the cone passes its limit); sibilance harshness 0-1 (%.1f or more poor);
          dialogue at ear: its estimated level, dB(A), against the level the listener chooses (loudspeakers %.0f dB(A) in
          quiet, +%.1f dB per dB of noise above %.0f dB(A); earbuds %.1f dB(A) + %.2f dB per dB of noise in the ear; at
          most %.0f dB(A): published preferred listening levels, see the README).

        """, t.siiGood, t.siiPoor, t.stoiPoor, t.lowFrequencyBad, t.sibilanceBad,
                      ListenerVolume.loudspeakerQuietDBA, ListenerVolume.loudspeakerSlope, ListenerVolume.loudspeakerKneeDBA,
                      ListenerVolume.earbudInterceptDBA, ListenerVolume.earbudSlope, ListenerVolume.maximumChosenDBA)
    }
}

import Foundation

extension CheckReport {
    /// The short text a mixer reads in the terminal: loudness against the specs, then one row
    /// per scenario (STOI, SII, masked words and by what, LF risk, sibilance).
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
        out += "scenario".padding(toLength: 44, withPad: " ", startingAt: 0) + "STOI   SII    masked words          LF risk  sibilance\n"
        for s in scenarios {
            var row = "\(s.id) @\(Int(s.volumePercent.rounded()))%".padding(toLength: 44, withPad: " ", startingAt: 0)
            row += (s.stoi.map { String(format: "%.2f", $0) } ?? "  - ").padding(toLength: 7, withPad: " ", startingAt: 0)
            row += (s.sii.map { String(format: "%.2f", $0) } ?? "  - ").padding(toLength: 7, withPad: " ", startingAt: 0)
            var maskedText = "-"
            if let words = s.words {
                var causes: [String] = []
                for kind in MaskerKind.allCases {
                    let n = words.filter { $0.maskedBy == kind }.count
                    if n > 0 { causes.append("\(kind.rawValue) \(n)") }
                }
                maskedText = "\(s.maskedWords)/\(words.count)" + (causes.isEmpty ? "" : " (" + causes.joined(separator: ", ") + ")")
            }
            row += maskedText.padding(toLength: max(22, maskedText.count + 1), withPad: " ", startingAt: 0)
            row += String(format: "%.2f", max(0, s.lowFrequency.riskScore)).padding(toLength: 9, withPad: " ", startingAt: 0)
            if let sib = s.sibilance {
                row += String(format: "%.2f (%d harsh)", sib.harshnessScore, sib.events.filter(\.harsh).count)
            } else {
                row += "-"
            }
            out += row + "\n"
        }
        if scenarios.contains(where: { $0.words == nil }) {
            out += "\nPer-word masking, STOI and SII need the dialogue stem (--dialogue); the rest was computed.\n"
        }
        return out
    }
}

import Foundation

extension CheckReport {
    /// The dialogue's long-term level at the ear, dB(A), estimated as the listener model does
    /// (`ListenerVolume`, `SpeechLevelAtEar`): what the device gives the dialogue's integrated
    /// loudness (the mix's without a dialogue stem) at 100 %, plus the volume control's gain.
    func estimatedDialogueDBA(_ s: ScenarioResult) -> Double? {
        guard let lufs = programme.dialogueLoudness?.integratedLUFS ?? loudness.integratedLUFS, lufs.isFinite else { return nil }
        return SpeechLevelAtEar.atFullVolumeDBA(device: s.device, speechOffsetDB: s.deviceSpeechOffsetDB, programmeLUFS: lufs)
            + s.device.volumeGainDB(percent: s.volumePercent)
    }

    /// How many dB the dialogue lacks at the ear: the listener's target for the environment
    /// (`ListenerVolume.targetDialogueDBA`) minus the dialogue's estimated level; negative when
    /// it is above the target. At full volume this is what the device cannot give the place — the
    /// figure beside the words lost to the situation (`ScenarioResult.maskedBySituation`).
    func dialogueShortfallDB(_ s: ScenarioResult) -> Double? {
        estimatedDialogueDBA(s).map { ListenerVolume.targetDialogueDBA(device: s.device, environment: s.environment) - $0 }
    }

    /// The words lost to the situation in a phrase, as context beside the mix's cost:
    /// "12 lost to the situation (environment 10, device 2; dialogue 9 dB short at full volume)",
    /// or "none lost to the situation". Nil without per-word masking.
    func situationText(_ s: ScenarioResult) -> String? {
        guard let words = s.words else { return nil }
        let n = s.maskedBySituation
        guard n > 0 else { return "none lost to the situation" }
        var parts: [String] = []
        var causes: [String] = []
        for kind in MaskerKind.allCases where !kind.isPartOfTheMix {
            let count = words.filter { $0.maskedWithoutMix && $0.maskedBy == kind }.count
            if count > 0 { causes.append("\(kind.rawValue) \(count)") }
        }
        if !causes.isEmpty { parts.append(causes.joined(separator: ", ")) }
        if let shortfall = dialogueShortfallDB(s), shortfall > ReportThresholds.levelShortfallWarnDB {
            parts.append(String(format: "dialogue %.0f dB short", shortfall) + (s.volumePercent >= 100 ? " at full volume" : ""))
        }
        return "\(n) lost to the situation" + (parts.isEmpty ? "" : " (" + parts.joined(separator: "; ") + ")")
    }

    /// The mix's cost in a phrase: "3 masked by the mix (music 2, effects 1)", or "none masked by
    /// the mix". Nil without per-word masking.
    func mixCostText(_ s: ScenarioResult) -> String? {
        guard let words = s.words else { return nil }
        let n = s.maskedByMix
        guard n > 0 else { return "none masked by the mix" }
        var causes: [String] = []
        for kind in MaskerKind.allCases where kind.isPartOfTheMix {
            let count = words.filter { $0.maskedByMix && $0.maskedBy == kind }.count
            if count > 0 { causes.append("\(kind == .me ? "M&E" : kind.rawValue) \(count)") }
        }
        return "\(n) masked by the mix" + (causes.isEmpty ? "" : " (" + causes.joined(separator: ", ") + ")")
    }
}

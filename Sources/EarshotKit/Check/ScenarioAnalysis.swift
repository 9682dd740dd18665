import Foundation

/// Everything measured in one scenario (ARCHITECTURE.md section 2).
public struct ScenarioResult: Sendable {
    public var id: String
    public var device: DeviceProfile
    public var environment: EnvironmentProfile
    public var volumePercent: Double
    public var stoi: Double?
    public var estoi: Double?
    /// Why STOI was not computed, when it was not.
    public var stoiNote: String?
    public var sii: Double?
    public var words: [WordMasking]?
    public var lowFrequency: LowFrequencyRisk
    public var sibilance: SibilanceHarshness?
    /// Equivalent (unweighted) level of what the listener hears at the ear, dB SPL.
    public var atEarLeqDB: Double

    public var maskedWords: Int { words?.filter(\.masked).count ?? 0 }
}

/// Renders one scenario and runs every analysis on the at-ear blocks as they stream past.
enum ScenarioAnalysis {
    static func run(inputs: ScenarioInputs, scenario: Scenario, words: [WordTiming]?, programme: ProgrammeAnalysis,
                    settings: CheckSettings) throws -> ScenarioResult {
        let hasDialogue = inputs.paths[.dialogue] != nil
        let maskerRoles: [ScenarioInputs.Role] = inputs.stems.filter { $0 != .dialogue }
        let bands = hasDialogue ? try BandFrameAnalyzer() : nil
        let masking = hasDialogue ? words.map { WordMaskingAnalyzer(words: $0, settings: settings.masking) } : nil
        let channels = scenario.device.profile.channelMode == .mono ? 1 : 2
        let lowFrequency = LowFrequencyRiskAnalyzer(excursion: scenario.device.profile.excursion, channels: channels)
        let sibilance = try programme.sibilantCandidates.map { try SibilanceAnalyzer(candidates: $0, words: words ?? []) }
        // STOI: the clean dialogue as delivered against what the listener hears, both at 10 kHz.
        let toTenK = hasDialogue ? try (Resampler(inputRate: 48000, outputRate: 10000, channels: 1),
                                        Resampler(inputRate: 48000, outputRate: 10000, channels: 1)) : nil
        let cleanDialogue = hasDialogue ? try AudioSource(path: inputs.paths[.dialogue]!) : nil
        var reference: [Float] = [], degraded: [Float] = []
        var atEarEnergyA = 0.0, atEarFrames = 0
        var maskingError: Error?

        try ScenarioRenderer(inputs: inputs, scenario: scenario).render { block in
            let n = block.frames
            lowFrequency.consume(drive: block.mixDrive, limiterGain: block.deviceGain)
            let total = block.total
            atEarEnergyA += zip(total.left, total.right).reduce(0.0) { $0 + Double($1.0 * $1.0 + $1.1 * $1.1) / 2 }
            atEarFrames += n
            guard hasDialogue, let dialogue = block.stems[.dialogue] else { return }
            var maskers: [MaskerKind: StereoBlock] = [.environment: block.environment]
            if maskerRoles.isEmpty {
                // Only a mix and a dialogue stem: the rest of the mix is the M&E.
                var rest = block.mix
                for i in 0..<n { rest.left[i] -= dialogue.left[i]; rest.right[i] -= dialogue.right[i] }
                maskers[.me] = rest
            } else {
                for role in maskerRoles { maskers[MaskerKind(rawValue: role.rawValue)!] = block.stems[role]! }
            }
            if let bands, let masking, maskingError == nil {
                do { try bands.consume(dialogue: dialogue, maskers: maskers, deviceGain: block.deviceGain) { try masking.consume($0) } } catch { maskingError = error }
            }
            sibilance?.consume(dialogue.monoSum)
            if let (r1, r2) = toTenK, let cleanDialogue {
                let clean = try cleanDialogue.read(n)
                reference += r1.process([clean.monoSum])[0]
                degraded += r2.process([total.monoSum])[0]
            }
        }
        if let maskingError { throw maskingError }
        var result = ScenarioResult(
            id: scenario.id, device: scenario.device.profile, environment: scenario.environment, volumePercent: scenario.volumePercent,
            stoi: nil, estoi: nil, stoiNote: nil, sii: nil, words: nil, lowFrequency: lowFrequency.finish(),
            sibilance: sibilance?.finish(), atEarLeqDB: 10 * log10(max(atEarEnergyA / Double(max(atEarFrames, 1)), 1e-30) / 4e-10))
        guard hasDialogue else {
            result.stoiNote = "not computed: STOI, SII and per-word masking need the dialogue stem (--dialogue)"
            return result
        }
        if let (r1, r2) = toTenK {
            var tail = r1.process(nil); while !tail[0].isEmpty { reference += tail[0]; tail = r1.process(nil) }
            tail = r2.process(nil); while !tail[0].isEmpty { degraded += tail[0]; tail = r2.process(nil) }
            let count = min(reference.count, degraded.count)
            do {
                let scores = try STOI.computeBoth(reference: Array(reference[0..<count]), degraded: Array(degraded[0..<count]), sampleRate: 10000,
                                                  referenceName: "dialogue stem", degradedName: "\(scenario.id) at the ear")
                result.stoi = scores.stoi.value
                result.estoi = scores.estoi.value
            } catch let error as EarshotError {
                result.stoiNote = "not computed: \(error.message)"
            }
        }
        if let masking {
            result.words = try masking.finish()
            result.sii = try masking.overallSII()
        }
        return result
    }
}

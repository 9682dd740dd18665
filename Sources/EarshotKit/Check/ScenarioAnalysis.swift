import Foundation

/// Everything measured in one scenario (ARCHITECTURE.md section 2).
public struct ScenarioResult: Sendable {
    public var id: String
    public var device: DeviceProfile
    public var environment: EnvironmentProfile
    public var volumePercent: Double
    /// The device's colouration of speech (`DeviceModel.speechOffsetDB`): dialogue's A-weighted
    /// level at the ear re sensitivity + loudness, dB.
    public var deviceSpeechOffsetDB: Double = 0
    public var stoi: Double?
    public var estoi: Double?
    /// Why STOI was not computed, when it was not.
    public var stoiNote: String?
    public var sii: Double?
    public var words: [WordMasking]?
    public var sibilance: SibilanceHarshness?
    /// Equivalent (unweighted) level of what the listener hears at the ear, dB SPL.
    public var atEarLeqDB: Double
    /// Long-term third-octave spectrum of the at-ear programme (device output, no environment),
    /// 25 Hz–16 kHz, dB SPL (`LongTermSpectrumAccumulator`).
    public var longTermSpectrum: [(centreHz: Double, levelDB: Double)] = []
    /// Clips of the masked words to listen to (at most `MaskedWordSnippetRecorder.defaultCapacity`).
    public var maskedWordSnippets: [MaskedWordSnippet] = []
    /// Masked words beyond the cap, without a clip.
    public var maskedWordsNotEmbedded = 0

    public var maskedWords: Int { words?.filter(\.masked).count ?? 0 }
    /// Words masked, but heard without the mix: what the mix costs (`WordMasking.maskedByMix`).
    public var maskedByMix: Int { words?.filter(\.maskedByMix).count ?? 0 }
    /// Words masked even without the mix: the device or the place is the limit.
    public var maskedBySituation: Int { words?.filter(\.maskedWithoutMix).count ?? 0 }
    /// Words too short to judge (`WordMasking.tooShortToJudge`).
    public var tooShortWords: Int { words?.filter(\.tooShortToJudge).count ?? 0 }
    /// Words at risk (`WordMasking.atRisk`), masked ones included.
    public var atRiskWords: Int { words?.filter(\.atRisk).count ?? 0 }
    /// What each registered metric found (`ScenarioMetrics.registered`), in that order.
    var metrics: [(key: String, result: any ScenarioMetricResult)] = []

    /// The low-frequency risk (a registered metric).
    public var lowFrequency: LowFrequencyRisk { metric(LowFrequencyRisk.self)! }

    /// The result of the registered metric whose result is of type `R`.
    func metric<R>(_ type: R.Type) -> R? { metrics.lazy.compactMap { $0.result as? R }.first }
}

/// Renders one scenario from input blocks the caller reads (so several scenarios share one
/// decode) and runs every analysis on the at-ear blocks as they stream past.
final class ScenarioAnalyzer {
    let scenario: Scenario
    private let renderer: ScenarioRenderer
    private let hasDialogue: Bool
    private let maskerRoles: [ScenarioInputs.Role]
    private let bands: BandFrameAnalyzer?
    private let masking: WordMaskingAnalyzer?
    private let metrics: [any ScenarioMetric]
    private let sibilance: SibilanceAnalyzer?
    /// STOI: what the listener hears, at 10 kHz, against the clean dialogue at 10 kHz (which the
    /// caller resamples once for all scenarios), streamed.
    private let toTenK: Resampler?
    private let stoi: StreamingSTOI?
    private var atEarEnergy = 0.0, atEarFrames = 0
    private let spectrum: LongTermSpectrumAccumulator
    private let snippets: MaskedWordSnippetRecorder?

    /// `speechActivity` is STOI's decision of which frames of the dialogue at 10 kHz are
    /// speech-active (nil without a dialogue stem).
    init(inputs: ScenarioInputs, scenario: Scenario, frames: Int, words: [WordTiming]?, programme: ProgrammeAnalysis,
         settings: CheckSettings, mixFromStems: Bool, speechActivity: SilentFrameRemoval?) throws {
        self.scenario = scenario
        renderer = ScenarioRenderer(inputs: inputs, scenario: scenario, mixFromStems: mixFromStems, dualMonoRoles: programme.dualMonoRoles)
        try renderer.start(frames: frames)
        hasDialogue = inputs.paths[.dialogue] != nil
        maskerRoles = inputs.stems.filter { $0 != .dialogue }
        bands = hasDialogue ? try BandFrameAnalyzer() : nil
        masking = hasDialogue ? words.map { WordMaskingAnalyzer(words: $0, settings: settings.masking) } : nil
        metrics = try ScenarioMetrics.registered.map { try $0.init(scenario: scenario) }
        sibilance = try programme.sibilantCandidates.map { try SibilanceAnalyzer(candidates: $0, words: words ?? []) }
        toTenK = hasDialogue ? try Resampler(inputRate: 48000, outputRate: 10000, channels: 1, quality: .speechBand) : nil
        stoi = hasDialogue ? speechActivity.map(StreamingSTOI.init(activity:)) : nil
        spectrum = try LongTermSpectrumAccumulator()
        let volumeGain = Float(pow(10, scenario.device.profile.volumeGainDB(percent: scenario.volumePercent) / 20))
        snippets = masking == nil ? nil : words.map {
            MaskedWordSnippetRecorder(words: $0, originalPascalsPerFullScale: scenario.device.pascalsPerFullScale * volumeGain * inputs.stemGain)
        }
    }

    /// Feeds the next input blocks (one per role, the same length) and the same stretch of the
    /// dialogue at 10 kHz (STOI's reference).
    func consume(_ blocks: [ScenarioInputs.Role: StereoBlock], reference10kHz: [Float]) throws {
        stoi?.append(reference: reference10kHz)
        if let snippets, let dialogue = blocks[.dialogue] { snippets.appendInput(dialogue.monoSum) }
        for block in renderer.process(blocks) { try analyse(block) }
    }

    private func analyse(_ block: AtEarBlock) throws {
        let n = block.frames
        for metric in metrics { metric.consume(block) }
        let total = block.total
        total.left.withUnsafeBufferPointer { l in
            total.right.withUnsafeBufferPointer { r in
                var sum = 0.0
                for i in 0..<n { sum += Double(l[i] * l[i] + r[i] * r[i]) }
                atEarEnergy += sum / 2
            }
        }
        atEarFrames += n
        spectrum.add(block.mix)
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
        if let bands, let masking {
            try bands.consume(dialogue: dialogue, maskers: maskers, deviceGain: block.deviceGain) { try masking.consume($0) }
        }
        sibilance?.consume(dialogue.monoSum)
        let heard = total.monoSum
        if let snippets, let masking { try snippets.appendAtEar(heard, results: masking.results) }
        if let toTenK, let stoi { stoi.append(degraded: toTenK.process([heard])[0]) }
    }

    /// Finishes the analyses.
    func finish() throws -> ScenarioResult {
        for block in renderer.finish() { try analyse(block) }
        var result = ScenarioResult(
            id: scenario.id, device: scenario.device.profile, environment: scenario.environment, volumePercent: scenario.volumePercent,
            stoi: nil, estoi: nil, stoiNote: nil, sii: nil, words: nil,
            sibilance: sibilance?.finish(), atEarLeqDB: 10 * log10(max(atEarEnergy / Double(max(atEarFrames, 1)), 1e-30) / 4e-10),
            longTermSpectrum: spectrum.finish(), metrics: metrics.map { (type(of: $0).reportKey, $0.finish()) })
        result.deviceSpeechOffsetDB = scenario.device.speechOffsetDB
        guard hasDialogue else {
            result.stoiNote = "not computed: STOI, SII and per-word masking need the dialogue stem (--dialogue)"
            return result
        }
        if let toTenK, let stoi {
            var tail = toTenK.process(nil)
            while !tail[0].isEmpty { stoi.append(degraded: tail[0]); tail = toTenK.process(nil) }
            do {
                let scores = try stoi.finish(referenceName: "dialogue stem")
                result.stoi = scores.stoi.value
                result.estoi = scores.estoi.value
            } catch let error as EarshotError {
                result.stoiNote = "not computed: \(error.message)"
            }
        }
        if let masking {
            result.words = try masking.finish()
            if let snippets {
                (result.maskedWordSnippets, result.maskedWordsNotEmbedded) = try snippets.finish(results: masking.results)
            }
            result.sii = try masking.overallSII()
        }
        return result
    }
}

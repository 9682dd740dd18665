import Foundation

/// The one decision of per-word masking (ARCHITECTURE.md section 2): from a word's
/// speech-active frames and the maskers that count, the word's short-time SII and whether it is
/// masked. Every question `WordMaskingAnalyzer` asks of a word — with all maskers, with each one
/// alone, with none, with the device's limiter ducking undone, without the mix — is this one
/// function on other inputs, so another per-word model replaces the verdict here and nowhere
/// else.
///
/// The model (`WordIntelligibilityModel`): the word's extended-SII index — its long-term
/// dialogue spectrum as the speech against each speech-active frame of the chosen maskers as the
/// noise, ANSI S3.5-1997 SII per frame, averaged — and the chance a listener hears it
/// (`WordTransferFunction`); masked below `maskedBelowHeardProbability`.
struct WordMaskingJudge {
    /// How the device's protection limiter is treated in a judgement.
    enum Ducking {
        /// As rendered: the limiter's gain, driven by the whole programme, stays on.
        case asRendered
        /// Undone on every frame ducked by more than `duckingThresholdDB`: the dialogue and the
        /// stems the device plays are raised by the gain the limiter took; the environment,
        /// which the device does not play, is not.
        case undoneAboveThreshold
    }

    /// One judgement of one word.
    struct Verdict {
        /// The word's extended-SII index over its speech-active frames.
        var sii: Double
        /// The predicted chance a normal-hearing listener gets the word.
        var heardProbability: Double
        var masked: Bool
    }

    let maskedBelowHeardProbability: Double
    let duckingThresholdDB: Double

    init(_ settings: WordMaskingSettings) {
        maskedBelowHeardProbability = settings.maskedBelowHeardProbability
        duckingThresholdDB = settings.duckingThresholdDB
    }

    /// The word's verdict with only `maskers` at the ear (none: the dialogue alone): `frames`
    /// are its speech-active frames (the noise), `speechFrames` all its frames (the speech's
    /// long-term spectrum).
    func judge(_ frames: [BandFrameAnalyzer.Frame], speech speechFrames: [BandFrameAnalyzer.Frame], maskers: [MaskerKind],
               ducking: Ducking) throws -> Verdict {
        precondition(!frames.isEmpty, "a judged word has speech-active frames")
        func gain(_ f: BandFrameAnalyzer.Frame) -> Double {
            ducking == .undoneAboveThreshold && Self.duckingDB(f) > duckingThresholdDB ? 1 / Double(f.deviceGain * f.deviceGain) : 1
        }
        let speech = WordIntelligibilityModel.equivalentSpectrum(speechFrames.map { f in
            let g = gain(f)
            return g == 1 ? f.dialogue : f.dialogue.map { $0 * g }
        })
        // With no masker every frame is the same silence: one frame gives the mean.
        let noise: [[Double]] = maskers.isEmpty ? [Self.silence] : frames.map { f in
            let g = gain(f)
            if maskers.count == 1, g == 1 || maskers[0] == .environment, let bands = f.maskers[maskers[0]] { return bands }
            var sum = Self.silence
            for kind in maskers {
                guard let bands = f.maskers[kind] else { continue }
                let k = kind == .environment ? 1 : g
                for b in 0..<18 { sum[b] += bands[b] * k }
            }
            return sum
        }
        let v = try WordIntelligibilityModel.verdict(speech: speech, maskerFrames: noise)
        return Verdict(sii: v.index, heardProbability: v.heardProbability, masked: v.heardProbability < maskedBelowHeardProbability)
    }

    private static let silence = [Double](repeating: 0, count: 18)

    /// The device limiter's gain reduction on a frame, dB.
    static func duckingDB(_ f: BandFrameAnalyzer.Frame) -> Double {
        -20 * log10(Double(max(f.deviceGain, 1e-6)))
    }
}

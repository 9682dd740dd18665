import Foundation

/// The one decision of per-word masking (ARCHITECTURE.md section 2): from a word's
/// speech-active frames and the maskers that count, the word's short-time SII and whether it is
/// masked. Every question `WordMaskingAnalyzer` asks of a word — with all maskers, with each one
/// alone, with none, with the device's limiter ducking undone, without the mix — is this one
/// function on other inputs, so another per-word model replaces the verdict here and nowhere
/// else.
///
/// Today's model: the ANSI S3.5-1997 one-third octave SII of each frame (at-ear dialogue as the
/// speech, the chosen maskers summed as the noise), averaged over the frames; masked below
/// `maskedBelowSII`.
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
        /// Mean short-time SII over the word's speech-active frames.
        var sii: Double
        var masked: Bool
    }

    let maskedBelowSII: Double
    let duckingThresholdDB: Double

    init(_ settings: WordMaskingSettings) {
        maskedBelowSII = settings.maskedBelowSII
        duckingThresholdDB = settings.duckingThresholdDB
    }

    /// The word's verdict with only `maskers` at the ear (none: the dialogue alone).
    func judge(_ frames: [BandFrameAnalyzer.Frame], maskers: [MaskerKind], ducking: Ducking) throws -> Verdict {
        precondition(!frames.isEmpty, "a judged word has speech-active frames")
        var total = 0.0
        for f in frames {
            var gain = 1.0
            if ducking == .undoneAboveThreshold && Self.duckingDB(f) > duckingThresholdDB {
                gain = 1 / Double(f.deviceGain * f.deviceGain)
            }
            let noise: [Double]
            if maskers.isEmpty {
                noise = Self.silence
            } else if maskers.count == 1, gain == 1 || maskers[0] == .environment, let bands = f.maskers[maskers[0]] {
                noise = bands
            } else {
                var sum = Self.silence
                for kind in maskers {
                    guard let bands = f.maskers[kind] else { continue }
                    let g = kind == .environment ? 1 : gain
                    for b in 0..<18 { sum[b] += bands[b] * g }
                }
                noise = sum
            }
            let speech = gain == 1 ? f.dialogue : f.dialogue.map { $0 * gain }
            total += try WordMaskingAnalyzer.sii(dialogue: speech, masker: noise)
        }
        let sii = total / Double(frames.count)
        return Verdict(sii: sii, masked: sii < maskedBelowSII)
    }

    private static let silence = [Double](repeating: 0, count: 18)

    /// The device limiter's gain reduction on a frame, dB.
    static func duckingDB(_ f: BandFrameAnalyzer.Frame) -> Double {
        -20 * log10(Double(max(f.deviceGain, 1e-6)))
    }
}

import Foundation

/// The chance that a normal-hearing listener gets one word of running speech, from the word's
/// dialogue and masker band powers in short frames (ARCHITECTURE.md section 2, per-word masking).
///
/// The index follows the extended SII (ESII) of Rhebergen & Versfeld, "A Speech Intelligibility
/// Index-based approach to predict the speech reception threshold for sentences in fluctuating
/// noise for normal-hearing listeners", JASA 117(4), 2005, section II: the *noise* is framed in
/// time and the *speech* is kept at its long-term spectrum, because the SII procedure (ANSI
/// S3.5-1997 section 4.7.1: K_i = (E′_i − D_i + 15)/30) already assumes the speech's ±15 dB
/// peaks and troughs around that long-term level; framing the speech too would count its dips
/// twice. Per word:
/// 1. Speech: the word's equivalent (energy-mean) band spectrum over its speech-active frames.
/// 2. Noise: each of those frames' masker band levels. ESII uses band-dependent windows of
///    35 ms (lowest band) to 9.4 ms (highest); Earshot's frames (`BandFrameAnalyzer`: 21.3 ms
///    Hann windows every 20 ms) are one window inside that range for every band. The
///    simplification is stated: low bands see slightly faster, high bands slightly slower
///    noise fluctuations than in ESII.
/// 3. The ANSI S3.5-1997 one-third-octave SII of (word speech, frame noise) for every frame.
/// 4. The word's index: the mean over its frames (ESII's average of the instantaneous SIIs).
///
/// The transfer function from index to `heardProbability` is a logistic function,
/// P = 1 / (1 + exp(−(index − index50) / spread)), anchored on published word-scored speech
/// reception data in stationary speech-shaped noise (see `transfer`): the index the same
/// procedure gives in that condition at the published 50 % point is `index50`, and the spread
/// reproduces the published slope of the psychometric function at that point.
enum WordIntelligibilityModel {
    /// The word index and the chance it is heard.
    public struct Verdict: Sendable, Equatable {
        /// The word's ESII-style index (steps 1-4), 0…1.
        public var index: Double
        /// The predicted chance a normal-hearing listener gets the word, 0…1.
        public var heardProbability: Double
    }

    /// The equivalent (energy-mean) band spectrum of `frames`, Pa² per band (step 1).
    public static func equivalentSpectrum(_ frames: [[Double]]) -> [Double] {
        let n = Double(max(1, frames.count))
        var mean = [Double](repeating: 0, count: 18)
        for f in frames { for b in 0..<18 { mean[b] += f[b] / n } }
        return mean
    }

    /// The word's index: `speech` (18 band mean squares, Pa²) against each of `maskerFrames`.
    public static func index(speech: [Double], maskerFrames: [[Double]]) throws -> Double {
        precondition(!maskerFrames.isEmpty)
        let speechDB = levelsDB(speech)
        var total = 0.0
        for noise in maskerFrames {                                                                // step 2
            total += try SpeechIntelligibilityIndex.fromThirdOctaveBandLevels(                     // step 3
                speechBandLevelsDBSPL: speechDB, noiseBandLevelsDBSPL: levelsDB(noise)).value
        }
        return total / Double(maskerFrames.count)                                                  // step 4
    }

    /// The word's index and heard probability.
    public static func verdict(speech: [Double], maskerFrames: [[Double]]) throws -> Verdict {
        let i = try index(speech: speech, maskerFrames: maskerFrames)
        return Verdict(index: i, heardProbability: transfer.heardProbability(index: i))
    }

    /// Band levels, dB SPL, of mean-square pressures (Pa²), floored as `ThirdOctaveBandAnalyzer` floors them.
    static func levelsDB(_ meanSquares: [Double]) -> [Double] {
        meanSquares.map { $0 > 0 ? max(10 * log10($0 / 4e-10), ThirdOctaveBandAnalyzer.floorDBSPL) : ThirdOctaveBandAnalyzer.floorDBSPL }
    }

    /// The transfer function Earshot uses (`WordTransferFunction.wordsInSentences`).
    public static let transfer = WordTransferFunction.wordsInSentences
}

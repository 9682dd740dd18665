import Foundation

/// A transfer function from a word's intelligibility index to the chance a normal-hearing
/// listener gets the word: the logistic psychometric function of speech-in-noise tests,
/// P = 1 / (1 + exp(−(index − index50) / spread)), as used to describe word scores against SNR
/// in the matrix sentence tests (Wagener, Brand & Kollmeier 1999; Kollmeier et al., "The
/// multilingual matrix test", Int. J. Audiol. 54 suppl. 2, 2015, section "psychometric
/// function": p(SNR) = 1/(1 + exp(4·s50·(SRT − SNR)))).
///
/// It is anchored, not fitted: given a published word-scored speech reception threshold SRT
/// (dB SNR at 50 % words) and slope s50 (per dB at the SRT) in stationary noise with speech's
/// own long-term spectrum,
/// 1. `index50` is the ANSI S3.5-1997 one-third-octave SII of speech at the standard speech
///    spectrum for normal vocal effort (Table 3, U_i) in noise of that same spectrum SRT dB
///    lower — the index every word gets in that condition, since speech and noise are then
///    stationary and the word's index equals the SII;
/// 2. the index's slope there, dI/dSNR (about 1/30 per dB: ANSI S3.5 section 4.7.1 spreads
///    audibility over a 30 dB range), is computed the same way at SRT ± 0.5 dB;
/// 3. `spread` = (dI/dSNR) / (4·s50), so that dP/dSNR at the SRT is s50.
struct WordTransferFunction: Sendable, Equatable {
    /// Where the anchor comes from.
    public var source: String
    /// The published word-scored SRT in stationary speech-shaped noise, dB SNR.
    public var srtDB: Double
    /// The published slope at the SRT, fraction per dB.
    public var slopePerDB: Double
    /// The index at which P = 0.5 (step 1).
    public let index50: Double
    /// The logistic spread in index units (step 3).
    public let spread: Double

    public init(source: String, srtDB: Double, slopePerDB: Double) {
        self.source = source
        self.srtDB = srtDB
        self.slopePerDB = slopePerDB
        index50 = Self.stationaryIndex(snrDB: srtDB)                                              // step 1
        let perDB = Self.stationaryIndex(snrDB: srtDB + 0.5) - Self.stationaryIndex(snrDB: srtDB - 0.5) // step 2
        spread = perDB / (4 * slopePerDB)                                                         // step 3
    }

    public func heardProbability(index: Double) -> Double {
        1 / (1 + exp(-(index - index50) / spread))
    }

    /// The SII of ANSI S3.5-1997 Table 3 normal-effort speech in noise of the same spectrum at `snrDB`.
    static func stationaryIndex(snrDB: Double) -> Double {
        let speech = SIIBandTable.oneThirdOctave.speechSpectrumLevelNormalDB
        // The table's values are valid inputs, so the computation cannot throw.
        return (try? SpeechIntelligibilityIndex.compute(procedure: .oneThirdOctave, speechSpectrumLevelsDB: speech,
                                                        noiseSpectrumLevelsDB: speech.map { $0 - snrDB }).value) ?? .nan
    }

    /// Words in sentences: the Oldenburg sentence test (OLSA), word-scored, in its own
    /// stationary speech-shaped noise at 65 dB SPL: SRT −7.1 dB SNR, slope 17.1 %/dB (Wagener,
    /// Brand & Kollmeier, "Entwicklung und Evaluation eines Satztests für die deutsche Sprache
    /// III", Z. Audiol. 38(3), 1999). A population sample agrees on the SRT: 2,900 adults of the
    /// Gutenberg Health Study, youngest cohorts −6.94 ± 0.99 dB (men) and −7.09 ± 0.75 dB
    /// (women) (OLSA at 65 dB SPL, 2022 report of the study in Laryngo-Rhino-Otologie's congress
    /// abstracts, doi 10.1055/s-0042-1746877). The matrix tests of other languages fall within about a
    /// dB of it (Kollmeier et al. 2015, Int. J. Audiol. 54 suppl. 2: SRTs −6 to −10 dB, slopes
    /// 13-17 %/dB). It sits below the sentence-scored HINT (−2.92 dB, Nilsson, Soli & Sullivan,
    /// JASA 95(2), 1994), which needs every word of a sentence.
    public static let wordsInSentences = WordTransferFunction(
        source: "OLSA word-scored SRT in stationary speech-shaped noise (Wagener, Brand & Kollmeier 1999)",
        srtDB: -7.1, slopePerDB: 0.171)
}

/// Whether one word survives a scenario, and if not, what takes it away.
///
/// `sii` is a short-time Speech Intelligibility Index (ANSI S3.5-1997 one-third octave
/// procedure, applied frame by frame as in the extended SII of Rhebergen & Versfeld, JASA 2005)
/// averaged over the word's speech-active frames: at-ear dialogue as the speech, everything else
/// that reaches the ear as the noise.
public struct WordMasking: Sendable, Equatable {
    public var index: Int
    public var text: String
    public var startSeconds: Double
    public var endSeconds: Double
    /// The timing was estimated (line cues split by energy, or speech units).
    public var estimated: Bool
    public var sii: Double
    /// Dialogue power over masker power in the SII bands during the word's active frames, dB.
    public var dialogueToMaskerDB: Double
    public var masked: Bool
    public var maskedBy: MaskerKind?
    /// The word's SII with each masker alone (and `device`: with no masker at all).
    public var siiByMasker: [MaskerKind: Double]
    /// Largest device limiter gain reduction during the word, dB.
    public var deviceDuckingDB: Double
}

/// The settings of per-word masking.
public struct WordMaskingSettings: Sendable, Equatable {
    /// A word is masked when its short-time SII is below this. 0.45 is where ANSI S3.5 practice
    /// puts the boundary between "poor" and "fair" communication.
    public var maskedBelowSII: Double = 0.45
    /// Frames more than this far below the word's loudest frame are not speech-active.
    public var activeRangeDB: Double = 15
    /// Limiter ducking above this counts as the device's doing when un-ducking would save the word.
    public var duckingThresholdDB: Double = 1

    public init(maskedBelowSII: Double = 0.45) { self.maskedBelowSII = maskedBelowSII }
}

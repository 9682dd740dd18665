/// Whether one word survives a scenario, and if not, what takes it away.
///
/// `sii` is the word's index in the manner of the extended SII (Rhebergen & Versfeld, JASA
/// 117(4), 2005): ANSI S3.5-1997 one-third octave SII with the word's long-term dialogue
/// spectrum as the speech and each short frame of everything else that reaches the ear as the
/// noise, averaged over the word's speech-active frames; `heardProbability` is that index
/// through `WordTransferFunction` (`WordIntelligibilityModel`).
public struct WordMasking: Sendable, Equatable {
    public var index: Int
    public var text: String
    public var startSeconds: Double
    public var endSeconds: Double
    /// The timing was estimated (line cues split by energy, or speech units).
    public var estimated: Bool
    /// NaN when the word is too short to judge.
    public var sii: Double
    /// The predicted chance a normal-hearing listener gets the word (NaN when too short to judge).
    public var heardProbability: Double = .nan
    /// Dialogue power over masker power in the SII bands during the word's active frames, dB.
    public var dialogueToMaskerDB: Double
    /// `heardProbability < maskedBelowHeardProbability`.
    public var masked: Bool
    /// `heardProbability < atRiskBelowHeardProbability` (masked words are at risk too).
    public var atRisk: Bool = false
    /// What takes the word: a stem of the mix when the word is masked only because of the mix,
    /// the environment or the device when it is masked even without it (`maskedWithoutMix`).
    public var maskedBy: MaskerKind?
    /// The word's SII with each masker alone (and `device`: with no masker at all).
    public var siiByMasker: [MaskerKind: Double]
    /// Largest device limiter gain reduction during the word, dB.
    public var deviceDuckingDB: Double
    /// The word has fewer speech-active frames than `WordMaskingSettings.minimumActiveFrames`:
    /// no SII, never counted as masked. Almost always a timing that is too short to be a word.
    public var tooShortToJudge: Bool = false
    /// Still masked with the mix (music, effects, M&E, or the rest of the mix) removed — same
    /// device, volume and environment, the limiter's ducking undone (`WordMaskingAnalyzer`):
    /// the situation, not the mix, is the limit. False for a word that is not masked.
    public var maskedWithoutMix: Bool = false
    /// The word's SII without the mix (the judgement behind `maskedWithoutMix`); NaN when the
    /// word is too short to judge.
    public var siiWithoutMix: Double = .nan

    /// Masked, but heard without the mix: what the mix costs.
    public var maskedByMix: Bool { masked && !maskedWithoutMix }
}

/// The settings of per-word masking.
public struct WordMaskingSettings: Sendable, Equatable {
    /// A word is masked when its heard probability is below this: more likely lost than heard.
    public var maskedBelowHeardProbability: Double = 0.5
    /// A word is at risk when its heard probability is below this: one listener in five or
    /// more loses it.
    public var atRiskBelowHeardProbability: Double = 0.8
    /// Frames more than this far below the word's loudest frame are not speech-active.
    public var activeRangeDB: Double = 15
    /// Limiter ducking above this counts as the device's doing when un-ducking would save the word.
    public var duckingThresholdDB: Double = 1
    /// A word needs at least this many speech-active analysis frames (21 ms, every 20 ms) to be
    /// judged. Fewer means the word's frames cover less than about 40 ms of speech: less than
    /// the shortest syllables of spontaneous American English, 50 ms (Greenberg, Carvey,
    /// Hitchcock & Chang, "Temporal properties of spontaneous speech — a syllable-centric
    /// perspective", Journal of Phonetics 31, 2003: syllables of 50–400 ms in Switchboard), so
    /// the timing cannot hold a whole word, and one frame is a snapshot, not the word. Such a
    /// word is reported `tooShortToJudge`, not masked.
    public var minimumActiveFrames = 2

    public init(maskedBelowHeardProbability: Double = 0.5) { self.maskedBelowHeardProbability = maskedBelowHeardProbability }
}

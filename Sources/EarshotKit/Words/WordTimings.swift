import Foundation

/// One word (or speech unit) with its time in the programme, in seconds from the programme's
/// first sample. The per-word masking report (ARCHITECTURE.md section 6) measures each of these.
public struct WordTiming: Sendable, Equatable {
    /// Position in time order, 0…n−1.
    public var index: Int
    /// The word as the timing file spells it (subtitle words without surrounding punctuation;
    /// "<unk>" for a spoken-noise interval of a forced aligner; "unit N" for speech units).
    public var text: String
    public var startSeconds: Double
    public var endSeconds: Double
    /// True when the time was estimated rather than aligned: words of line-level subtitle cues,
    /// words a WhisperX file left unaligned, and speech units.
    public var estimated: Bool
    /// The talker, when the file names one (WhisperX `speaker`, an MFA "<speaker> - words" tier,
    /// a WebVTT `<v Name>` span). Words of different named talkers may overlap in time.
    public var speaker: String?
    /// The line of the timing file the word comes from (a subtitle cue's timing line, a
    /// TextGrid interval's text, a JSON word object), for messages; nil for speech units.
    public var sourceLine: Int?

    public init(index: Int, text: String, startSeconds: Double, endSeconds: Double, estimated: Bool,
                speaker: String? = nil, sourceLine: Int? = nil) {
        self.index = index
        self.text = text
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
        self.estimated = estimated
        self.speaker = speaker
        self.sourceLine = sourceLine
    }

    public var durationSeconds: Double { endSeconds - startSeconds }
}

/// The words of one programme, sorted by start time, with where they came from.
public struct WordTimings: Sendable, Equatable {
    /// Where the timings came from.
    public enum Source: String, Sendable, CaseIterable {
        /// Praat TextGrid, as the Montreal Forced Aligner writes it.
        case textGrid
        /// WhisperX-style JSON (`segments[].words[]` or a flat word list).
        case whisperJSON
        /// SubRip file whose cues each hold one word.
        case srtWords
        /// WebVTT file whose cues each hold one word.
        case webVTTWords
        /// SubRip file with line-level cues, split into words.
        case srtLines
        /// WebVTT file with line-level cues, split into words.
        case webVTTLines
        /// No timing file: speech units found in the dialogue stem.
        case speechUnits
    }

    public var words: [WordTiming]
    public var source: Source
    /// The timing file, nil for speech units.
    public var file: String?
    /// True when any timing was estimated (line cues split by the energy envelope; speech units;
    /// WhisperX words without their own times).
    public var estimated: Bool

    public init(words: [WordTiming], source: Source, file: String?, estimated: Bool) {
        self.words = words
        self.source = source
        self.file = file
        self.estimated = estimated
    }
}

import Foundation

/// The live masking meter (ARCHITECTURE.md section 10): from the heard scenario's at-ear
/// dialogue, M&E and environment, as the monitor plays them, which lines the mix is losing.
///
/// The same analysis as `earshot check` on a programme without word timings (section 2 and 6),
/// run as the audio arrives: `BandFrameAnalyzer` frames (21 ms every 20 ms, 18 ANSI S3.5
/// bands); a line is a run of dialogue frames at or above the P.56 activity threshold
/// (`SpeechActivity`, over the last `historySeconds` of dialogue) that ends after
/// `lineGapSeconds` without speech; when a line ends it is cut into speech units
/// (`SpeechUnits`) and every unit is judged by `WordMaskingAnalyzer` — the per-word model of
/// `check`, with the M&E and the environment as maskers, and again without the mix, so a unit
/// lost only because of the M&E counts as the mix's.
///
/// Not for the audio thread: it allocates. `MeterThread` feeds it from the engine's ring.
public final class LiveMaskingMeter {
    /// One line's verdict.
    public struct LineVerdict: Sendable, Equatable {
        public var startSeconds: Double
        public var endSeconds: Double
        /// Speech units found in the line, and those long enough to judge.
        public var words: Int
        public var judgedWords: Int
        /// Judged units predicted lost (heard probability below the threshold).
        public var lostWords: Int
        /// Of those, the ones heard once the M&E is taken away (the mix's cost).
        public var lostByMix: Int
        public var lostShare: Double? { judgedWords > 0 ? Double(lostWords) / Double(judgedWords) : nil }
        public var lostByMixShare: Double? { judgedWords > 0 ? Double(lostByMix) / Double(judgedWords) : nil }
    }

    /// What the status line and `--meter-json` show.
    public struct Reading: Sendable, Equatable {
        /// Seconds of metered audio (the heard scenario's stream) so far.
        public var streamSeconds: Double
        /// Over the current line's speech-active frames, else the last line's: energy-mean
        /// levels at the ear, dB SPL (nil before any speech).
        public var dialogueLevelDBSPL: Double?
        public var meLevelDBSPL: Double?
        public var environmentLevelDBSPL: Double?
        public var lineInProgress: Bool
        public var lastLine: LineVerdict?
        public var lines: Int

        /// Dialogue against M&E + environment, dB.
        public var dialogueToMaskersDB: Double? {
            guard let d = dialogueLevelDBSPL else { return nil }
            let maskers = [meLevelDBSPL, environmentLevelDBSPL].compactMap { $0 }.map { pow(10, $0 / 10) }.reduce(0, +)
            return maskers > 0 ? d - 10 * log10(maskers) : nil
        }
    }

    public static let lineGapSeconds = 0.3
    public static let historySeconds = 30.0
    /// Levels handed to `SpeechActivity` are re 120 dB SPL (its scale tops out at +20 dB).
    static let levelReferenceDBSPL: Float = 120

    public let settings: WordMaskingSettings
    private var analyzer: BandFrameAnalyzer
    private var history: [Float] = []
    private var activity: SpeechActivity?
    private var framesSinceActivity = 0
    private var lineFrames: [BandFrameAnalyzer.Frame] = []
    private var lineLevels: [Float] = []
    private var silentRun = 0
    private var lastLineFrames: [BandFrameAnalyzer.Frame] = []
    private var lastLine: LineVerdict?
    private var lines = 0
    private var framesAnalysed = 0

    public init(settings: WordMaskingSettings = .init()) throws {
        self.settings = settings
        analyzer = try BandFrameAnalyzer()
    }

    /// Feeds one block of at-ear signals (pascals) and the device limiter's gain.
    public func consume(dialogue: StereoBlock, me: StereoBlock, environment: StereoBlock, deviceGain: [Float]) throws {
        try analyzer.consume(dialogue: dialogue, maskers: [.me: me, .environment: environment], deviceGain: deviceGain) { frame in
            try add(frame)
        }
    }

    /// Decibels of a frame's dialogue (sum of the bands), re 120 dB SPL.
    static func level(_ bands: [Double]) -> Float {
        Float(10 * log10(max(bands.reduce(0, +), 1e-30) / 4e-10)) - levelReferenceDBSPL
    }

    private func add(_ frame: BandFrameAnalyzer.Frame) throws {
        framesAnalysed += 1
        let level = Self.level(frame.dialogue)
        history.append(level)
        let keep = Int(Self.historySeconds / BandFrameAnalyzer.hopSeconds)
        if history.count > keep + keep / 4 { history.removeFirst(history.count - keep) }
        // The threshold follows the dialogue: recomputed every half second.
        framesSinceActivity += 1
        if activity == nil || framesSinceActivity >= 25 {
            activity = SpeechActivity(envelope: SpeechEnvelope(hopSeconds: BandFrameAnalyzer.hopSeconds, levelsDB: history))
            framesSinceActivity = 0
        }
        let speech = activity?.isActive(level) ?? false
        if speech || !lineFrames.isEmpty {
            lineFrames.append(frame)
            lineLevels.append(level)
        }
        silentRun = speech ? 0 : silentRun + 1
        if !lineFrames.isEmpty && Double(silentRun) * BandFrameAnalyzer.hopSeconds >= Self.lineGapSeconds {
            try closeLine()
        }
    }

    private func closeLine() throws {
        // The trailing silence is not part of the line.
        let trailing = min(silentRun, lineFrames.count)
        let frames = Array(lineFrames.dropLast(trailing)), levels = Array(lineLevels.dropLast(trailing))
        lineFrames = []
        lineLevels = []
        guard let first = frames.first, let last = frames.last else { return }
        let hop = BandFrameAnalyzer.hopSeconds
        let origin = first.centreSeconds - hop / 2
        let units = SpeechUnits.find(in: SpeechEnvelope(hopSeconds: hop, levelsDB: levels)).words.map { u in
            WordTiming(index: u.index, text: u.text, startSeconds: origin + u.startSeconds, endSeconds: origin + u.endSeconds, estimated: true)
        }
        let analyzer = WordMaskingAnalyzer(words: units, settings: settings)
        for f in frames { try analyzer.consume(f) }
        let results = try analyzer.finish()
        let judged = results.filter { !$0.tooShortToJudge }
        let lost = judged.filter(\.masked)
        lastLine = LineVerdict(startSeconds: origin, endSeconds: last.centreSeconds + hop / 2, words: results.count,
                               judgedWords: judged.count, lostWords: lost.count,
                               lostByMix: lost.filter { !$0.maskedWithoutMix }.count)
        lastLineFrames = frames
        lines += 1
    }

    /// The reading now.
    public var reading: Reading {
        let current = lineFrames.count >= 5
        let frames = current ? lineFrames : lastLineFrames
        var levels: (Double?, Double?, Double?) = (nil, nil, nil)
        if let activity {
            let active = frames.filter { activity.isActive(Self.level($0.dialogue)) }
            if !active.isEmpty {
                func mean(_ bands: (BandFrameAnalyzer.Frame) -> [Double]?) -> Double? {
                    let power = active.map { bands($0)?.reduce(0, +) ?? 0 }.reduce(0, +) / Double(active.count)
                    return power > 0 ? 10 * log10(power / 4e-10) : nil
                }
                levels = (mean { $0.dialogue }, mean { $0.maskers[.me] }, mean { $0.maskers[.environment] })
            }
        }
        return Reading(streamSeconds: Double(framesAnalysed) * BandFrameAnalyzer.hopSeconds, dialogueLevelDBSPL: levels.0,
                       meLevelDBSPL: levels.1, environmentLevelDBSPL: levels.2, lineInProgress: !lineFrames.isEmpty,
                       lastLine: lastLine, lines: lines)
    }
}

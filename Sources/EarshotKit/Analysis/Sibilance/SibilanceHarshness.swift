import Foundation

/// Sibilance harshness of the at-ear dialogue in one scenario: which sibilants pierce on this
/// device, judged against a reference that moves with neither the voice nor the device.
///
/// A sibilant event is a run of frames where the dialogue's 4–10 kHz power stands at least
/// 12 dB above the talker's own baseline balance (against 0.5–4 kHz; see `SibilantCandidates`),
/// found on the dialogue stem as delivered and measured again at the ear. For each event:
/// - `overSpeechPeakDB`: the event's at-ear level in the one-third octave bands 4, 5, 6.3 and
///   8 kHz (mean power over its frames) against the peaks normal speech reaches in those bands
///   for a talker heard at this talker's at-ear level (`SibilantSpeechPeaks`: ANSI S3.5-1997's
///   standard speech spectrum scaled to the talker's 0.5–4 kHz long-term level, plus the 12 dB
///   by which speech peaks exceed the long-term level, French & Steinberg 1947); the largest of
///   the four, at `peakBandHz`;
/// - `harsh`: `overSpeechPeakDB` ≥ 0 — louder in a sibilant band, against the talker's vowels,
///   than the loudest sibilants of average speech. A bright voice and a bright device both raise
///   it; the playback volume does not;
/// - `score` (0…1): (overSpeechPeakDB + 5 dB) / 10 dB, clipped: 0.5 at the speech peak, 0 and 1
///   one difference limen either side of it (5 dB: listeners detect a level change of about
///   5 dB in the 5.6–11.3 kHz octave of speech; Monson, Lotto & Story 2014, JASA 135(1), 400–406);
/// - `excessDB` and `relativeExcessDB` (description, not the verdict): the at-ear balance over the
///   at-ear baseline at the event's peak, and that over the median of the talker's sibilants —
///   how far this sibilant sticks out of the talker's usual ones (a job for a de-esser);
/// - `sharpnessAcum` (description): DIN 45692 time-varying sharpness of the at-ear dialogue
///   during the event (median of its 2 ms frames, normalised by the specific-loudness integral).
/// The scenario's `harshnessScore` (0…1) is the 90th percentile of the events' scores: 0.5 when
/// the 90th-percentile sibilant reaches the speech peak (0 without sibilants).
///
/// Sharpness is reported on every event except those whose at-ear excess is more than
/// `weakBelowMedianDB` (6 dB) below the talker's median: stop bursts and weak word-final
/// fricatives, which carry clearly less high-frequency energy than the talker's sibilants.
/// The median is known only at the end, so every window is measured as soon as the programme
/// has passed it and only its sharpness series is kept: memory does not grow with the
/// programme's length.
public struct SibilanceHarshness: Sendable, Equatable {
    public struct Event: Sendable, Equatable {
        public var startSeconds: Double
        public var endSeconds: Double
        public var wordIndex: Int?
        public var excessDB: Double
        public var relativeExcessDB: Double
        /// Not measured (nil) on events more than `weakBelowMedianDB` below the talker's median excess.
        public var sharpnessAcum: Double?
        /// The event's at-ear sibilant-band level over the speech peak of its band, dB (largest band).
        public var overSpeechPeakDB: Double
        /// The band of `overSpeechPeakDB`, Hz.
        public var peakBandHz: Double
        public var harsh: Bool
        public var score: Double
    }

    public var harshnessScore: Double
    public var baselineDB: Double
    /// The talker's at-ear long-term 0.5–4 kHz level, dB SPL (nil without speech).
    public var talkerLowBandDBSPL: Double?
    public var events: [Event]

    /// A sibilant at or above the speech peak of its band is harsh, dB.
    public static let harshOverSpeechPeakDB = 0.0
    /// The score's half-width: the difference limen for level changes in speech's 8-kHz octave
    /// (Monson, Lotto & Story 2014), dB.
    public static let scoreHalfWidthDB = 5.0

    /// The 0…1 score of a sibilant `overSpeechPeakDB` over the speech peak.
    public static func score(overSpeechPeakDB x: Double) -> Double {
        min(1, max(0, (x - harshOverSpeechPeakDB + scoreHalfWidthDB) / (2 * scoreHalfWidthDB)))
    }
}

/// Streams a scenario's at-ear dialogue and measures the sibilant events found on the stem.
final class SibilanceAnalyzer {
    private let candidates: [SibilantCandidates.Run]
    private let words: [WordTiming]
    private let track: SibilanceTrackBuilder
    private let sampleRate: Int
    /// Context before each event for the loudness model's temporal weighting to settle.
    private let contextSeconds = 0.06
    /// Excerpt windows (seconds): events whose windows touch share one, analysed once.
    private let windows: [(start: Double, end: Double)]
    private let windowOfEvent: [Int]
    /// The at-ear audio of the windows still being collected (the first `firstOpenWindow` are
    /// measured and dropped), so memory holds a few windows whatever the programme's length.
    private var excerpts: [[Float]]
    /// Each finished window's time-varying DIN sharpness (2 ms frames).
    private var series: [Int: [Double]] = [:]
    private var firstOpenWindow = 0
    private var position = 0

    public init(candidates: SibilantCandidates, words: [WordTiming], sampleRate: Int = AudioSource.processingRate) throws {
        self.candidates = candidates.runs
        self.words = words
        self.sampleRate = sampleRate
        track = try SibilanceTrackBuilder(sampleRate: sampleRate)
        var windows: [(start: Double, end: Double)] = []
        var windowOfEvent: [Int] = []
        for run in candidates.runs {
            let start = max(run.startSeconds - contextSeconds, 0), end = run.endSeconds + 0.01
            if let last = windows.last, start <= last.end {
                windows[windows.count - 1].end = max(last.end, end)
            } else {
                windows.append((start, end))
            }
            windowOfEvent.append(windows.count - 1)
        }
        self.windows = windows
        self.windowOfEvent = windowOfEvent
        excerpts = [[Float]](repeating: [], count: windows.count)
    }

    /// Feeds one block of the at-ear dialogue (pascals, ears averaged).
    public func consume(_ pascals: [Float]) {
        track.consume(pascals)
        let blockStart = position, blockEnd = position + pascals.count
        // Windows are in time order: only those from the first open one can still take samples.
        var i = firstOpenWindow
        while i < windows.count {
            let a = Int((windows[i].start * Double(sampleRate)).rounded())
            guard a < blockEnd else { break }
            let b = Int((windows[i].end * Double(sampleRate)).rounded())
            let lo = max(a, blockStart), hi = min(b, blockEnd)
            if lo < hi { excerpts[i] += pascals[(lo - blockStart)..<(hi - blockStart)] }
            i += 1
        }
        // Windows that ended in this block are measured now and their audio dropped.
        while firstOpenWindow < windows.count,
              Int((windows[firstOpenWindow].end * Double(sampleRate)).rounded()) <= blockEnd {
            measure(firstOpenWindow)
            firstOpenWindow += 1
        }
        position = blockEnd
    }

    /// Time-varying sharpness of one window's excerpt (one loudness analysis per window), kept
    /// as its 2 ms series; the audio is released.
    private func measure(_ w: Int) {
        if excerpts[w].count > 256 {
            let analyzer = TimeVaryingSharpnessAnalyzer(reference: .specificLoudnessIntegral)
            excerpts[w].withUnsafeBufferPointer { analyzer.process($0) }
            series[w] = analyzer.result.sharpnessAcum
        }
        excerpts[w] = []
    }

    /// Events this far below the talker's median excess are not measured for sharpness, dB.
    public static let weakBelowMedianDB = 6.0

    public func finish() -> SibilanceHarshness {
        let atEar = track.track
        let hop = SibilanceTrack.hopSeconds
        let offset = 512.0 / Double(sampleRate)
        // The at-ear baseline: median balance of the active frames (as on the stem).
        let reference = SibilantCandidates.find(in: atEar, hopSeconds: hop, frameCentreOffsetSeconds: offset, excessDB: .infinity)
        // The speech peaks of the sibilant bands for this talker as heard (dB re 1 Pa²).
        let lowBand = SibilantSpeechPeaks.talkerLowBandDB(atEar)
        let peaks = SibilantSpeechPeaks.peakLevelsDB(talkerLowBandDB: lowBand ?? 0)
        var excesses: [(index: Int, excess: Double, over: Double, bandHz: Double)] = []
        for (i, run) in candidates.enumerated() {
            let f0 = max(0, Int(((run.startSeconds - offset) / hop).rounded(.down)))
            let f1 = min(atEar.balanceDB.count - 1, Int(((run.endSeconds - offset) / hop).rounded(.up)))
            guard f0 <= f1 else { continue }
            // The band levels over the frames centred inside the run.
            let c0 = max(0, Int(((run.startSeconds - offset) / hop).rounded(.up)))
            let c1 = min(atEar.balanceDB.count - 1, max(c0, Int(((run.endSeconds - offset) / hop).rounded(.down))))
            var over = -Double.infinity, bandHz = SibilantSpeechPeaks.bandsHz[0]
            if c0 <= c1 {
                for b in SibilantSpeechPeaks.bandsHz.indices {
                    var power = 0.0
                    for f in c0...c1 { power += pow(10, Double(atEar.sibilantBandDB(frame: f, band: b)) / 10) }
                    let x = 10 * log10(max(power / Double(c1 - c0 + 1), 1e-30)) - peaks[b]
                    if x > over { over = x; bandHz = SibilantSpeechPeaks.bandsHz[b] }
                }
            }
            excesses.append((i, Double(atEar.balanceDB[f0...f1].max()! - reference.baselineDB), lowBand == nil ? -.infinity : over, bandHz))
        }
        let sortedExcess = excesses.map(\.excess).sorted()
        let medianExcess = sortedExcess.isEmpty ? 0 : sortedExcess[sortedExcess.count / 2]
        // Sharpness is reported on every event but the clearly weak ones (see the type's doc).
        let prominent = Set(excesses.filter { $0.excess >= medianExcess - Self.weakBelowMedianDB }.map(\.index))
        // Windows the programme ended inside of.
        while firstOpenWindow < windows.count { measure(firstOpenWindow); firstOpenWindow += 1 }
        let events = excesses.map { item -> SibilanceHarshness.Event in
            let run = candidates[item.index]
            let w = windowOfEvent[item.index]
            let sharpness = prominent.contains(item.index)
                ? Self.medianSharpness(series[w] ?? [], windowStartSeconds: windows[w].start, from: run.startSeconds, to: run.endSeconds)
                : nil
            let over = item.over.isFinite ? item.over : -99
            return .init(startSeconds: run.startSeconds, endSeconds: run.endSeconds, wordIndex: word(for: run),
                         excessDB: item.excess, relativeExcessDB: item.excess - medianExcess, sharpnessAcum: sharpness,
                         overSpeechPeakDB: over, peakBandHz: item.bandHz,
                         harsh: over >= SibilanceHarshness.harshOverSpeechPeakDB,
                         score: SibilanceHarshness.score(overSpeechPeakDB: over))
        }
        let scores = events.map(\.score).sorted()
        let p90 = scores.isEmpty ? 0 : scores[min(scores.count - 1, Int(Double(scores.count) * 0.9))]
        // dB re 1 Pa² → dB SPL (re (20 µPa)²).
        return SibilanceHarshness(harshnessScore: p90, baselineDB: Double(reference.baselineDB),
                                  talkerLowBandDBSPL: lowBand.map { $0 - 20 * log10(20e-6) }, events: events)
    }

    /// Median DIN sharpness of the 2 ms frames of a window's series that fall inside an event
    /// (normalised by the specific-loudness integral, which has no onset overshoot; silent frames
    /// left out).
    static func medianSharpness(_ series: [Double], windowStartSeconds: Double, from start: Double, to end: Double) -> Double {
        let frame = TimeVaryingSharpness.frameSeconds
        let first = max(0, Int(((start - windowStartSeconds) / frame).rounded()))
        let last = min(series.count, Int(((end - windowStartSeconds) / frame).rounded()) + 1)
        guard first < last else { return 0 }
        let values = series[first..<last].filter { $0 > 0 }.sorted()
        return values.isEmpty ? 0 : values[values.count / 2]
    }

    /// The word the event overlaps most.
    private func word(for run: SibilantCandidates.Run) -> Int? {
        var best: (Int, Double)?
        for w in words {
            let overlap = min(w.endSeconds, run.endSeconds) - max(w.startSeconds, run.startSeconds)
            if overlap > 0 && overlap > (best?.1 ?? 0) { best = (w.index, overlap) }
        }
        return best?.0
    }
}

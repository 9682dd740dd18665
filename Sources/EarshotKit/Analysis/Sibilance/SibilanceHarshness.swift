import Foundation

/// Sibilance harshness of the at-ear dialogue in one scenario.
///
/// A sibilant event is a run of frames where the dialogue's 4–10 kHz power stands at least
/// 12 dB above the talker's own baseline balance (against 0.5–4 kHz; see `SibilantCandidates`),
/// found on the dialogue stem as delivered and measured again at the ear. For each event:
/// - `excessDB`: the at-ear balance over the at-ear baseline, at its peak;
/// - `relativeExcessDB`: that excess over the median excess of all the talker's sibilants — how
///   much this sibilant sticks out from the talker's usual ones;
/// - `sharpnessAcum`: DIN 45692 time-varying sharpness of the at-ear dialogue during the event
///   (median of its 2 ms frames, normalised by the specific-loudness integral);
/// - `harsh`: relative excess ≥ 6 dB (a sibilant that sticks out of the talker's own — a job
///   for the de-esser), or sharpness ≥ 4 acum (bright on this device, whatever the talker does
///   elsewhere);
/// - `score` (0…1): max((sharpness − 2.5 acum) / 2.5 acum, relative excess / 12 dB), clipped.
/// The scenario's `harshnessScore` (0…1) is (S90 − 2.5 acum) / 2.5 acum, clipped, where S90 is
/// the 90th percentile of the measured events' sharpness: how bright the talker's sibilants get
/// on this device (0 without sibilants).
///
/// Sharpness is measured on every event except those whose at-ear excess is more than
/// `weakBelowMedianDB` (6 dB, the same margin that makes an event stick out above the median)
/// below the talker's median: such events carry clearly less high-frequency energy than the
/// talker's usual sibilants (stop bursts, weak word-final fricatives) and cannot be the bright
/// ones. The margin must sit well below the median: the talker's usual sibilants cluster around
/// it, and a cut at the median itself gave identical sibilants different verdicts.
public struct SibilanceHarshness: Sendable, Equatable {
    public struct Event: Sendable, Equatable {
        public var startSeconds: Double
        public var endSeconds: Double
        public var wordIndex: Int?
        public var excessDB: Double
        public var relativeExcessDB: Double
        /// Not measured (nil) on events more than `weakBelowMedianDB` below the talker's median excess.
        public var sharpnessAcum: Double?
        public var harsh: Bool
        public var score: Double
    }

    public var harshnessScore: Double
    public var baselineDB: Double
    public var events: [Event]
}

/// Streams a scenario's at-ear dialogue and measures the sibilant events found on the stem.
public final class SibilanceAnalyzer {
    private let candidates: [SibilantCandidates.Run]
    private let words: [WordTiming]
    private let track: SibilanceTrackBuilder
    private let sampleRate: Int
    /// Context before each event for the loudness model's temporal weighting to settle.
    private let contextSeconds = 0.06
    /// Excerpt windows (seconds): events whose windows touch share one, analysed once.
    private let windows: [(start: Double, end: Double)]
    private let windowOfEvent: [Int]
    private var excerpts: [[Float]]
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
        for (i, window) in windows.enumerated() {
            let a = Int((window.start * Double(sampleRate)).rounded())
            let b = Int((window.end * Double(sampleRate)).rounded())
            let lo = max(a, blockStart), hi = min(b, blockEnd)
            if lo < hi { excerpts[i] += pascals[(lo - blockStart)..<(hi - blockStart)] }
        }
        position = blockEnd
    }

    /// Events this far below the talker's median excess are not measured for sharpness, dB.
    public static let weakBelowMedianDB = 6.0

    public func finish() -> SibilanceHarshness {
        let atEar = track.track
        let hop = SibilanceTrack.hopSeconds
        let offset = 512.0 / Double(sampleRate)
        // The at-ear baseline: median balance of the active frames (as on the stem).
        let reference = SibilantCandidates.find(in: atEar, hopSeconds: hop, frameCentreOffsetSeconds: offset, excessDB: .infinity)
        var excesses: [(index: Int, excess: Double)] = []
        for (i, run) in candidates.enumerated() {
            let f0 = max(0, Int(((run.startSeconds - offset) / hop).rounded(.down)))
            let f1 = min(atEar.balanceDB.count - 1, Int(((run.endSeconds - offset) / hop).rounded(.up)))
            guard f0 <= f1 else { continue }
            excesses.append((i, Double(atEar.balanceDB[f0...f1].max()! - reference.baselineDB)))
        }
        let sortedExcess = excesses.map(\.excess).sorted()
        let medianExcess = sortedExcess.isEmpty ? 0 : sortedExcess[sortedExcess.count / 2]
        // Sharpness is measured on every event but the clearly weak ones (see the type's doc).
        // One loudness analysis per window.
        let prominent = Set(excesses.filter { $0.excess >= medianExcess - Self.weakBelowMedianDB }.map(\.index))
        let neededWindows = Set(prominent.map { windowOfEvent[$0] })
        var series: [Int: [Double]] = [:]
        for w in neededWindows where excerpts[w].count > 256 {
            let analyzer = TimeVaryingSharpnessAnalyzer(reference: .specificLoudnessIntegral)
            excerpts[w].withUnsafeBufferPointer { analyzer.process($0) }
            series[w] = analyzer.result.sharpnessAcum
        }
        let events = excesses.map { item -> SibilanceHarshness.Event in
            let run = candidates[item.index]
            let w = windowOfEvent[item.index]
            let sharpness = prominent.contains(item.index)
                ? Self.medianSharpness(series[w] ?? [], windowStartSeconds: windows[w].start, from: run.startSeconds, to: run.endSeconds)
                : nil
            let relative = item.excess - medianExcess
            let score = min(1, max(0, ((sharpness ?? 0) - 2.5) / 2.5, relative / 12))
            return .init(startSeconds: run.startSeconds, endSeconds: run.endSeconds, wordIndex: word(for: run),
                         excessDB: item.excess, relativeExcessDB: relative, sharpnessAcum: sharpness,
                         harsh: relative >= 6 || (sharpness ?? 0) >= 4, score: score)
        }
        let sharpness = events.compactMap(\.sharpnessAcum).sorted()
        let s90 = sharpness.isEmpty ? 0 : sharpness[min(sharpness.count - 1, Int(Double(sharpness.count) * 0.9))]
        return SibilanceHarshness(harshnessScore: min(1, max(0, (s90 - 2.5) / 2.5)), baselineDB: Double(reference.baselineDB), events: events)
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

import Foundation

/// Speech units of a dialogue stem, for programmes without word timings: runs of speech-active
/// frames (`SpeechActivity`: at or above the P.56-like threshold, 15.9 dB below the stem's active
/// speech level), with gaps shorter than 150 ms bridged (stop closures and short pauses inside
/// a phrase, the job of P.56's 200 ms hangover) and runs shorter than 80 ms dropped (clicks,
/// breaths). A run longer than 1 s is cut at dips — the quietest 50 ms within each second, if it
/// is at least 6 dB below the run's median level, leaving at least 250 ms on either side — so
/// units come closer to words and short phrases than to whole lines (a piece stays longer than
/// 1 s only where the speech has no such dip).
/// Units are reported as words "unit 1", "unit 2", … with `estimated` set.
enum SpeechUnits {
    public static let bridgeGapSeconds = 0.15
    public static let minimumUnitSeconds = 0.08
    public static let splitLongerThanSeconds = 1.0
    public static let splitDipDB: Float = 6
    public static let minimumPieceSeconds = 0.25

    public static func find(in envelope: SpeechEnvelope) -> WordTimings {
        let activity = SpeechActivity(envelope: envelope)
        var pieces: [Range<Int>] = []
        if activity.activeLevelDB != nil {
            let levels = envelope.levelsDB
            for run in activeRuns(levels, activity: activity, hopSeconds: envelope.hopSeconds, in: 0..<levels.count) {
                split(run, levels: levels, hopSeconds: envelope.hopSeconds, into: &pieces)
            }
        }
        let words = pieces.enumerated().map { i, r in
            WordTiming(index: i, text: "unit \(i + 1)", startSeconds: Double(r.lowerBound) * envelope.hopSeconds,
                       endSeconds: Double(r.upperBound) * envelope.hopSeconds, estimated: true)
        }
        return WordTimings(words: words, source: .speechUnits, file: nil, estimated: true)
    }

    /// Runs of active frames within `frames`, short gaps bridged, short runs dropped.
    static func activeRuns(_ levels: [Float], activity: SpeechActivity, hopSeconds: Double, in frames: Range<Int>) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var f = frames.lowerBound
        while f < frames.upperBound {
            guard activity.isActive(levels[f]) else { f += 1; continue }
            var end = f + 1
            while end < frames.upperBound && activity.isActive(levels[end]) { end += 1 }
            if let last = runs.last, Double(f - last.upperBound) * hopSeconds < bridgeGapSeconds {
                runs[runs.count - 1] = last.lowerBound..<end
            } else {
                runs.append(f..<end)
            }
            f = end
        }
        return runs.filter { Double($0.count) * hopSeconds >= minimumUnitSeconds - 1e-9 }
    }

    /// Cuts a long run at dips, left to right: each cut is at the quietest 50 ms between 250 ms
    /// and 1 s after the previous cut (or, when that stretch has no dip deep enough, at the next
    /// dip deep enough after it), so the work grows with the run's length, not its square.
    private static func split(_ run: Range<Int>, levels: [Float], hopSeconds: Double, into pieces: inout [Range<Int>]) {
        let longest = Int((splitLongerThanSeconds / hopSeconds + 1e-9).rounded(.down))
        let margin = Int((minimumPieceSeconds / hopSeconds).rounded())
        guard run.count > longest, run.count > 2 * margin else { pieces.append(run); return }
        let sortedLevels = levels[run].sorted()
        let deepEnough = sortedLevels[sortedLevels.count / 2] - splitDipDB
        // The level of the 50 ms around each frame, by mean power (prefix sums).
        let width = max(1, Int((0.05 / hopSeconds).rounded()))
        var prefix = [Double](repeating: 0, count: run.count + 1)
        for (k, f) in run.enumerated() { prefix[k + 1] = prefix[k] + pow(10, Double(levels[f]) / 10) }
        func smoothed(_ k: Int) -> Float {
            let lo = max(0, k - width / 2), hi = min(run.count, lo + width)
            return Float(10 * log10((prefix[hi] - prefix[lo]) / Double(hi - lo)))
        }
        var start = 0                       // of the current piece, relative to the run
        let lastCut = run.count - margin    // cuts leave at least `margin` frames at the end
        while run.count - start > longest {
            let first = start + margin
            guard first < lastCut else { break }
            var best: (k: Int, level: Float)?
            for k in first..<min(start + longest + 1, lastCut) {
                let level = smoothed(k)
                if best == nil || level < best!.level { best = (k, level) }
            }
            var cut: Int?
            if let best, best.level <= deepEnough {
                cut = best.k
            } else {
                cut = (min(start + longest + 1, lastCut)..<lastCut).first { smoothed($0) <= deepEnough }
            }
            guard let c = cut else { break }
            pieces.append((run.lowerBound + start)..<(run.lowerBound + c))
            start = c
        }
        pieces.append((run.lowerBound + start)..<run.upperBound)
    }
}

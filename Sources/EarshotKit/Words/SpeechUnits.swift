import Foundation

/// Speech units of a dialogue stem, for programmes without word timings: runs of speech-active
/// frames (`SpeechActivity`: at or above the P.56-like threshold, 15.9 dB below the stem's active
/// speech level), with gaps shorter than 150 ms bridged (stop closures and short pauses inside
/// a phrase, the job of P.56's 200 ms hangover) and runs shorter than 80 ms dropped (clicks,
/// breaths). A run longer than 1 s is split at its deepest dip — the quietest 50 ms, at least 6 dB
/// below the run's median level and 250 ms from either end — and again until no piece is longer
/// or has such a dip, so units come closer to words and short phrases than to whole lines.
/// Units are reported as words "unit 1", "unit 2", … with `estimated` set.
public enum SpeechUnits {
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

    private static func split(_ run: Range<Int>, levels: [Float], hopSeconds: Double, into pieces: inout [Range<Int>]) {
        let margin = Int((minimumPieceSeconds / hopSeconds).rounded())
        guard Double(run.count) * hopSeconds > splitLongerThanSeconds + 1e-9, run.count > 2 * margin else {
            pieces.append(run); return
        }
        let sortedLevels = levels[run].sorted()
        let median = sortedLevels[sortedLevels.count / 2]
        // The quietest 50 ms (5 frames), by mean power, away from the ends.
        let width = max(1, Int((0.05 / hopSeconds).rounded()))
        var best: (frame: Int, level: Float)?
        for centre in (run.lowerBound + margin)..<(run.upperBound - margin) {
            let lo = max(run.lowerBound, centre - width / 2), hi = min(run.upperBound, lo + width)
            let power = levels[lo..<hi].reduce(0.0) { $0 + pow(10, Double($1) / 10) } / Double(hi - lo)
            let level = Float(10 * log10(power))
            if best == nil || level < best!.level { best = (centre, level) }
        }
        guard let dip = best, dip.level <= median - splitDipDB else { pieces.append(run); return }
        split(run.lowerBound..<dip.frame, levels: levels, hopSeconds: hopSeconds, into: &pieces)
        split(dip.frame..<run.upperBound, levels: levels, hopSeconds: hopSeconds, into: &pieces)
    }
}

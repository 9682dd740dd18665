import Foundation

/// Places the words of a line-level cue (a subtitle, or a WhisperX segment without word times)
/// inside the cue by the dialogue stem's energy envelope. All such times are estimates.
///
/// 1. The speech in the cue: the frames at or above the stem's activity threshold
///    (`SpeechActivity`), grouped into runs as `SpeechUnits` does (gaps under 150 ms bridged,
///    runs under 80 ms dropped — a click or the tail of the previous line is not this cue's
///    speech). Only active frames count as speaking time; pauses take no words.
/// 2. Each word gets a share of the speaking time in proportion to its length in letters and
///    digits; the boundary between words k and k+1 is expected where that share of speaking
///    time has passed.
/// 3. The boundaries are then moved to energy dips by dynamic programming over the 10 ms frames,
///    minimising Σ [((speaking time before the boundary − expected) / σ)² + λ·d], where d is the
///    level of the quieter frame beside the boundary, scaled from the activity threshold (0) to
///    the cue's loudest frame (1); σ is 35 % of the mean word's speaking time (at least 15 ms)
///    and λ = 4; each word keeps at least the floor's worth of active frames (below). A
///    boundary beside a pause costs nothing for its level, so words snap to pauses when the
///    pauses are near where the proportions put them, and to the quietest frames nearby in
///    connected speech.
/// 4. Each word is trimmed to its first and last active frame, and kept inside the cue.
///
/// No placed word is shorter than `minimumWordSeconds` (100 ms): the dynamic programme gives
/// each word at least that much speaking time. Syllables of spontaneous American English last
/// 50–400 ms (Greenberg, Carvey, Hitchcock & Chang, "Temporal properties of spontaneous speech —
/// a syllable-centric perspective", Journal of Phonetics 31, 2003); 50 ms is an unstressed
/// syllable inside fast speech, and a subtitle word placed by estimate, whose edges may be off by
/// tens of milliseconds, is held to twice that — a short monosyllable — so that the per-word
/// masking always has several frames of it to judge (modelled judgement).
///
/// Without an envelope, or when the cue's speech cannot give every word the floor (a silent
/// dialogue stem there, subtitles out of sync, more words than the speech can hold), the words
/// are spread in proportion to their length over the cue's speech, widened around its middle
/// into the cue's pauses until every word gets at least the floor — or over the whole cue. When
/// even the whole cue is shorter than the floor times its words, the words share the cue
/// evenly: shorter than the floor, never outside the cue (extending it would overlap the next
/// line); the per-word masking reports those too short to judge.
enum LineCuePlacement {
    /// The shortest word placed (see above).
    static let minimumWordSeconds = 0.1
    static let sigmaShare = 0.35
    static let minimumSigmaSeconds = 0.015
    static let dipWeight = 4.0
    /// Above this many (words × frames) the dynamic programme is skipped for the proportional
    /// spread over speaking time (a cue several minutes long).
    static let maximumCells = 2_000_000

    static func place(_ cue: LineCue, envelope: SpeechEnvelope?, activity: SpeechActivity?) -> [(start: Double, end: Double)] {
        let weights = cue.words.map { Double(CueText.weight(of: $0)) }
        guard !weights.isEmpty else { return [] }
        guard let envelope, let activity, activity.activeLevelDB != nil else {
            return spread(weights, from: cue.startSeconds, to: cue.endSeconds, within: cue)
        }
        let hop = envelope.hopSeconds
        let levels = envelope.levelsDB
        let first = max(0, Int((cue.startSeconds / hop + 1e-9).rounded(.down)))
        let last = min(levels.count, Int((cue.endSeconds / hop - 1e-9).rounded(.up)))
        guard last - first >= 1 else { return spread(weights, from: cue.startSeconds, to: cue.endSeconds, within: cue) }
        // Active frames each word needs for the floor.
        let floorFrames = max(1, Int((minimumWordSeconds / hop - 1e-9).rounded(.up)))

        let runs = SpeechUnits.activeRuns(levels, activity: activity, hopSeconds: hop, in: first..<last)
        var active = [Bool](repeating: false, count: last - first)
        for run in runs { for f in run where activity.isActive(levels[f]) { active[f - first] = true } }
        guard let spanStart = active.firstIndex(of: true), let spanLast = active.lastIndex(of: true) else {
            return spread(weights, from: cue.startSeconds, to: cue.endSeconds, within: cue)
        }
        let spanEnd = spanLast + 1
        let activeCount = active[spanStart..<spanEnd].reduce(0) { $0 + ($1 ? 1 : 0) }
        func time(_ frame: Int) -> Double { min(max(Double(first + frame) * hop, cue.startSeconds), cue.endSeconds) }
        if activeCount < weights.count * floorFrames {
            return spread(weights, from: time(spanStart), to: time(spanEnd), within: cue)
        }

        // cum[b]: active frames in spanStart..<b, for b in spanStart...spanEnd (stored from 0).
        let width = spanEnd - spanStart
        var cum = [Int](repeating: 0, count: width + 1)
        for b in 0..<width { cum[b + 1] = cum[b] + (active[spanStart + b] ? 1 : 0) }

        let boundaries: [Int]   // relative to spanStart, n+1 values from 0 to width
        if weights.count == 1 {
            boundaries = [0, width]
        } else if weights.count * width > maximumCells {
            boundaries = proportionalBoundaries(weights, cum: cum, minimumFrames: floorFrames)
        } else {
            boundaries = dipBoundaries(weights, cum: cum, levels: Array(levels[(first + spanStart)..<(first + spanEnd)]),
                                       threshold: activity.thresholdDB, hopSeconds: hop, minimumFrames: floorFrames)
        }

        var placed: [(start: Double, end: Double)] = []
        for k in 0..<weights.count {
            let lo = boundaries[k], hi = boundaries[k + 1]
            let firstActive = (lo..<hi).first { active[spanStart + $0] } ?? lo
            let lastActive = (lo..<hi).last { active[spanStart + $0] } ?? max(lo, hi - 1)
            let start = time(spanStart + firstActive)
            var end = time(spanStart + lastActive + 1)
            if end <= start { end = min(cue.endSeconds, start + hop) }
            placed.append((start, end))
        }
        return heldToTheFloor(placed, within: cue)
    }

    /// Lengthens a word that ended up under the floor (its first or last frame cut at the cue's
    /// edge) into the pause after it, then before it, without touching its neighbours.
    private static func heldToTheFloor(_ input: [(start: Double, end: Double)], within cue: LineCue) -> [(start: Double, end: Double)] {
        var placed = input
        for k in placed.indices where placed[k].end - placed[k].start < minimumWordSeconds {
            let after = k + 1 < placed.count ? placed[k + 1].start : cue.endSeconds
            placed[k].end = min(after, placed[k].start + minimumWordSeconds)
            let before = k > 0 ? placed[k - 1].end : cue.startSeconds
            placed[k].start = max(before, min(placed[k].start, placed[k].end - minimumWordSeconds))
        }
        return placed
    }

    /// Spreads the words over `start…end` by `proportional`, unless a word would get less than
    /// the floor: then every word gets the floor plus a share of the rest in proportion to its
    /// length, over `start…end` widened around its middle (inside the cue) as far as that
    /// needs; a cue too short for that is shared evenly.
    static func spread(_ weights: [Double], from start: Double, to end: Double, within cue: LineCue) -> [(start: Double, end: Double)] {
        let plain = proportional(weights, from: start, to: end)
        guard plain.contains(where: { $0.end - $0.start < minimumWordSeconds - 1e-9 }) else { return plain }
        let n = Double(weights.count)
        let cueSeconds = cue.endSeconds - cue.startSeconds
        guard cueSeconds >= n * minimumWordSeconds - 1e-9 else {
            return proportional([Double](repeating: 1, count: weights.count), from: cue.startSeconds, to: cue.endSeconds)
        }
        // Widen around the middle to the length needed, then slide back inside the cue.
        let needed = max(end - start, n * minimumWordSeconds)
        var a = (start + end) / 2 - needed / 2
        // The cue's start wins over rounding: `needed` can exceed the cue by an ulp.
        a = max(min(a, cue.endSeconds - needed), cue.startSeconds)
        let b = min(a + needed, cue.endSeconds)
        let rest = needed - n * minimumWordSeconds
        let total = weights.reduce(0, +)
        var placed: [(start: Double, end: Double)] = []
        var t = a
        for (k, w) in weights.enumerated() {
            let e = k == weights.count - 1 ? b : t + minimumWordSeconds + rest * w / total
            placed.append((t, e))
            t = e
        }
        return placed
    }

    static func proportional(_ weights: [Double], from start: Double, to end: Double) -> [(start: Double, end: Double)] {
        let total = weights.reduce(0, +)
        var t = start
        var cumulative = 0.0
        return weights.enumerated().map { k, w in
            cumulative += w
            let e = k == weights.count - 1 ? end : start + (end - start) * cumulative / total
            defer { t = e }
            return (t, e)
        }
    }

    /// Boundaries where each word's share of speaking time ends, each word keeping at least
    /// `minimumFrames` active frames.
    private static func proportionalBoundaries(_ weights: [Double], cum: [Int], minimumFrames m: Int) -> [Int] {
        let total = Double(cum.last!)
        let weightSum = weights.reduce(0, +)
        var boundaries = [0]
        var cumulative = 0.0
        for k in 0..<(weights.count - 1) {
            cumulative += weights[k]
            let target = max(Double(cum[boundaries.last!] + m), (total * cumulative / weightSum).rounded())
            let limit = Int(total) - (weights.count - 1 - k) * m
            let wanted = Int(min(target, Double(limit)))
            boundaries.append(cum.firstIndex { $0 >= wanted } ?? cum.count - 1)
        }
        boundaries.append(cum.count - 1)
        return boundaries
    }

    private static func dipBoundaries(_ weights: [Double], cum: [Int], levels: [Float], threshold: Float, hopSeconds: Double,
                                      minimumFrames m: Int) -> [Int] {
        let n = weights.count
        let width = levels.count
        let total = cum[width]
        let weightSum = weights.reduce(0, +)
        var targets: [Double] = []
        var cumulative = 0.0
        for k in 0..<(n - 1) { cumulative += weights[k]; targets.append(Double(total) * cumulative / weightSum) }
        let sigma = max(minimumSigmaSeconds / hopSeconds, sigmaShare * Double(total) / Double(n))

        // The level at each boundary b (between frames b−1 and b): the quieter of the two frames,
        // scaled from the threshold (0) to the cue's loudest frame (1). A boundary next to a
        // pause frame costs nothing.
        let peak = levels.max() ?? threshold
        var dip = [Double](repeating: 0, count: width + 1)
        if peak > threshold {
            for b in 1..<width {
                let level = min(levels[b - 1], levels[b])
                dip[b] = Double(min(1, max(0, (level - threshold) / (peak - threshold))))
            }
        }
        // lastWithin[c]: the last boundary position whose cum is ≤ c.
        var lastWithin = [Int](repeating: 0, count: total + 1)
        for b in 0...width { lastWithin[cum[b]] = b }

        let infinity = Double.infinity
        var cost = [Double](repeating: infinity, count: width + 1)          // word boundary k−1 → k
        var from = [[Int]](repeating: [Int](repeating: -1, count: width + 1), count: n)
        // Boundary 0 is fixed at 0.
        var previousBest = [Double](repeating: infinity, count: width + 1)   // prefix minimum of the previous row
        var previousArg = [Int](repeating: -1, count: width + 1)
        previousBest[0] = 0; previousArg[0] = 0
        for b in 1...width { previousBest[b] = previousBest[b - 1]; previousArg[b] = previousArg[b - 1] }
        // Boundaries 1…n−1, then the end boundary n fixed at width.
        for k in 1..<n {
            cost = [Double](repeating: infinity, count: width + 1)
            let target = targets[k - 1]
            for b in 1..<width {
                let c = cum[b]
                guard c >= k * m, total - c >= (n - k) * m else { continue }
                let p = lastWithin[c - m]
                let before = previousBest[p]
                guard before < infinity else { continue }
                let deviation = (Double(c) - target) / sigma
                cost[b] = before + deviation * deviation + dipWeight * dip[b]
                from[k][b] = previousArg[p]
            }
            previousBest[0] = cost[0]; previousArg[0] = 0
            for b in 1...width {
                if cost[b] < previousBest[b - 1] { previousBest[b] = cost[b]; previousArg[b] = b }
                else { previousBest[b] = previousBest[b - 1]; previousArg[b] = previousArg[b - 1] }
            }
        }
        // The last word needs ≥ m active frames after boundary n−1.
        let p = lastWithin[total - m]
        guard previousBest[p] < infinity else { return proportionalBoundaries(weights, cum: cum, minimumFrames: m) }
        var boundaries = [Int](repeating: 0, count: n + 1)
        boundaries[n] = width
        boundaries[n - 1] = previousArg[p]
        if n - 1 >= 1 {
            for k in stride(from: n - 1, to: 1, by: -1) { boundaries[k - 1] = from[k][boundaries[k]] }
        }
        boundaries[0] = 0
        return boundaries
    }
}

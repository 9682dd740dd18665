import Foundation

/// Decides, word by word, whether a scenario masks the dialogue, from the frames of a
/// `BandFrameAnalyzer` (ARCHITECTURE.md section 2, per-word masking).
///
/// For each word: its frames (centre inside the word) are collected; the speech-active ones are
/// those within `activeRangeDB` of the word's loudest dialogue frame. A word with fewer than
/// `minimumActiveFrames` of them is too short to judge (no SII, not masked, and its frames stay
/// out of the scenario's overall SII). On each active frame the SII is computed
/// with all maskers together, with each masker alone, with no masker, and with the device's
/// limiter ducking undone. A masked word (`sii < maskedBelowSII`) is attributed to:
/// 1. `device` if even without any masker the word stays below the threshold (the device cannot
///    deliver it), or if undoing the device's ducking (over `duckingThresholdDB`) would save it;
/// 2. otherwise the masker whose presence alone leaves the lowest SII — the one that dominates
///    the disturbance in the bands that carry the word.
/// Memory holds only the frames of the words in progress.
public final class WordMaskingAnalyzer {
    public let settings: WordMaskingSettings
    private let words: [WordTiming]
    private var nextWord = 0
    private var collected: [Int: [BandFrameAnalyzer.Frame]] = [:]
    private(set) public var results: [WordMasking] = []
    // Long-term sums over all active word frames, for the scenario's overall SII.
    private var dialogueSum = [Double](repeating: 0, count: 18)
    private var maskerSum = [Double](repeating: 0, count: 18)
    private var activeFrameCount = 0

    public init(words: [WordTiming], settings: WordMaskingSettings = .init()) {
        self.words = words.sorted { $0.startSeconds < $1.startSeconds }
        self.settings = settings
    }

    public func consume(_ frame: BandFrameAnalyzer.Frame) throws {
        let t = frame.centreSeconds
        // Finish words that ended before this frame.
        while nextWord < words.count && words[nextWord].endSeconds < t {
            try finish(nextWord)
            nextWord += 1
        }
        var w = nextWord
        while w < words.count && words[w].startSeconds <= t {
            if t <= words[w].endSeconds { collected[w, default: []].append(frame) }
            w += 1
        }
    }

    /// Finishes the remaining words; returns every word's result in order.
    public func finish() throws -> [WordMasking] {
        while nextWord < words.count {
            try finish(nextWord)
            nextWord += 1
        }
        return results.sorted { $0.index < $1.index }
    }

    /// The SII of the long-term dialogue and masker spectra over every active word frame.
    public func overallSII() throws -> Double? {
        guard activeFrameCount > 0 else { return nil }
        let n = Double(activeFrameCount)
        return try Self.sii(dialogue: dialogueSum.map { $0 / n }, masker: maskerSum.map { $0 / n })
    }

    static func levelsDB(_ meanSquares: [Double]) -> [Double] {
        meanSquares.map { $0 > 0 ? max(10 * log10($0 / 4e-10), ThirdOctaveBandAnalyzer.floorDBSPL) : ThirdOctaveBandAnalyzer.floorDBSPL }
    }

    static func sii(dialogue: [Double], masker: [Double]) throws -> Double {
        try SpeechIntelligibilityIndex.fromThirdOctaveBandLevels(
            speechBandLevelsDBSPL: levelsDB(dialogue), noiseBandLevelsDBSPL: levelsDB(masker)).value
    }

    private func finish(_ w: Int) throws {
        let word = words[w]
        var frames = collected.removeValue(forKey: w) ?? []
        if !frames.isEmpty {
            let levels = frames.map { 10 * log10(max($0.dialogue.reduce(0, +), 1e-30)) }
            let loudest = levels.max()!
            frames = zip(frames, levels).filter { $0.1 >= loudest - settings.activeRangeDB }.map(\.0)
        }
        guard frames.count >= max(1, settings.minimumActiveFrames) else {
            // Too short to judge: fewer active frames than the minimum (none at all when the
            // word is shorter than the frame hop and no frame centre fell inside it).
            results.append(WordMasking(index: word.index, text: word.text, startSeconds: word.startSeconds, endSeconds: word.endSeconds,
                                       estimated: word.estimated, sii: .nan, dialogueToMaskerDB: .nan, masked: false, maskedBy: nil,
                                       siiByMasker: [:], deviceDuckingDB: 0, tooShortToJudge: true))
            return
        }
        let kinds = frames[0].maskers.keys.sorted()
        var total = 0.0, byKind = [MaskerKind: Double](), noMasker = 0.0, unducked = 0.0
        var dialoguePower = 0.0, maskerPower = 0.0, maxDuckingDB = 0.0
        let silence = [Double](repeating: 0, count: 18)
        for f in frames {
            var all = silence
            for kind in kinds { for b in 0..<18 { all[b] += f.maskers[kind]![b] } }
            let frameTotal = try Self.sii(dialogue: f.dialogue, masker: all)
            total += frameTotal
            for kind in kinds { byKind[kind, default: 0] += try Self.sii(dialogue: f.dialogue, masker: f.maskers[kind]!) }
            noMasker += try Self.sii(dialogue: f.dialogue, masker: silence)
            let ducking = -20 * log10(Double(max(f.deviceGain, 1e-6)))
            maxDuckingDB = max(maxDuckingDB, ducking)
            if ducking > settings.duckingThresholdDB {
                // Undo the ducking on everything the device plays; the environment is not ducked.
                let undo = 1 / Double(f.deviceGain * f.deviceGain)
                var restored = silence
                for kind in kinds { for b in 0..<18 { restored[b] += f.maskers[kind]![b] * (kind == .environment ? 1 : undo) } }
                unducked += try Self.sii(dialogue: f.dialogue.map { $0 * undo }, masker: restored)
            } else {
                unducked += frameTotal
            }
            dialoguePower += f.dialogue.reduce(0, +)
            maskerPower += all.reduce(0, +)
            for b in 0..<18 { dialogueSum[b] += f.dialogue[b]; maskerSum[b] += all[b] }
            activeFrameCount += 1
        }
        let n = Double(frames.count)
        let sii = total / n
        let masked = sii < settings.maskedBelowSII
        var siiByMasker = byKind.mapValues { $0 / n }
        siiByMasker[.device] = noMasker / n
        var maskedBy: MaskerKind?
        if masked {
            if noMasker / n < settings.maskedBelowSII {
                maskedBy = .device
            } else if maxDuckingDB > settings.duckingThresholdDB && unducked / n >= settings.maskedBelowSII {
                maskedBy = .device
            } else {
                maskedBy = kinds.min { (byKind[$0]! , $0) < (byKind[$1]!, $1) }
            }
        }
        results.append(WordMasking(
            index: word.index, text: word.text, startSeconds: word.startSeconds, endSeconds: word.endSeconds, estimated: word.estimated,
            sii: sii, dialogueToMaskerDB: 10 * log10(max(dialoguePower, 1e-30) / max(maskerPower, 1e-30)),
            masked: masked, maskedBy: maskedBy, siiByMasker: siiByMasker, deviceDuckingDB: maxDuckingDB))
    }
}

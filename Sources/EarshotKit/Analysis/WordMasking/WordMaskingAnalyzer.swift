import Foundation

/// Decides, word by word, whether a scenario masks the dialogue, from the frames of a
/// `BandFrameAnalyzer` (ARCHITECTURE.md section 2, per-word masking).
///
/// For each word: its frames (centre inside the word) are collected; the speech-active ones are
/// those within `activeRangeDB` of the word's loudest dialogue frame. A word with fewer than
/// `minimumActiveFrames` of them is too short to judge (no SII, not masked, and its frames stay
/// out of the scenario's overall SII). Every verdict comes from `WordMaskingJudge` (the word's
/// extended-SII index and its heard probability, `WordIntelligibilityModel`): with all
/// maskers (`masked`), with each masker alone, with none, and without the mix
/// (`maskedWithoutMix`: the environment alone, the limiter's ducking undone — see below).
///
/// The mix's share. A masked word is either the mix's cost (`maskedWithoutMix` false: with the
/// music, effects or M&E removed — same device, volume and environment — the word is heard) or
/// the situation's (still masked without the mix: the device or the place is the limit).
/// Without the mix the limiter would duck less, since its gain is driven by the whole programme;
/// Earshot counts the ducking as the mix's: judging without the mix, ducking over
/// `duckingThresholdDB` is undone. When the mix is silent during the word (a dialogue-only
/// check) nothing else drives the limiter and the ducking stays.
///
/// Attribution (`maskedBy`) follows the share, so it never contradicts it:
/// 1. the mix's cost goes to the mix's stem (music, effects or M&E) whose presence alone leaves
///    the lowest SII — never to the environment or the device;
/// 2. the situation's goes to `device` if even without any masker the word stays masked (the
///    device cannot deliver it), or if undoing the ducking would save it (possible only when the
///    mix is silent), and otherwise to `environment` — never to a stem of the mix.
/// Memory holds only the frames of the words in progress.
final class WordMaskingAnalyzer {
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
        // The speech's long-term spectrum is the word's over all its frames; the noise is
        // judged on the speech-active ones.
        let wordFrames = frames
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
        var dialoguePower = 0.0, maskerPower = 0.0, maxDuckingDB = 0.0, mixPower = 0.0
        for f in frames {
            var all = [Double](repeating: 0, count: 18)
            for kind in kinds { for b in 0..<18 { all[b] += f.maskers[kind]![b] } }
            for kind in kinds where kind.isPartOfTheMix { mixPower += f.maskers[kind]!.reduce(0, +) }
            maxDuckingDB = max(maxDuckingDB, WordMaskingJudge.duckingDB(f))
            dialoguePower += f.dialogue.reduce(0, +)
            maskerPower += all.reduce(0, +)
            for b in 0..<18 { dialogueSum[b] += f.dialogue[b]; maskerSum[b] += all[b] }
            activeFrameCount += 1
        }
        let judge = WordMaskingJudge(settings)
        let heard = try judge.judge(frames, speech: wordFrames, maskers: kinds, ducking: .asRendered)
        var byKind: [MaskerKind: WordMaskingJudge.Verdict] = [:]
        for kind in kinds { byKind[kind] = try judge.judge(frames, speech: wordFrames, maskers: [kind], ducking: .asRendered) }
        var siiByMasker = byKind.mapValues(\.sii)
        let alone = try judge.judge(frames, speech: wordFrames, maskers: [], ducking: .asRendered)
        siiByMasker[.device] = alone.sii
        // Without the mix: the situation's maskers alone; the ducking undone when the mix was
        // there to drive the limiter (a mix quieter than about -146 dB SPL in every band counts as
        // silent). With nothing to undo and one masker left, that is the judgement already made.
        let mixPresent = mixPower > 1e-20 * Double(frames.count)
        let situation = kinds.filter { !$0.isPartOfTheMix }
        let undo = mixPresent && maxDuckingDB > settings.duckingThresholdDB
        let withoutMix = try situation.count == 1 && !undo ? byKind[situation[0]]!
            : judge.judge(frames, speech: wordFrames, maskers: situation, ducking: undo ? .undoneAboveThreshold : .asRendered)
        let masked = heard.masked
        let maskedWithoutMix = masked && withoutMix.masked
        var maskedBy: MaskerKind?
        if maskedWithoutMix {
            var deviceLimit = alone.masked
            if !deviceLimit && maxDuckingDB > settings.duckingThresholdDB {
                deviceLimit = try !judge.judge(frames, speech: wordFrames, maskers: kinds, ducking: .undoneAboveThreshold).masked
            }
            maskedBy = deviceLimit ? .device : .environment
        } else if masked {
            maskedBy = kinds.filter(\.isPartOfTheMix).min { (siiByMasker[$0]!, $0) < (siiByMasker[$1]!, $1) }
        }
        let sii = heard.sii
        results.append(WordMasking(
            index: word.index, text: word.text, startSeconds: word.startSeconds, endSeconds: word.endSeconds, estimated: word.estimated,
            sii: sii, heardProbability: heard.heardProbability,
            dialogueToMaskerDB: 10 * log10(max(dialoguePower, 1e-30) / max(maskerPower, 1e-30)),
            masked: masked, atRisk: heard.heardProbability < max(settings.atRiskBelowHeardProbability, settings.maskedBelowHeardProbability),
            maskedBy: maskedBy, siiByMasker: siiByMasker, deviceDuckingDB: maxDuckingDB,
            maskedWithoutMix: maskedWithoutMix, siiWithoutMix: withoutMix.sii))
    }
}

import Foundation

/// Decides, word by word, whether a scenario masks the dialogue, from the frames of a
/// `BandFrameAnalyzer` (ARCHITECTURE.md section 2, per-word masking).
///
/// For each word: its frames (centre inside the word) are collected; the speech-active ones are
/// those within `activeRangeDB` of the word's loudest dialogue frame. A word with fewer than
/// `minimumActiveFrames` of them is too short to judge (no SII, not masked, and its frames stay
/// out of the scenario's overall SII). The word's index and `heardProbability` come from
/// `WordIntelligibilityModel` (the word's long-term dialogue spectrum against each frame of the
/// maskers) with all maskers together, with each masker alone, with no masker, and with the
/// device's limiter ducking undone. A word is masked when `heardProbability <
/// maskedBelowHeardProbability` and at risk below `atRiskBelowHeardProbability`; a masked word
/// is attributed to:
/// 1. `device` if even without any masker the word stays masked (the device cannot deliver it),
///    or if undoing the device's ducking (over `duckingThresholdDB`) would save it;
/// 2. otherwise the masker whose presence alone leaves the lowest index — the one that
///    dominates the disturbance in the bands that carry the word.
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
        var dialoguePower = 0.0, maskerPower = 0.0, maxDuckingDB = 0.0
        let silence = [Double](repeating: 0, count: 18)
        let speech = WordIntelligibilityModel.equivalentSpectrum(wordFrames.map(\.dialogue))
        var all = [[Double]](), alone = [MaskerKind: [[Double]]]()
        var unduckedSpeech = [[Double]](), unduckedMaskers = [[Double]]()
        for f in frames {
            var sum = silence
            for kind in kinds { for b in 0..<18 { sum[b] += f.maskers[kind]![b] } }
            all.append(sum)
            for kind in kinds { alone[kind, default: []].append(f.maskers[kind]!) }
            let ducking = -20 * log10(Double(max(f.deviceGain, 1e-6)))
            maxDuckingDB = max(maxDuckingDB, ducking)
            // Undo the ducking on everything the device plays; the environment is not ducked.
            let undo = ducking > settings.duckingThresholdDB ? 1 / Double(f.deviceGain * f.deviceGain) : 1
            var restored = silence
            for kind in kinds { for b in 0..<18 { restored[b] += f.maskers[kind]![b] * (kind == .environment ? 1 : undo) } }
            unduckedSpeech.append(f.dialogue.map { $0 * undo })
            unduckedMaskers.append(restored)
            dialoguePower += f.dialogue.reduce(0, +)
            maskerPower += sum.reduce(0, +)
            for b in 0..<18 { dialogueSum[b] += f.dialogue[b]; maskerSum[b] += sum[b] }
            activeFrameCount += 1
        }
        let model = WordIntelligibilityModel.self
        let verdict = try model.verdict(speech: speech, maskerFrames: all)
        var byKind = [MaskerKind: WordIntelligibilityModel.Verdict]()
        for kind in kinds { byKind[kind] = try model.verdict(speech: speech, maskerFrames: alone[kind]!) }
        // With no masker every frame is the same, so one frame gives the mean.
        let noMasker = try model.verdict(speech: speech, maskerFrames: [silence])
        let threshold = settings.maskedBelowHeardProbability
        let masked = verdict.heardProbability < threshold
        var siiByMasker = byKind.mapValues(\.index)
        siiByMasker[.device] = noMasker.index
        var maskedBy: MaskerKind?
        if masked {
            if noMasker.heardProbability < threshold {
                maskedBy = .device
            } else if maxDuckingDB > settings.duckingThresholdDB,
                      try model.verdict(speech: model.equivalentSpectrum(unduckedSpeech), maskerFrames: unduckedMaskers).heardProbability >= threshold {
                maskedBy = .device
            } else {
                maskedBy = kinds.min { (byKind[$0]!.index, $0) < (byKind[$1]!.index, $1) }
            }
        }
        let sii = verdict.index
        results.append(WordMasking(
            index: word.index, text: word.text, startSeconds: word.startSeconds, endSeconds: word.endSeconds, estimated: word.estimated,
            sii: sii, heardProbability: verdict.heardProbability,
            dialogueToMaskerDB: 10 * log10(max(dialoguePower, 1e-30) / max(maskerPower, 1e-30)),
            masked: masked, atRisk: verdict.heardProbability < max(settings.atRiskBelowHeardProbability, threshold), maskedBy: maskedBy, siiByMasker: siiByMasker, deviceDuckingDB: maxDuckingDB))
    }
}

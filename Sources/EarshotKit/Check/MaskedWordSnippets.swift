import Foundation

/// A masked word to listen to: a second of context around the word, as the dialogue stem has it
/// and as the listener hears it in one scenario.
///
/// Both clips are mono (the mean of the two ears for what the listener hears), resampled to
/// `sampleRate`, and each is normalised to peak at −3 dBFS so both can be heard at one monitor
/// setting; `levelDifferenceDB` keeps the real difference between them. `original` is the
/// dialogue stem as an ideal device (flat, noiseless) would deliver it at the scenario's
/// volume.
public struct MaskedWordSnippet: Sendable, Equatable {
    public var wordIndex: Int
    public var text: String
    public var maskedBy: MaskerKind?
    public var sii: Double
    /// Programme time of the word, seconds.
    public var wordStartSeconds: Double
    public var wordEndSeconds: Double
    /// Programme time of the clips' first sample, seconds.
    public var clipStartSeconds: Double
    public var sampleRate: Int
    public var original: [Float]
    public var atEar: [Float]
    /// RMS level of `original` against `atEar` before normalisation, dB (negative: the word is
    /// quieter than what surrounds it at the ear).
    public var levelDifferenceDB: Double
}

/// Collects `MaskedWordSnippet`s while a scenario streams past, with bounded memory: a rolling
/// buffer (at most `retentionSeconds`, plus the words still undecided) of the clean dialogue and
/// of the at-ear total, and at most `capacity` finished snippets.
///
/// A clip spans [start − 0.5 s, end + 0.5 s] (at most `maximumClipSeconds`), and is cut once the
/// word's masking result is known and the at-ear signal has streamed past the clip's end. When
/// more words are masked than `capacity`, the kept ones are those a mixer can act on first:
/// masked by the programme itself (music, effects, M&E), then by the device, then by the
/// environment; within each, the lowest SII first.
final class MaskedWordSnippetRecorder {
    /// Six pairs per scenario keep a six-scenario page near 5 MB.
    static let defaultCapacity = 6
    static let contextSeconds = 0.5
    static let maximumClipSeconds = 4.0
    static let retentionSeconds = 12.0
    static let clipSampleRate = 24000
    static let clipPeakDBFS = -3.0

    let capacity: Int
    let sampleRate: Int
    /// Pascals at the ear per full-scale unit of the dialogue stem on an ideal device.
    let originalPascalsPerFullScale: Float
    private let words: [WordTiming]
    private var input = RollingBuffer()
    private var atEar = RollingBuffer()
    private var resultsSeen = 0
    private var waiting: [WordMasking] = []
    /// The clips that currently earn a place, still at the programme's rate: only the ones kept
    /// to the end are resampled and normalised.
    private var kept: [RawClip] = []

    private struct RawClip {
        var word: WordMasking
        var range: Range<Int>
        var original: [Float]
        var heard: [Float]
    }
    private(set) var maskedCount = 0
    /// Samples held in the rolling buffers (for the memory bound).
    var heldFrames: Int { max(input.count, atEar.count) }

    init(words: [WordTiming], originalPascalsPerFullScale: Float, capacity: Int = defaultCapacity,
         sampleRate: Int = AudioSource.processingRate) {
        self.words = words.sorted { $0.startSeconds < $1.startSeconds }
        self.originalPascalsPerFullScale = originalPascalsPerFullScale
        self.capacity = capacity
        self.sampleRate = sampleRate
    }

    /// The clean dialogue (full-scale units, mono), in programme order from the first sample.
    func appendInput(_ mono: [Float]) { input.append(mono) }

    /// What the listener hears (pascals, mono), in programme order from the first sample;
    /// `results` are the masking results so far (`WordMaskingAnalyzer.results`).
    func appendAtEar(_ mono: [Float], results: [WordMasking]) throws {
        atEar.append(mono)
        take(results)
        try cutReadyClips(final: false)
        // Keep what an undecided or waiting word still needs, within the retention limit.
        var keepFrom = atEar.endFrame - Int(Self.retentionSeconds * Double(sampleRate))
        let needed = min(waiting.first.map { clipRange($0).lowerBound } ?? Int.max,
                         resultsSeen < words.count ? frame(words[resultsSeen].startSeconds - Self.contextSeconds) : Int.max)
        keepFrom = max(keepFrom, min(needed, atEar.endFrame))
        input.drop(before: keepFrom)
        atEar.drop(before: keepFrom)
    }

    /// Cuts the remaining clips from what has streamed; returns the kept snippets in programme
    /// order and how many masked words were not embedded.
    func finish(results: [WordMasking]) throws -> (snippets: [MaskedWordSnippet], notEmbedded: Int) {
        take(results)
        try cutReadyClips(final: true)
        let snippets = try kept.map { try snippet($0) }
        return (snippets.sorted { $0.wordStartSeconds < $1.wordStartSeconds || ($0.wordStartSeconds == $1.wordStartSeconds && $0.wordIndex < $1.wordIndex) },
                maskedCount - kept.count)
    }

    private func take(_ results: [WordMasking]) {
        guard results.count > resultsSeen else { return }
        for r in results[resultsSeen...] where r.masked {
            maskedCount += 1
            waiting.append(r)
        }
        resultsSeen = results.count
        waiting.sort { clipRange($0).lowerBound < clipRange($1).lowerBound }
    }

    private func frame(_ seconds: Double) -> Int { max(0, Int((seconds * Double(sampleRate)).rounded())) }

    private func clipRange(_ w: WordMasking) -> Range<Int> {
        let start = frame(w.startSeconds - Self.contextSeconds)
        let end = max(start + 1, min(frame(w.endSeconds + Self.contextSeconds), start + Int(Self.maximumClipSeconds * Double(sampleRate))))
        return start..<end
    }

    private func cutReadyClips(final: Bool) throws {
        var still: [WordMasking] = []
        for w in waiting {
            let range = clipRange(w)
            if !final && range.upperBound > atEar.endFrame { still.append(w); continue }
            // Clip to what is held (the programme's end, or a word longer than the retention).
            let lower = max(range.lowerBound, atEar.startFrame, input.startFrame)
            let upper = min(range.upperBound, atEar.endFrame, input.endFrame)
            guard upper > lower else { continue }
            keep(w, lower..<upper)
        }
        waiting = still
    }

    private func snippet(_ clip: RawClip) throws -> MaskedWordSnippet {
        let w = clip.word, range = clip.range
        var original = try AudioFile.resample(clip.original, from: sampleRate, to: Self.clipSampleRate)
        var heard = try AudioFile.resample(clip.heard, from: sampleRate, to: Self.clipSampleRate)
        func rms(_ x: [Float]) -> Double { x.isEmpty ? 0 : (x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(x.count)).squareRoot() }
        let difference = rms(original) > 0 && rms(heard) > 0 ? 20 * log10(rms(original) / rms(heard)) : -.infinity
        for clip in [0, 1] {
            let peak = (clip == 0 ? original : heard).map(abs).max() ?? 0
            let gain = peak > 0 ? Float(pow(10, Self.clipPeakDBFS / 20)) / peak : 1
            if clip == 0 { for i in original.indices { original[i] *= gain } } else { for i in heard.indices { heard[i] *= gain } }
        }
        return MaskedWordSnippet(wordIndex: w.index, text: w.text, maskedBy: w.maskedBy, sii: w.sii,
                                 wordStartSeconds: w.startSeconds, wordEndSeconds: w.endSeconds,
                                 clipStartSeconds: Double(range.lowerBound) / Double(sampleRate), sampleRate: Self.clipSampleRate,
                                 original: original, atEar: heard, levelDifferenceDB: difference)
    }

    /// The order in which masked words earn a place: masked by the programme itself (music,
    /// effects, M&E) first, then by the device, then by the environment; the lowest SII first.
    static func precedes(_ a: WordMasking, _ b: WordMasking) -> Bool {
        func rank(_ k: MaskerKind?) -> Int {
            switch k {
            case .music?, .effects?, .me?: return 0
            case .device?: return 1
            default: return 2
            }
        }
        return (rank(a.maskedBy), a.sii, a.index) < (rank(b.maskedBy), b.sii, b.index)
    }

    /// Keeps a clip if it earns a place; copies its samples only then.
    private func keep(_ w: WordMasking, _ range: Range<Int>) {
        if kept.count >= capacity, let worst = kept.max(by: { Self.precedes($0.word, $1.word) }), !Self.precedes(w, worst.word) { return }
        let scale = originalPascalsPerFullScale
        kept.append(RawClip(word: w, range: range, original: input.samples(range).map { $0 * scale }, heard: atEar.samples(range)))
        if kept.count > capacity {
            kept.sort { Self.precedes($0.word, $1.word) }
            kept.removeLast(kept.count - capacity)
        }
    }
}

/// The most recent samples of a stream, addressed by their frame number in the programme.
struct RollingBuffer {
    private(set) var startFrame = 0
    private var buffer: [Float] = []
    var endFrame: Int { startFrame + buffer.count }
    var count: Int { buffer.count }

    mutating func append(_ x: [Float]) { buffer += x }

    /// Drops samples before `frame` (in batches of at least a second, so trimming stays cheap).
    mutating func drop(before frame: Int) {
        let n = min(frame - startFrame, buffer.count)
        guard n >= 48000 || (n > 0 && n == buffer.count) else { return }
        buffer.removeFirst(n)
        startFrame += n
    }

    func samples(_ range: Range<Int>) -> [Float] {
        Array(buffer[(range.lowerBound - startFrame)..<(range.upperBound - startFrame)])
    }
}

import Foundation

/// Short-time energy of a dialogue stem: one level per 10 ms hop, each the mean square over a
/// 20 ms rectangular frame centred on its hop, in dB relative to full scale (a full-scale sine
/// reads −3 dB; digital silence reads −120 dB, the floor). Frame `f` stands for the time
/// `f·hop … (f+1)·hop`; its frame reaches half a hop either side (zero outside the signal).
/// Stereo files are taken as the mean power of the two channels, so opposite-phase channels do
/// not cancel.
///
/// `compute(path:)` streams the file through `AudioSource` (48 kHz): memory is the envelope
/// itself, 100 floats per second of programme.
public struct SpeechEnvelope: Sendable {
    public static let defaultHopSeconds = 0.01
    public static let floorDB: Float = -120

    /// Time between levels, seconds (0.01).
    public let hopSeconds: Double
    /// One level per hop, dB re full scale (mean square).
    public let levelsDB: [Float]

    public init(hopSeconds: Double, levelsDB: [Float]) {
        precondition(hopSeconds > 0)
        self.hopSeconds = hopSeconds
        self.levelsDB = levelsDB
    }

    /// The envelope of a mono signal at any sample rate.
    public init(samples: [Float], sampleRate: Int) {
        var accumulator = EnvelopeAccumulator(sampleRate: sampleRate)
        for s in samples { accumulator.add(power: Double(s) * Double(s)) }
        self.init(hopSeconds: SpeechEnvelope.defaultHopSeconds, levelsDB: accumulator.finish())
    }

    /// The envelope of an audio file (any format libsndfile reads; mono, stereo or 5.1 folded to
    /// stereo), streamed.
    public static func compute(path: String) throws -> SpeechEnvelope {
        let source = try AudioSource(path: path)
        var accumulator = EnvelopeAccumulator(sampleRate: AudioSource.processingRate)
        accumulator.reserve(frames: source.frames)
        while true {
            let block = try source.read(AudioSource.processingRate)
            if block.frames == 0 { break }
            for i in 0..<block.frames {
                let l = Double(block.left[i]), r = Double(block.right[i])
                accumulator.add(power: 0.5 * (l * l + r * r))
            }
        }
        return SpeechEnvelope(hopSeconds: defaultHopSeconds, levelsDB: accumulator.finish())
    }

    public var durationSeconds: Double { Double(levelsDB.count) * hopSeconds }

    /// The frame that holds time `seconds` (not clamped).
    public func frame(atSeconds seconds: Double) -> Int { Int((seconds / hopSeconds + 1e-9).rounded(.down)) }
}

/// Sums sample powers into 20 ms frames every 10 ms without keeping the samples. The signal is cut
/// into quarter-frame segments j = [B(j), B(j+1)) with B(j) = round((j/2 − 1/2)·hop); frame f is
/// segments 2f…2f+3, i.e. samples round((f − 1/2)·hop) … round((f + 3/2)·hop).
struct EnvelopeAccumulator {
    private let hop: Double
    private var levels: [Float] = []
    private var sampleIndex = 0
    private var segment = 0
    private var segmentEnd: Int
    private var current = 0.0
    /// Sums of the completed segments not yet fully used: segments `firstKept…`.
    private var kept: [Double] = []
    private var firstKept = 0

    init(sampleRate: Int) {
        precondition(sampleRate > 0)
        hop = Double(sampleRate) * SpeechEnvelope.defaultHopSeconds
        segmentEnd = EnvelopeAccumulator.boundary(1, hop: hop)
    }

    private static func boundary(_ j: Int, hop: Double) -> Int {
        Int(((Double(j) * 0.5 - 0.5) * hop).rounded())
    }

    mutating func reserve(frames samples: Int) {
        levels.reserveCapacity(Int((Double(samples) / hop).rounded(.up)) + 1)
    }

    mutating func add(power: Double) {
        while sampleIndex >= segmentEnd { closeSegment() }
        current += power
        sampleIndex += 1
    }

    private mutating func closeSegment() {
        kept.append(current)
        current = 0
        segment += 1
        segmentEnd = EnvelopeAccumulator.boundary(segment + 1, hop: hop)
        // Frame f is complete when segment 2f+3 is.
        let f = levels.count
        if segment - 1 == 2 * f + 3 {
            let base = 2 * f - firstKept
            let sum = kept[base] + kept[base + 1] + kept[base + 2] + kept[base + 3]
            let length = EnvelopeAccumulator.boundary(2 * f + 4, hop: hop) - EnvelopeAccumulator.boundary(2 * f, hop: hop)
            let meanSquare = sum / Double(max(length, 1))
            levels.append(max(SpeechEnvelope.floorDB, Float(10 * log10(meanSquare + 1e-12))))
            kept.removeFirst(2)
            firstKept += 2
        }
    }

    /// The levels, one per hop of the signal (the last hop may be partial).
    mutating func finish() -> [Float] {
        let frameCount = Int((Double(sampleIndex) / hop - 1e-9).rounded(.up))
        while levels.count < frameCount { closeSegment() }
        return levels
    }
}

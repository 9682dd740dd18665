import Foundation

/// Streaming Zwicker loudness for time-varying sounds (ISO 532-1:2017, clause 6): pressure in
/// pascals at 48 kHz goes in, in blocks of any size; one frame comes out every 2 ms (every 4th
/// 0.5-ms level frame, starting with the first) with
/// - the total loudness after temporal weighting (sone), and
/// - the specific loudness N′(z) on 240 steps of 0.1 Bark (sone/Bark), which is not temporally
///   weighted (it carries the nonlinear decay of the core loudness only).
///
/// Pipeline per 0.5-ms level frame: band levels from `ThirdOctaveFilterBank`, `CoreLoudness`,
/// `NonlinearTemporalDecay`, `SpecificLoudnessPattern`, `TemporalWeighting`. A signal of n
/// samples gives ⌈⌈n/24⌉/4⌉ frames; frame k describes time k·2 ms. Memory does not grow with the
/// signal, so programmes of any length can be measured.
public final class ZwickerTimeVaryingAnalyzer {
    public static let sampleRate = ThirdOctaveFilterBank.sampleRate
    public static let frameSeconds = 0.002
    /// Level frames (0.5 ms) per output frame (2 ms).
    static let levelFramesPerFrame = 4

    public let field: SoundField
    private let filterBank = ThirdOctaveFilterBank()
    private var decay = NonlinearTemporalDecay()
    private var weighting = TemporalWeighting()
    private var levelFrameIndex = 0
    /// Output frames delivered so far.
    public private(set) var frameCount = 0

    private var intensities: [Double] = []
    private var levels = [Double](repeating: 0, count: ISO532Tables.bandCount)
    private var core = [Double](repeating: 0, count: ISO532Tables.coreBandCount)
    private var specific = [Double](repeating: 0, count: ISO532Tables.barkStepCount)

    /// Samples filtered per inner block (bounds the intensity buffer).
    private static let blockSamples = 9600

    public init(field: SoundField = .free) {
        self.field = field
    }

    /// Feeds pressure samples (Pa, 48 kHz) and calls `frame` for every completed 2-ms frame with
    /// its index, temporally weighted total loudness (sone) and specific loudness (240 values,
    /// sone/Bark; the buffer is only valid during the call).
    public func process(_ pressurePa: UnsafeBufferPointer<Float>,
                        frame: (_ index: Int, _ loudnessSone: Double, _ specificLoudness: UnsafeBufferPointer<Double>) -> Void) {
        guard let base = pressurePa.baseAddress else { return }
        var offset = 0
        while offset < pressurePa.count {
            let count = min(Self.blockSamples, pressurePa.count - offset)
            let frames = filterBank.frameCount(forNext: count)
            let needed = frames * ISO532Tables.bandCount
            if intensities.count < needed { intensities = [Double](repeating: 0, count: needed) }
            _ = intensities.withUnsafeMutableBufferPointer { buf in
                filterBank.smoothedIntensities(base + offset, count: count, into: buf.baseAddress!)
            }
            for f in 0..<frames { processLevelFrame(at: f * ISO532Tables.bandCount, frame: frame) }
            offset += count
        }
    }

    private func processLevelFrame(at start: Int,
                                   frame: (Int, Double, UnsafeBufferPointer<Double>) -> Void) {
        for b in 0..<ISO532Tables.bandCount {
            levels[b] = ThirdOctaveFilterBank.levelDB(intensity: intensities[start + b])
        }
        levels.withUnsafeBufferPointer { lv in
            core.withUnsafeMutableBufferPointer { c in
                CoreLoudness.compute(bandLevelsDB: lv.baseAddress!, field: field, into: c.baseAddress!)
                decay.process(c.baseAddress!)
            }
        }
        let isOutput = levelFrameIndex % Self.levelFramesPerFrame == 0
        let total = core.withUnsafeBufferPointer { c in
            specific.withUnsafeMutableBufferPointer { s in
                SpecificLoudnessPattern.compute(coreLoudness: c.baseAddress!, specific: isOutput ? s.baseAddress! : nil)
            }
        }
        let weighted = weighting.process(total)
        if isOutput {
            specific.withUnsafeBufferPointer { frame(frameCount, weighted, $0) }
            frameCount += 1
        }
        levelFrameIndex += 1
    }
}

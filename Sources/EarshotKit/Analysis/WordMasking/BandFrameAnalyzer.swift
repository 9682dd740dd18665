import Foundation

/// Third-octave band powers of the at-ear components in short frames: 1024-sample Hann frames
/// (21.3 ms at 48 kHz) every 20 ms, the 18 ANSI S3.5 bands 160 Hz–8 kHz, mean square pressure
/// (Pa²) averaged over the two ears. Streams `AtEarBlock`s and calls back once per frame.
final class BandFrameAnalyzer {
    /// One analysis frame of every component.
    public struct Frame: Sendable {
        public var index: Int
        /// Centre time of the frame, seconds.
        public var centreSeconds: Double
        public var dialogue: [Double]
        public var maskers: [MaskerKind: [Double]]
        /// Smallest device limiter gain in the frame (1 = no ducking).
        public var deviceGain: Float
    }

    public static let hopSeconds = 0.02
    public let sampleRate: Int
    public let hop: Int
    public let frameLength = 1024
    private let analyzer: ThirdOctaveBandAnalyzer
    private var buffers: [String: ([Float], [Float])] = [:]
    private var gainBuffer: [Float] = []
    private var nextFrameStart = 0
    private var bufferStart = 0
    private var frameIndex = 0

    public init(sampleRate: Int = AudioSource.processingRate) throws {
        self.sampleRate = sampleRate
        hop = Int(Double(sampleRate) * Self.hopSeconds)
        analyzer = try ThirdOctaveBandAnalyzer(sampleRate: Double(sampleRate), frameLength: 1024)
    }

    /// Feeds one block; `dialogue` is the dialogue stem's role, `maskers` maps each masker kind
    /// to its at-ear signal in this block.
    public func consume(dialogue: StereoBlock, maskers: [MaskerKind: StereoBlock], deviceGain: [Float],
                        onFrame: (Frame) throws -> Void) rethrows {
        append("dialogue", dialogue)
        for (kind, block) in maskers { append(kind.rawValue, block) }
        gainBuffer += deviceGain
        let kinds = maskers.keys.sorted()
        while nextFrameStart + frameLength <= bufferStart + gainBuffer.count {
            let offset = nextFrameStart - bufferStart
            let range = offset..<(offset + frameLength)
            var maskerBands: [MaskerKind: [Double]] = [:]
            for kind in kinds { maskerBands[kind] = bands(kind.rawValue, range) }
            let frame = Frame(index: frameIndex, centreSeconds: (Double(nextFrameStart) + Double(frameLength) / 2) / Double(sampleRate),
                              dialogue: bands("dialogue", range), maskers: maskerBands,
                              deviceGain: gainBuffer[range].min() ?? 1)
            try onFrame(frame)
            frameIndex += 1
            nextFrameStart += hop
        }
        // Drop what no future frame needs.
        let keepFrom = nextFrameStart - bufferStart
        if keepFrom > 0 {
            for key in buffers.keys {
                buffers[key]!.0.removeFirst(keepFrom)
                buffers[key]!.1.removeFirst(keepFrom)
            }
            gainBuffer.removeFirst(keepFrom)
            bufferStart = nextFrameStart
        }
    }

    private func append(_ key: String, _ block: StereoBlock) {
        // Appended in place (taking the entry out first would copy the buffers every block).
        buffers[key, default: ([], [])].0 += block.left
        buffers[key, default: ([], [])].1 += block.right
    }

    private func bands(_ key: String, _ range: Range<Int>) -> [Double] {
        let (left, right) = buffers[key]!
        let l = analyzer.bandMeanSquares(frame: left[range])
        if left[range] == right[range] { return l }
        let r = analyzer.bandMeanSquares(frame: right[range])
        return zip(l, r).map { ($0 + $1) / 2 }
    }
}

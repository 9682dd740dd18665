/// An input file delivered as planar stereo at Earshot's processing rate (48 kHz), in blocks:
/// libsndfile reads, `ChannelFold` folds mono/5.1 to stereo, libsoxr resamples.
/// Memory is bounded by the block size, whatever the file's length.
public final class AudioSource {
    public static let processingRate = 48_000

    public let info: AudioFileInfo
    /// Length at the processing rate, in frames.
    public let frames: Int
    private let reader: AudioFileReader
    private let fold: ChannelFold
    private let resampler: Resampler?
    // Converted samples not yet delivered: pending[Left|Right][pendingStart...].
    private var pendingLeft: [Float] = []
    private var pendingRight: [Float] = []
    private var pendingStart = 0
    private var delivered = 0
    private var readBuffer: [Float]
    private let readFrames = 8192
    private var inputEnded = false

    public init(path: String, rate: Int = AudioSource.processingRate) throws {
        reader = try AudioFileReader(path: path)
        info = reader.info
        fold = try ChannelFold(channels: info.channels, file: path)
        resampler = info.sampleRate == rate ? nil : try Resampler(inputRate: Double(info.sampleRate), outputRate: Double(rate))
        frames = info.sampleRate == rate ? info.frames
            : Int((Double(info.frames) * Double(rate) / Double(info.sampleRate)).rounded())
        readBuffer = [Float](repeating: 0, count: readFrames * info.channels)
    }

    public var remainingFrames: Int { frames - delivered }

    /// The next `count` frames (fewer only at the end of the file; empty after it).
    public func read(_ count: Int) throws -> StereoBlock {
        while pendingLeft.count - pendingStart < count && !inputEnded {
            // Compact before appending, so the buffers stay about one read long.
            if pendingStart > 0 {
                pendingLeft.removeFirst(pendingStart)
                pendingRight.removeFirst(pendingStart)
                pendingStart = 0
            }
            let got = try readBuffer.withUnsafeMutableBufferPointer { buf in
                try reader.read(into: buf.baseAddress!, maxFrames: readFrames)
            }
            if got == 0 { inputEnded = true }
            if let resampler {
                var left: [Float] = [], right: [Float] = []
                if got > 0 {
                    readBuffer.withUnsafeBufferPointer { fold.fold($0.baseAddress!, frames: got, left: &left, right: &right) }
                }
                let out = resampler.process(got > 0 ? [left, right] : nil)
                pendingLeft += out[0]; pendingRight += out[1]
                if inputEnded {
                    // Flush the filter tail; soxr may need several calls.
                    var tail = resampler.process(nil)
                    while !tail[0].isEmpty { pendingLeft += tail[0]; pendingRight += tail[1]; tail = resampler.process(nil) }
                }
            } else if got > 0 {
                readBuffer.withUnsafeBufferPointer { fold.fold($0.baseAddress!, frames: got, left: &pendingLeft, right: &pendingRight) }
            }
        }
        let n = min(count, pendingLeft.count - pendingStart, frames - delivered)
        guard n > 0 else { return StereoBlock(frames: 0) }
        let block = StereoBlock(left: Array(pendingLeft[pendingStart..<(pendingStart + n)]),
                                right: Array(pendingRight[pendingStart..<(pendingStart + n)]))
        pendingStart += n
        delivered += n
        return block
    }
}

/// Streaming FIR filtering with no input-to-output delay, for the live monitor: non-uniformly
/// partitioned convolution after Gardner, "Efficient convolution without input-output delay"
/// (JAES 43(3), 1995), with the partition sizes grouped as García, "Optimal filter partition for
/// efficient convolution with short input/output delay" (AES 113th Convention, 2002) and
/// Wefers, "Partitioned convolution algorithms for real-time auralization" (2015, ch. 5) describe.
///
/// The impulse response is cut into a *head* of `headLength` taps, filtered directly in the
/// time domain (no delay), and *segments* of growing block size B (doubling, up to
/// `maximumBlockSize`), each a uniformly partitioned FFT convolution (`PartitionedConvolver`,
/// delay B). A segment starting at tap offset o ≥ B can hide its block delay: its input is
/// delayed by o − B, so its output lands exactly where its taps belong. Output sample n is
/// the full convolution's sample n: `latency` is 0.
///
/// The audio path never allocates: `process` works on caller-owned pointers and this object's
/// preallocated buffers. Block boundaries of the larger segments cost more than the average
/// (every segment computes on the same multiple of its block); at the default sizes the
/// largest such burst is well under a millisecond at 48 kHz.
public final class LowLatencyConvolver {
    public let impulseResponseLength: Int
    public let headLength: Int
    /// Block size, tap offset and input delay of each FFT segment.
    public let segments: [(blockSize: Int, offset: Int, length: Int)]
    private let convolvers: [PartitionedConvolver]
    private let inputDelays: [Int]
    /// The head's taps, time-reversed, for a forward dot product over the history.
    private let head: UnsafeMutablePointer<Float>
    /// Input history: the ring every segment and the head read from.
    private let history: UnsafeMutablePointer<Float>
    private let historyMask: Int
    private var historyWrite = 0
    /// Contiguous scratch for one chunk of a segment's delayed input and its output.
    private let segmentInput: UnsafeMutablePointer<Float>
    private let segmentOutput: UnsafeMutablePointer<Float>
    /// The head's input window: headLength − 1 past samples, then the chunk.
    private let headWindow: UnsafeMutablePointer<Float>

    /// Frames handled per inner step (calls may pass any count).
    public static let chunkFrames = 256
    public static let defaultHeadLength = 64
    public static let defaultMaximumBlockSize = 4096

    /// Always 0: output sample n is the convolution's sample n.
    public var latency: Int { 0 }

    public init(impulseResponse: [Float], headLength: Int = LowLatencyConvolver.defaultHeadLength,
                maximumBlockSize: Int = LowLatencyConvolver.defaultMaximumBlockSize) {
        precondition(headLength > 0 && headLength & (headLength - 1) == 0, "the head length must be a power of two")
        precondition(maximumBlockSize >= headLength && maximumBlockSize & (maximumBlockSize - 1) == 0)
        let ir = impulseResponse.isEmpty ? [0] : impulseResponse
        impulseResponseLength = ir.count
        let h = min(headLength, ir.count)
        self.headLength = headLength
        // Segments: block B at offset o ≥ B, two partitions per size (Gardner's doubling), the
        // last size uniform to the end of the response.
        var segments: [(blockSize: Int, offset: Int, length: Int)] = []
        var offset = headLength, block = headLength
        while offset < ir.count {
            while block * 2 <= maximumBlockSize && offset >= block * 2 { block *= 2 }
            let length = block == maximumBlockSize ? ir.count - offset : min(2 * block, ir.count - offset)
            segments.append((block, offset, length))
            offset += length
        }
        self.segments = segments
        convolvers = segments.map { PartitionedConvolver(impulseResponse: Array(ir[$0.offset..<($0.offset + $0.length)]), blockSize: $0.blockSize) }
        inputDelays = segments.map { $0.offset - $0.blockSize }
        let longestDelay = inputDelays.max() ?? 0
        let capacity = (longestDelay + Self.chunkFrames + headLength).nextPowerOfTwo
        historyMask = capacity - 1
        func zeros(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: n)
            p.initialize(repeating: 0, count: n)
            return p
        }
        history = zeros(capacity)
        head = zeros(headLength)
        for j in 0..<h { head[headLength - 1 - j] = ir[j] }
        segmentInput = zeros(Self.chunkFrames)
        segmentOutput = zeros(Self.chunkFrames)
        headWindow = zeros(headLength - 1 + Self.chunkFrames)
    }

    deinit {
        for p in [head, history, segmentInput, segmentOutput, headWindow] { p.deallocate() }
    }

    /// Filters `count` samples of `input` into `output` (they may be the same buffer).
    public func process(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, count: Int) {
        var done = 0
        while done < count {
            let n = min(Self.chunkFrames, count - done)
            processChunk(input + done, output + done, n)
            done += n
        }
    }

    private func processChunk(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, _ n: Int) {
        let mask = historyMask
        let taps = headLength
        // History: the chunk is written after everything before it.
        let start = historyWrite
        for i in 0..<n { history[(start + i) & mask] = input[i] }
        historyWrite = (start + n) & mask
        // Head: direct-form FIR over the last headLength − 1 samples and the chunk.
        let past = taps - 1
        for i in 0..<(past + n) { headWindow[i] = history[(start - past + i) & mask] }
        // Eight lanes of partial sums (the taps count is a power of two of at least eight, or
        // fewer taps handled one by one).
        let wide = taps >= 8
        for i in 0..<n {
            let x = headWindow + i
            if wide {
                var acc = SIMD8<Float>.zero
                var j = 0
                while j < taps {
                    acc += UnsafeRawPointer(head + j).loadUnaligned(as: SIMD8<Float>.self)
                        * UnsafeRawPointer(x + j).loadUnaligned(as: SIMD8<Float>.self)
                    j += 8
                }
                output[i] = acc.sum()
            } else {
                var acc: Float = 0
                for j in 0..<taps { acc += head[j] * x[j] }
                output[i] = acc
            }
        }
        // Segments: each reads its delayed input and adds its output.
        for s in 0..<convolvers.count {
            let delay = inputDelays[s]
            for i in 0..<n { segmentInput[i] = history[(start - delay + i) & mask] }
            convolvers[s].process(segmentInput, segmentOutput, count: n)
            for i in 0..<n { output[i] += segmentOutput[i] }
        }
    }

    /// Convenience for tests and offline use: filters an array.
    public func process(_ input: [Float]) -> [Float] {
        var output = [Float](repeating: 0, count: input.count)
        input.withUnsafeBufferPointer { i in
            output.withUnsafeMutableBufferPointer { o in process(i.baseAddress!, o.baseAddress!, count: input.count) }
        }
        return output
    }
}

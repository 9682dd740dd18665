/// Streaming FIR filtering by uniformly partitioned overlap-save convolution on FFTW
/// (the impulse response is cut into partitions of `blockSize` taps; each input block is
/// transformed once and multiplied against every partition through a frequency-domain delay
/// line). Cost per sample grows with log(blockSize) + IR length / blockSize, so any IR length is
/// fine. Streaming output is delayed by one block (`latency`); offline callers drop it with
/// `LatencyCompensator`.
final class PartitionedConvolver {
    public let blockSize: Int
    public let partitionCount: Int
    public let impulseResponseLength: Int
    private let fftSize: Int
    private let bins: Int
    private let fft: RealFFT
    // Partition spectra, split re/im: partition p occupies [p*bins, (p+1)*bins).
    private let irRe: UnsafeMutablePointer<Float>
    private let irIm: UnsafeMutablePointer<Float>
    // Frequency-domain delay line of past input-block spectra (ring of partitionCount slots).
    private let fdlRe: UnsafeMutablePointer<Float>
    private let fdlIm: UnsafeMutablePointer<Float>
    private var fdlHead = 0
    private let accRe: UnsafeMutablePointer<Float>
    private let accIm: UnsafeMutablePointer<Float>
    // Time-domain input history: the previous block, then the block being filled.
    private let inputWindow: UnsafeMutablePointer<Float>
    private var inputFill = 0
    private let outputBlock: UnsafeMutablePointer<Float>

    /// The block size chosen for an IR length when the caller does not name one: large enough
    /// that the number of partitions stays small, so long IRs stay cheap.
    public static func defaultBlockSize(forImpulseResponseLength length: Int) -> Int {
        min(max(length.nextPowerOfTwo / 2, 512), 8192)
    }

    public init(impulseResponse: [Float], blockSize: Int? = nil) {
        let ir = impulseResponse.isEmpty ? [0] : impulseResponse
        let b = blockSize ?? PartitionedConvolver.defaultBlockSize(forImpulseResponseLength: ir.count)
        precondition(b > 0 && b & (b - 1) == 0, "block size must be a power of two")
        self.blockSize = b
        impulseResponseLength = ir.count
        fftSize = 2 * b
        bins = b + 1
        fft = RealFFT(size: fftSize)
        partitionCount = (ir.count + b - 1) / b
        func zeros(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: n)
            p.initialize(repeating: 0, count: n)
            return p
        }
        irRe = zeros(partitionCount * bins)
        irIm = zeros(partitionCount * bins)
        fdlRe = zeros(partitionCount * bins)
        fdlIm = zeros(partitionCount * bins)
        accRe = zeros(bins)
        accIm = zeros(bins)
        inputWindow = zeros(2 * b)
        outputBlock = zeros(b)
        let scale = 1 / Float(fftSize)  // fold the inverse FFT's normalization into the IR
        for p in 0..<partitionCount {
            let start = p * b
            let n = min(b, ir.count - start)
            for i in 0..<fftSize { fft.real[i] = i < n ? ir[start + i] * scale : 0 }
            fft.forward()
            let s = fft.spectrumFloats
            for k in 0..<bins {
                irRe[p * bins + k] = s[2 * k]
                irIm[p * bins + k] = s[2 * k + 1]
            }
        }
    }

    deinit {
        for p in [irRe, irIm, fdlRe, fdlIm, accRe, accIm, inputWindow, outputBlock] { p.deallocate() }
    }

    /// Latency of the streaming output relative to the input, in samples: output sample
    /// n + latency is the convolution's sample n. The first `latency` output samples are zeros.
    public var latency: Int { blockSize }

    /// Filters `input` and returns the same number of output samples, delayed by `latency`.
    /// State carries over between calls; blocks may have any length.
    public func process(_ input: [Float]) -> [Float] {
        var output = [Float](repeating: 0, count: input.count)
        input.withUnsafeBufferPointer { inp in
            output.withUnsafeMutableBufferPointer { out in
                process(inp.baseAddress!, out.baseAddress!, count: input.count)
            }
        }
        return output
    }

    public func process(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i < count {
            let take = min(blockSize - inputFill, count - i)
            (inputWindow + blockSize + inputFill).update(from: input + i, count: take)
            (output + i).update(from: outputBlock + inputFill, count: take)
            inputFill += take
            i += take
            if inputFill == blockSize {
                computeBlock()
                inputFill = 0
            }
        }
    }

    private func computeBlock() {
        let b = blockSize, bins = self.bins, parts = partitionCount
        fft.real.update(from: inputWindow, count: fftSize)
        fft.forward()
        fdlHead = (fdlHead + parts - 1) % parts
        let s = fft.spectrumFloats
        let slotRe = fdlRe + fdlHead * bins, slotIm = fdlIm + fdlHead * bins
        for k in 0..<bins {
            slotRe[k] = s[2 * k]
            slotIm[k] = s[2 * k + 1]
        }
        accRe.update(repeating: 0, count: bins)
        accIm.update(repeating: 0, count: bins)
        for p in 0..<parts {
            let xs = ((fdlHead + p) % parts) * bins
            let xr = fdlRe + xs, xi = fdlIm + xs
            let hr = irRe + p * bins, hi = irIm + p * bins
            for k in 0..<bins {
                let a = xr[k], bb = xi[k], c = hr[k], d = hi[k]
                accRe[k] += a * c - bb * d
                accIm[k] += a * d + bb * c
            }
        }
        for k in 0..<bins { s[2 * k] = accRe[k]; s[2 * k + 1] = accIm[k] }
        fft.inverse()
        outputBlock.update(from: fft.real + b, count: b)
        // Slide the input window: the current block becomes the previous one.
        inputWindow.update(from: inputWindow + b, count: b)
    }
}

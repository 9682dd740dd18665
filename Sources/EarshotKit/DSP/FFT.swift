import CFFTW
import Foundation

/// The FFTW planner is not thread-safe: every plan in Earshot is made under this one lock, and
/// plans are cached by size so each size is planned once per process. Executing a cached plan
/// with the new-array interface on buffers from `fftwf_alloc_*` is thread-safe.
enum FFTWPlanner {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var forwardPlans: [Int: fftwf_plan] = [:]
    nonisolated(unsafe) private static var inversePlans: [Int: fftwf_plan] = [:]

    static func forwardPlan(size: Int) -> fftwf_plan {
        lock.lock(); defer { lock.unlock() }
        if let plan = forwardPlans[size] { return plan }
        let input = fftwf_alloc_real(size)!
        let output = fftwf_alloc_complex(size / 2 + 1)!
        defer { fftwf_free(input); fftwf_free(output) }
        // FFTW_ESTIMATE: deterministic plans (same plan, same bits, every run).
        let plan = fftwf_plan_dft_r2c_1d(Int32(size), input, output, UInt32(FFTW_ESTIMATE))!
        forwardPlans[size] = plan
        return plan
    }

    static func inversePlan(size: Int) -> fftwf_plan {
        lock.lock(); defer { lock.unlock() }
        if let plan = inversePlans[size] { return plan }
        let input = fftwf_alloc_complex(size / 2 + 1)!
        let output = fftwf_alloc_real(size)!
        defer { fftwf_free(input); fftwf_free(output) }
        let plan = fftwf_plan_dft_c2r_1d(Int32(size), input, output, UInt32(FFTW_ESTIMATE | FFTW_DESTROY_INPUT))!
        inversePlans[size] = plan
        return plan
    }
}

/// A real-to-complex FFT of one size with its own SIMD-aligned work buffers (FFTW, single
/// precision). Not shared between threads: make one per thread; plans are shared underneath.
///
/// `forward()` transforms `real` (size samples) into `spectrum` (size/2+1 bins);
/// `inverse()` transforms `spectrum` back into `real`, unnormalized (scaled by `size`).
/// The inverse destroys `spectrum`.
final class RealFFT {
    public let size: Int
    public var binCount: Int { size / 2 + 1 }
    /// Time-domain buffer, `size` floats.
    public let real: UnsafeMutablePointer<Float>
    /// Frequency-domain buffer, `size/2+1` interleaved complex values (re, im).
    public let spectrum: UnsafeMutablePointer<fftwf_complex>
    private let forwardPlan: fftwf_plan
    private let inversePlan: fftwf_plan

    public init(size: Int) {
        precondition(size >= 2 && size % 2 == 0, "FFT size must be even")
        self.size = size
        real = fftwf_alloc_real(size)!
        spectrum = fftwf_alloc_complex(size / 2 + 1)!
        real.initialize(repeating: 0, count: size)
        spectrum.initialize(repeating: (0, 0), count: size / 2 + 1)
        forwardPlan = FFTWPlanner.forwardPlan(size: size)
        inversePlan = FFTWPlanner.inversePlan(size: size)
    }

    deinit {
        fftwf_free(real)
        fftwf_free(spectrum)
    }

    public func forward() { fftwf_execute_dft_r2c(forwardPlan, real, spectrum) }

    /// The one padded transform: `input` into `real`, zero-padded (or truncated) to `size`, then
    /// transformed forward; the result is in `spectrum` (`spectrumFloats`). Padding is how a
    /// linear convolution, a correlation or a weighting in the frequency domain avoids wrapping.
    func forwardPadded(_ input: [Float]) {
        let n = min(input.count, size)
        input.withUnsafeBufferPointer { src in
            real.update(from: src.baseAddress!, count: n)
        }
        if n < size { (real + n).update(repeating: 0, count: size - n) }
        forward()
    }
    public func inverse() { fftwf_execute_dft_c2r(inversePlan, spectrum, real) }

    /// The spectrum viewed as `2 * binCount` floats: re0, im0, re1, im1, ...
    public var spectrumFloats: UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer(spectrum).assumingMemoryBound(to: Float.self)
    }

    /// Convenience: forward transform of `input` (zero-padded or truncated to `size`),
    /// returned as separate real and imaginary parts.
    public func forward(_ input: [Float]) -> (re: [Float], im: [Float]) {
        forwardPadded(input)
        var re = [Float](repeating: 0, count: binCount)
        var im = [Float](repeating: 0, count: binCount)
        let s = spectrumFloats
        for k in 0..<binCount { re[k] = s[2 * k]; im[k] = s[2 * k + 1] }
        return (re, im)
    }

    /// Convenience: inverse transform of separate real and imaginary parts, normalized by 1/size.
    public func inverse(re: [Float], im: [Float]) -> [Float] {
        let s = spectrumFloats
        for k in 0..<binCount { s[2 * k] = re[k]; s[2 * k + 1] = im[k] }
        inverse()
        let scale = 1 / Float(size)
        return (0..<size).map { real[$0] * scale }
    }
}

public extension Int {
    /// The smallest power of two that is at least `self` (1 for values below 1).
    var nextPowerOfTwo: Int {
        var n = 1
        while n < self { n <<= 1 }
        return n
    }
}

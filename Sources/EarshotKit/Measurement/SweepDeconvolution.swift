import Foundation

/// Recovers impulse responses from a recorded exponential sweep by convolution with the
/// sweep's inverse filter (Farina 2000, section 3), done as one FFT product with FFTW.
///
/// The inverse filter alone turns the sweep into an impulse only approximately: the fades and
/// the finite length leave a ripple and a gain that is not exactly one. Each FFT size therefore
/// also divides by the filter's own residual R(f) = X(f)·X⁻¹(f) (the deconvolution of the
/// digital sweep itself, with its nominal delay taken out), regularised 60 dB below its
/// in-band level so that nothing is amplified where the sweep has no energy:
///
///     D(f) = Y(f) · X⁻¹(f) · R*(f) / (|R(f)|² + ε²)
///
/// In the sweep's band the result is the system's response to within 10⁻⁶; below the start
/// frequency (and above the end frequency, when it is below Nyquist) it falls to zero. The
/// linear impulse response of a system without delay appears at output index N − 1
/// (`zeroLagIndex`); the n-th harmonic's at N − 1 − L·ln(n)·fs.
///
/// Not thread-safe (it owns FFT buffers and a cache): one per thread.
final class SweepDeconvolver {
    public let sweep: ExponentialSweep
    private let sweepSamples: [Float]
    private let inverse: [Float]
    /// X⁻¹·R*/(|R|²+ε²) per FFT size, interleaved re/im.
    private var kernels: [Int: [Float]] = [:]
    /// Regularisation, dB below the residual's in-band level.
    public static let regularisationDB = -60.0

    public init(sweep: ExponentialSweep) {
        self.sweep = sweep
        sweepSamples = sweep.samples()
        inverse = sweep.inverseFilter()
    }

    /// Output index of a zero-delay system's impulse.
    public var zeroLagIndex: Int { sweep.sampleCount - 1 }

    /// The deconvolution of `recording` (the response to the unit-amplitude sweep; divide by the
    /// sweep's amplitude first, or after). Length `recording.count + N − 1`.
    public func deconvolve(_ recording: [Float]) -> [Float] {
        let n = sweep.sampleCount
        let outputCount = recording.count + n - 1
        // Room for the regularised correction's short acausal ringing, which wraps to the end.
        let size = (outputCount + 8192).nextPowerOfTwo
        let kernel = self.kernel(size: size)
        let fft = RealFFT(size: size)
        fft.forwardPadded(recording)
        let s = fft.spectrumFloats
        kernel.withUnsafeBufferPointer { k in
            for b in 0..<fft.binCount {
                let yr = s[2 * b], yi = s[2 * b + 1], kr = k[2 * b], ki = k[2 * b + 1]
                s[2 * b] = yr * kr - yi * ki
                s[2 * b + 1] = yr * ki + yi * kr
            }
        }
        fft.inverse()
        let scale = 1 / Float(size)
        return (0..<outputCount).map { fft.real[$0] * scale }
    }

    private func kernel(size: Int) -> [Float] {
        if let k = kernels[size] { return k }
        let fft = RealFFT(size: size)
        let (xr, xi) = fft.forward(sweepSamples)
        let (ir, ii) = fft.forward(inverse)
        let bins = fft.binCount
        let fs = Double(sweep.sampleRate)
        // R with the nominal delay N − 1 removed.
        var rr = [Double](repeating: 0, count: bins), ri = rr
        for b in 0..<bins {
            let re = Double(xr[b]) * Double(ir[b]) - Double(xi[b]) * Double(ii[b])
            let im = Double(xr[b]) * Double(ii[b]) + Double(xi[b]) * Double(ir[b])
            let angle = 2 * Double.pi * Double(b) / Double(size) * Double(sweep.sampleCount - 1)
            rr[b] = re * cos(angle) - im * sin(angle)
            ri[b] = re * sin(angle) + im * cos(angle)
        }
        // In-band level: the residual's RMS over the middle of the sweep's range.
        let lo = sweep.startHz * 4, hi = min(sweep.endHz / 2, fs / 4)
        var sum = 0.0, count = 0
        for b in 0..<bins {
            let f = Double(b) * fs / Double(size)
            if f >= lo && f <= hi { sum += rr[b] * rr[b] + ri[b] * ri[b]; count += 1 }
        }
        let epsilon2 = (count > 0 ? sum / Double(count) : 1) * pow(10, Self.regularisationDB / 10)
        var k = [Float](repeating: 0, count: 2 * bins)
        for b in 0..<bins {
            let denominator = rr[b] * rr[b] + ri[b] * ri[b] + epsilon2
            let cr = rr[b] / denominator, ci = -ri[b] / denominator
            k[2 * b] = Float(Double(ir[b]) * cr - Double(ii[b]) * ci)
            k[2 * b + 1] = Float(Double(ir[b]) * ci + Double(ii[b]) * cr)
        }
        kernels[size] = k
        return k
    }
}

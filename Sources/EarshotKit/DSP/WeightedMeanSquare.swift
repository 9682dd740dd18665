/// Mean square of a signal after a zero-phase frequency weighting, from its spectrum (Parseval):
/// Σ_k w(f_k)·|X_k|² over the one-sided bins (DC excluded), zero-padded to a power of two, which
/// Parseval makes harmless. `weight` is a power weighting (1 inside a band and 0 outside it for
/// a band's mean square; the A-weighting curve for an A-weighted level).
enum WeightedMeanSquare {
    static func of(_ x: [Float], sampleRate: Int, weight: (_ frequencyHz: Double) -> Double) -> Double {
        guard !x.isEmpty else { return 0 }
        let size = max(x.count, 2).nextPowerOfTwo
        let fft = RealFFT(size: size)
        fft.forwardPadded(x)
        let s = fft.spectrumFloats
        let binHz = Double(sampleRate) / Double(size)
        var sum = 0.0
        for k in 1..<fft.binCount {
            let w = weight(Double(k) * binHz)
            guard w > 0 else { continue }
            let re = Double(s[2 * k]), im = Double(s[2 * k + 1])
            sum += (k == fft.binCount - 1 ? 1 : 2) * (re * re + im * im) * w
        }
        return sum / Double(size) / Double(x.count)
    }
}

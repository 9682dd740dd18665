import Foundation

/// Whether a stem lines up with the mix: the lag of the cross-correlation peak between the stem
/// and the mix over their first 20 seconds (mono, 48 kHz, FFT cross-correlation), searched over
/// ±0.5 s. Positive: the stem is late.
enum StemAlignment {
    static func lagSeconds(of stemPath: String, in mixPath: String, seconds: Double = 20, maxLagSeconds: Double = 0.5) throws -> Double? {
        let rate = AudioSource.processingRate
        let count = Int(seconds * Double(rate))
        func excerpt(_ path: String) throws -> [Float] {
            let source = try AudioSource(path: path)
            return try source.read(min(count, source.frames)).monoSum
        }
        let stem = try excerpt(stemPath), mix = try excerpt(mixPath)
        guard stem.count > rate / 2, stem.contains(where: { abs($0) > 1e-4 }) else { return nil }
        let n = (stem.count + mix.count).nextPowerOfTwo
        let fft = RealFFT(size: n)
        let (sr, si) = fft.forward(stem)
        let (mr, mi) = fft.forward(mix)
        // Cross-spectrum with phase transform weighting: sharp peaks, level-independent.
        var re = [Float](repeating: 0, count: sr.count), im = re
        for k in 0..<sr.count {
            let a = sr[k] * mr[k] + si[k] * mi[k]
            let b = si[k] * mr[k] - sr[k] * mi[k]
            let m = max((a * a + b * b).squareRoot(), 1e-20)
            re[k] = a / m; im[k] = b / m
        }
        let xc = fft.inverse(re: re, im: im)
        let maxLag = Int(maxLagSeconds * Double(rate))
        var best = 0, bestValue: Float = -.infinity
        for lag in -maxLag...maxLag {
            let v = xc[(lag + n) % n]
            if v > bestValue { bestValue = v; best = lag }
        }
        // The inverse of S·conj(M) is xc[lag] = Σ stem[t + lag]·mix[t]: it peaks where
        // stem[t + lag] ≈ mix[t], so a positive lag means the stem is late.
        return Double(best) / Double(rate)
    }
}

import Foundation

/// Turns a magnitude response into a minimum-phase impulse response by the real-cepstrum
/// (homomorphic) method: log-magnitude → real cepstrum → fold onto positive quefrencies →
/// exponentiate the resulting analytic log-spectrum → inverse FFT.
enum MinimumPhase {
    /// A minimum-phase FIR at `sampleRate` whose magnitude follows `points` (frequencyHz, levelDB),
    /// interpolated linearly in dB over log-frequency and held flat beyond the first and last
    /// points. The result has `length` taps with a half-Hann fade over its last quarter.
    public static func impulseResponse(points: [(frequencyHz: Double, levelDB: Double)], sampleRate: Int,
                                       length: Int, fftSize: Int = 65536) -> [Float] {
        let n = max(fftSize, (2 * length).nextPowerOfTwo)
        let bins = n / 2 + 1
        var logMagnitude = [Double](repeating: 0, count: bins)
        for k in 0..<bins {
            let f = Double(k) * Double(sampleRate) / Double(n)
            logMagnitude[k] = interpolatedLevelDB(points, at: f) * log(10) / 20
        }
        return fromLogMagnitude(logMagnitude, fftSize: n, length: length)
    }

    /// Minimum-phase IR from the natural-log magnitude on the `fftSize/2+1` bins of an FFT.
    public static func fromLogMagnitude(_ logMagnitude: [Double], fftSize n: Int, length: Int) -> [Float] {
        let fft = RealFFT(size: n)
        let bins = n / 2 + 1
        // Real cepstrum: inverse FFT of the (real, even) log magnitude.
        let s = fft.spectrumFloats
        for k in 0..<bins { s[2 * k] = Float(logMagnitude[k]); s[2 * k + 1] = 0 }
        fft.inverse()
        var cepstrum = (0..<n).map { Double(fft.real[$0]) / Double(n) }
        // Fold: keep c[0] and c[n/2], double the positive quefrencies, zero the negative ones.
        for i in 1..<(n / 2) { cepstrum[i] *= 2 }
        for i in (n / 2 + 1)..<n { cepstrum[i] = 0 }
        for i in 0..<n { fft.real[i] = Float(cepstrum[i]) }
        fft.forward()
        // exp of the complex log-spectrum.
        for k in 0..<bins {
            let re = Double(s[2 * k]), im = Double(s[2 * k + 1])
            let magnitude = exp(re)
            s[2 * k] = Float(magnitude * cos(im))
            s[2 * k + 1] = Float(magnitude * sin(im))
        }
        fft.inverse()
        let taps = min(length, n)
        var ir = (0..<taps).map { fft.real[$0] / Float(n) }
        let fadeStart = taps * 3 / 4
        let fadeLength = taps - fadeStart
        for i in fadeStart..<taps {
            let t = Double(i - fadeStart) / Double(fadeLength)
            ir[i] *= Float(0.5 * (1 + cos(.pi * t)))
        }
        return ir
    }

    /// Linear-in-dB interpolation over log-frequency; flat outside the given range.
    public static func interpolatedLevelDB(_ points: [(frequencyHz: Double, levelDB: Double)], at frequencyHz: Double) -> Double {
        guard let first = points.first, let last = points.last else { return 0 }
        if frequencyHz <= first.frequencyHz { return first.levelDB }
        if frequencyHz >= last.frequencyHz { return last.levelDB }
        var lo = 0, hi = points.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if points[mid].frequencyHz <= frequencyHz { lo = mid } else { hi = mid }
        }
        let a = points[lo], b = points[hi]
        let t = log(frequencyHz / a.frequencyHz) / log(b.frequencyHz / a.frequencyHz)
        return a.levelDB + t * (b.levelDB - a.levelDB)
    }
}

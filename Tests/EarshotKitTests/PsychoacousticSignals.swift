import Foundation
@testable import EarshotKit

/// Test signals for the loudness and sharpness tests, built in code (pressure in pascals).
enum PsychoacousticSignals {
    /// Sine of `frequencyHz` at `levelDBSPL` (RMS re 20 µPa), starting at `onsetSeconds`.
    static func sine(frequencyHz: Double, levelDBSPL: Double, seconds: Double, sampleRate: Int = 48_000,
                     onsetSeconds: Double = 0) -> [Float] {
        let amplitude = 20e-6 * pow(10, levelDBSPL / 20) * 2.0.squareRoot()
        let onset = Int(onsetSeconds * Double(sampleRate))
        return (0..<Int(seconds * Double(sampleRate))).map { n in
            n < onset ? 0 : Float(amplitude * sin(2 * Double.pi * frequencyHz * Double(n) / Double(sampleRate)))
        }
    }

    /// Gaussian noise from a fixed seed (64-bit LCG and Box–Muller), flat between `lowHz` and
    /// `highHz` (zero elsewhere, by FFT), faded in and out over 10 ms (an abrupt start is a
    /// broadband click), scaled to `levelDBSPL`.
    static func bandNoise(lowHz: Double, highHz: Double, levelDBSPL: Double, seconds: Double,
                          seed: UInt64 = 45692) -> [Float] {
        let n = Int(seconds * 48_000)
        var state = seed
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Double(state >> 11) + 0.5) / Double(1 << 53)
        }
        var white = [Float](repeating: 0, count: n)
        for i in 0..<n {
            white[i] = Float((-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform()))
        }
        let fft = RealFFT(size: n)
        var (re, im) = fft.forward(white)
        for k in 0..<re.count {
            let f = Double(k) * 48_000 / Double(n)
            if f < lowHz || f > highHz { re[k] = 0; im[k] = 0 }
        }
        var shaped = fft.inverse(re: re, im: im)
        fade(&shaped, seconds: 0.01)
        let rms = (shaped.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(n)).squareRoot()
        let scale = 20e-6 * pow(10, levelDBSPL / 20) / rms
        return shaped.map { Float(Double($0) * scale) }
    }

    /// Raised-cosine fade-in and fade-out (48 kHz).
    static func fade(_ x: inout [Float], seconds: Double) {
        let n = min(Int(seconds * 48_000), x.count / 2)
        for i in 0..<n {
            let w = Float(0.5 - 0.5 * cos(Double.pi * Double(i) / Double(n)))
            x[i] *= w
            x[x.count - 1 - i] *= w
        }
    }

    /// 28 one-third-octave levels: `level` in the band at `centreHz`, `floorDB` elsewhere.
    static func singleBandLevels(centreHz: Double, level: Double, floorDB: Double = -20) -> [Double] {
        let index = ZwickerLoudness.bandCentreFrequenciesHz.firstIndex(of: centreHz)!
        var levels = [Double](repeating: floorDB, count: 28)
        levels[index] = level
        return levels
    }
}

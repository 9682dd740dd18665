import Foundation

/// The noise of a listening environment at the listener's ears, in pascals, as a stream of
/// stereo blocks: `EnvironmentLoops` played from their start, with the synthesized noise's slow
/// level fluctuation (`modulation`) applied on playback, so the level does not repeat with the
/// loop. Each stream starts at the same place, so every render of a scenario hears the same
/// noise.
public final class EnvironmentNoise {
    public let profile: EnvironmentProfile
    public let sampleRate: Int
    private let loops: [[Float]]
    private var positions: [Int]
    private var modulation: SlowModulation?

    /// Length of a synthesized loop: 2^19 samples, 10.9 s at 48 kHz; the two ears' loops are
    /// independent and the level fluctuation does not repeat with them.
    public static let synthesizedLoopLength = 1 << 19

    /// A stream of the environment's noise through a device's passive isolation (earbuds).
    public convenience init(profile: EnvironmentProfile, isolation: [BandValue]? = nil, sampleRate: Int = AudioSource.processingRate) throws {
        self.init(loops: try EnvironmentLoops(profile: profile, isolation: isolation, sampleRate: sampleRate))
    }

    /// A stream over loops made earlier (shared by every render of the same scenario).
    public init(loops made: EnvironmentLoops) {
        profile = made.profile
        sampleRate = made.sampleRate
        loops = made.loops
        positions = made.startPositions
        modulation = made.profile.recording == nil
            ? made.profile.modulation.map { SlowModulation($0, seed: made.profile.seed &+ 77, sampleRate: Double(made.sampleRate)) }
            : nil
    }

    /// The next `frames` samples at the ears (pascals).
    public func next(_ frames: Int) -> StereoBlock {
        var block = StereoBlock(frames: frames)
        block.left.withUnsafeMutableBufferPointer { l in
            block.right.withUnsafeMutableBufferPointer { r in
                if frames > 0 { fill(left: l.baseAddress!, right: r.baseAddress!, frames: frames) }
            }
        }
        return block
    }

    /// The next `frames` samples into caller-owned buffers, without allocating (the live
    /// monitor's audio thread).
    public func fill(left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, frames: Int) {
        for ear in 0..<2 {
            let destination = ear == 0 ? left : right
            let loop = loops[min(ear, loops.count - 1)]
            var p = positions[ear]
            var filled = 0
            loop.withUnsafeBufferPointer { src in
                while filled < frames {
                    let n = min(frames - filled, loop.count - p)
                    (destination + filled).update(from: src.baseAddress! + p, count: n)
                    filled += n
                    p += n
                    if p == loop.count { p = 0 }
                }
            }
            positions[ear] = p
        }
        if modulation != nil { modulation!.apply(left: left, right: right, count: frames) }
    }

    /// One period of noise with the given bin magnitudes (random complex bins, inverse FFT),
    /// and its A-weighted mean square computed from its own spectrum (Parseval).
    static func periodicNoise(magnitudes: [Float], length: Int, sampleRate: Int, seed: UInt64) -> (samples: [Float], meanSquareA: Double) {
        let fft = RealFFT(size: length)
        var random = SeededRandom(seed: seed)
        let s = fft.spectrumFloats
        let binHz = Double(sampleRate) / Double(length)
        var weighted = 0.0
        for k in 0..<fft.binCount {
            // Zero-mean, unit-variance bins; each time sample, a sum over a quarter of a million
            // bins, is Gaussian whatever the bins' distribution.
            let re = k == 0 ? 0 : magnitudes[k] * random.nextUnitVarianceUniform()
            let im = k == 0 || k == fft.binCount - 1 ? 0 : magnitudes[k] * random.nextUnitVarianceUniform()
            s[2 * k] = re
            s[2 * k + 1] = im
            if k > 0 {
                weighted += (k == fft.binCount - 1 ? 1 : 2) * Double(re * re + im * im) * ThirdOctave.aWeightingPower(frequencyHz: Double(k) * binHz)
            }
        }
        fft.inverse()
        // The unnormalized inverse gives x[n] = Σ_k X_k·e^{2πikn/N} over the full spectrum, so
        // Σx² = N·Σ|X_k|² and the mean square is Σ|X_k|² (one-sided bins counted twice).
        return (Array(UnsafeBufferPointer(start: fft.real, count: length)), weighted)
    }

    /// Linear magnitudes on FFT bins for a third-octave band spectrum: the power density
    /// (band level minus 10·log10 of the bandwidth) interpolated over log-frequency, rolled off
    /// at 60 dB/octave above the last band. Evaluated exactly on every bin up to 512 and on every
    /// 8th bin above (where neighbouring bins are under 0.2 % apart), linearly in between.
    static func magnitudeTable(spectrum: [BandValue], bins: Int, binHz: Double) -> [Float] {
        var points = spectrum.map { band -> (frequencyHz: Double, levelDB: Double) in
            let (lo, hi) = ThirdOctave.bandEdgesHz(centreHz: band.frequencyHz)
            return (band.frequencyHz, band.levelDB - 10 * log10(hi - lo))
        }
        let last = points.last!
        points.append((last.frequencyHz * 2, last.levelDB - 60))
        let ln10over20 = log(10.0) / 20
        func magnitude(_ k: Int) -> Double {
            exp(MinimumPhase.interpolatedLevelDB(points, at: max(Double(k) * binHz, 1)) * ln10over20)
        }
        var table = [Float](repeating: 0, count: bins)
        var k = 0
        while k < bins {
            if k < 512 {
                table[k] = Float(magnitude(k))
                k += 1
            } else {
                let end = min(k + 8, bins - 1)
                let a = magnitude(k), b = magnitude(end)
                for j in k...end { table[j] = Float(a + (b - a) * Double(j - k) / Double(max(end - k, 1))) }
                k = end + 1
            }
        }
        return table
    }

    /// The largest 2^a·3^b·5^c not above `n` (at least 2).
    static func smoothLength(atMost n: Int) -> Int {
        var best = 2
        var p2 = 1
        while p2 <= n {
            var p3 = p2
            while p3 <= n {
                var p5 = p3
                while p5 <= n { if p5 % 2 == 0 { best = max(best, p5) }; p5 *= 5 }
                p3 *= 3
            }
            p2 *= 2
        }
        return best
    }

    /// Filters a periodic signal (one period) by a zero-phase magnitude response, circularly.
    static func circularFilter(_ x: [Float], sampleRate: Int, levelDB: (Double) -> Double) -> [Float] {
        let n = x.count
        precondition(n % 2 == 0, "circular filtering needs an even length")
        let fft = RealFFT(size: n)
        x.withUnsafeBufferPointer { fft.real.update(from: $0.baseAddress!, count: n) }
        fft.forward()
        let s = fft.spectrumFloats
        for k in 0..<fft.binCount {
            let g = Float(pow(10, levelDB(max(Double(k) * Double(sampleRate) / Double(n), 1)) / 20) / Double(n))
            s[2 * k] *= g
            s[2 * k + 1] *= g
        }
        fft.inverse()
        return Array(UnsafeBufferPointer(start: fft.real, count: n))
    }

    /// Mean square of a signal after A-weighting (applied in the frequency domain).
    static func aWeightedMeanSquare(_ x: [Float], sampleRate: Int) -> Double {
        WeightedMeanSquare.of(x, sampleRate: sampleRate, weight: ThirdOctave.aWeightingPower(frequencyHz:))
    }

    /// RMS of a signal after A-weighting.
    static func aWeightedRMS(_ x: [Float], sampleRate: Int) -> Double {
        aWeightedMeanSquare(x, sampleRate: sampleRate).squareRoot()
    }
}

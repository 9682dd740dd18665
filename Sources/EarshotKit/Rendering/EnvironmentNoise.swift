import Foundation

/// The noise of a listening environment at the listener's ears, in pascals, as a stream of
/// stereo blocks, played from two seamless loops (one per ear) made once at start:
///
/// - **Recording:** resampled to 48 kHz, its tail crossfaded (equal power) into its head so it
///   wraps without a seam; the right ear starts half a loop later so the ears are decorrelated.
/// - **Synthesized:** 2^19 samples (10.9 s) of periodic noise made in the frequency domain from a
///   seed: random complex bins shaped to the profile's third-octave spectrum, inverse FFT.
///   Periodic noise loops seamlessly by construction, and the shaping is exact in every band.
///   A slow random level fluctuation (`modulation`) is applied on playback, so the level does
///   not repeat with the loop.
///
/// Both are calibrated to the profile's A-weighted level. A device's passive isolation
/// (earbuds) is applied to the loops in the frequency domain (a loop is periodic, so circular
/// filtering is exact).
public final class EnvironmentNoise {
    public let profile: EnvironmentProfile
    public let sampleRate: Int
    private let loops: [[Float]]
    private var positions: [Int]
    private var modulation: SlowModulation?

    /// Length of a synthesized loop: 2^19 samples, 10.9 s at 48 kHz; the two ears' loops are
    /// independent and the level fluctuation does not repeat with them.
    public static let synthesizedLoopLength = 1 << 19

    public init(profile: EnvironmentProfile, isolation: [BandValue]? = nil, sampleRate: Int = AudioSource.processingRate) throws {
        self.profile = profile
        self.sampleRate = sampleRate
        var loops: [[Float]]
        var synthesizedMeanSquareA: Double?
        if let recording = profile.recording {
            let path = try ProfileLoader.resolve(recording, in: profile.folder)
            let (raw, rate) = try AudioFile.readMono(path: path)
            let signal = try AudioFile.resample(raw, from: rate, to: sampleRate)
            guard signal.count > sampleRate / 5 else { throw EarshotError.badInput(file: path, "recording too short to loop (under 0.2 s)") }
            let crossfade = min(sampleRate / 2, signal.count / 4)
            // A length FFTW transforms quickly (2^a·3^b·5^c), so the loop can be filtered
            // circularly and measured cheaply.
            var loop = Array(signal[0..<EnvironmentNoise.smoothLength(atMost: signal.count - crossfade)])
            for i in 0..<crossfade {
                let t = (Double(i) + 0.5) / Double(crossfade)
                loop[i] = loop[i] * Float(sin(t * .pi / 2)) + signal[signal.count - crossfade + i] * Float(cos(t * .pi / 2))
            }
            loops = [loop]
            positions = [0, loop.count / 2]
        } else {
            let length = EnvironmentNoise.synthesizedLoopLength
            let magnitudes = EnvironmentNoise.magnitudeTable(spectrum: profile.spectrum, bins: length / 2 + 1,
                                                             binHz: Double(sampleRate) / Double(length))
            var meanSquaresA: [Double] = []
            loops = (0..<2).map { ear in
                let (loop, meanSquareA) = EnvironmentNoise.periodicNoise(magnitudes: magnitudes, length: length, sampleRate: sampleRate,
                                                                         seed: profile.seed &+ UInt64(ear) &* 0x5151)
                meanSquaresA.append(meanSquareA)
                return loop
            }
            synthesizedMeanSquareA = meanSquaresA.reduce(0, +) / 2
            positions = [0, 0]
            modulation = profile.modulation.map { SlowModulation($0, seed: profile.seed &+ 77, sampleRate: Double(sampleRate)) }
        }
        // Calibrate to the profile's level at the listener; isolation then lowers what
        // reaches the ear.
        let rmsA = (synthesizedMeanSquareA
            ?? loops.map { EnvironmentNoise.aWeightedMeanSquare($0, sampleRate: sampleRate) }.reduce(0, +) / Double(loops.count)).squareRoot()
        guard rmsA > 0 else { throw EarshotError.badInput(file: profile.folder, "the environment's noise is silent") }
        if let isolation, !isolation.isEmpty {
            let points = isolation.map { (frequencyHz: $0.frequencyHz, levelDB: -$0.levelDB) }
            loops = loops.map { EnvironmentNoise.circularFilter($0, sampleRate: sampleRate) { MinimumPhase.interpolatedLevelDB(points, at: $0) } }
        }
        let gain = Float(20e-6 * pow(10, profile.levelDBA / 20) / rmsA)
        self.loops = loops.map { $0.map { $0 * gain } }
    }

    /// The next `frames` samples at the ears (pascals).
    public func next(_ frames: Int) -> StereoBlock {
        var channels: [[Float]] = [[Float](repeating: 0, count: frames), [Float](repeating: 0, count: frames)]
        for ear in 0..<2 {
            let loop = loops[min(ear, loops.count - 1)]
            var p = positions[ear]
            var filled = 0
            loop.withUnsafeBufferPointer { src in
                channels[ear].withUnsafeMutableBufferPointer { dst in
                    while filled < frames {
                        let n = min(frames - filled, loop.count - p)
                        (dst.baseAddress! + filled).update(from: src.baseAddress! + p, count: n)
                        filled += n
                        p += n
                        if p == loop.count { p = 0 }
                    }
                }
            }
            positions[ear] = p
        }
        var left = channels[0], right = channels[1]
        channels = []
        if modulation != nil { modulation!.apply(to: &left, &right) }
        return StereoBlock(left: left, right: right)
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

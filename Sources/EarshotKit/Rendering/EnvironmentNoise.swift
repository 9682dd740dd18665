import Foundation

/// The noise of a listening environment at the listener's ears, in pascals, as a stream of
/// stereo blocks, played from two seamless loops (one per ear) made once at start:
///
/// - **Recording:** resampled to 48 kHz, its tail crossfaded (equal power) into its head so it
///   wraps without a seam; the right ear starts half a loop later so the ears are decorrelated.
/// - **Synthesized:** 2^20 samples (21.8 s) of periodic noise made in the frequency domain from a
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

    /// Length of a synthesized loop, samples.
    public static let synthesizedLoopLength = 1 << 20

    public init(profile: EnvironmentProfile, isolation: [BandValue]? = nil, sampleRate: Int = AudioSource.processingRate) throws {
        self.profile = profile
        self.sampleRate = sampleRate
        var loops: [[Float]]
        if let recording = profile.recording {
            let path = try ProfileLoader.resolve(recording, in: profile.folder)
            let (raw, rate) = try AudioFile.readMono(path: path)
            let signal = try AudioFile.resample(raw, from: rate, to: sampleRate)
            guard signal.count > sampleRate / 5 else { throw EarshotError.badInput(file: path, "recording too short to loop (under 0.2 s)") }
            let crossfade = min(sampleRate / 2, signal.count / 4)
            // An even length, so the loop can be filtered circularly by a real FFT.
            var loop = Array(signal[0..<((signal.count - crossfade) & ~1)])
            for i in 0..<crossfade {
                let t = (Double(i) + 0.5) / Double(crossfade)
                loop[i] = loop[i] * Float(sin(t * .pi / 2)) + signal[signal.count - crossfade + i] * Float(cos(t * .pi / 2))
            }
            loops = [loop]
            positions = [0, loop.count / 2]
        } else {
            loops = (0..<2).map { ear in
                EnvironmentNoise.periodicNoise(spectrum: profile.spectrum, length: EnvironmentNoise.synthesizedLoopLength,
                                               sampleRate: sampleRate, seed: profile.seed &+ UInt64(ear) &* 0x5151)
            }
            positions = [0, 0]
            modulation = profile.modulation.map { SlowModulation($0, seed: profile.seed &+ 77, sampleRate: Double(sampleRate)) }
        }
        // Calibrate to the profile's level at the listener; isolation then lowers what
        // reaches the ear.
        let rmsA = loops.map { EnvironmentNoise.aWeightedRMS($0, sampleRate: sampleRate) }.reduce(0, +) / Double(loops.count)
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
        if modulation != nil {
            for i in 0..<frames {
                let g = modulation!.next()
                channels[0][i] *= g
                channels[1][i] *= g
            }
        }
        return StereoBlock(left: channels[0], right: channels[1])
    }

    /// Periodic noise of `length` samples whose third-octave band levels follow `spectrum`
    /// (band powers: the power density is the band level minus 10·log10 of the bandwidth).
    static func periodicNoise(spectrum: [BandValue], length: Int, sampleRate: Int, seed: UInt64) -> [Float] {
        let points = spectrum.map { band -> (frequencyHz: Double, levelDB: Double) in
            let (lo, hi) = ThirdOctave.bandEdgesHz(centreHz: band.frequencyHz)
            return (band.frequencyHz, band.levelDB - 10 * log10(hi - lo))
        }
        let last = points.last!
        let fft = RealFFT(size: length)
        var random = SeededRandom(seed: seed)
        let s = fft.spectrumFloats
        let binHz = Double(sampleRate) / Double(length)
        for k in 0..<fft.binCount {
            let f = Double(k) * binHz
            var levelDB = MinimumPhase.interpolatedLevelDB(points, at: max(f, 1))
            // Above the last band, roll off steeply rather than hold the level to Nyquist.
            if f > last.frequencyHz * 1.12 { levelDB -= 60 * log2(f / (last.frequencyHz * 1.12)) }
            let magnitude = k == 0 ? 0 : pow(10, levelDB / 20)
            // Zero-mean, unit-variance bins; the time samples, each a sum over half a million
            // bins, are Gaussian whatever the bins' distribution.
            s[2 * k] = Float(magnitude) * random.nextUnitVarianceUniform()
            s[2 * k + 1] = k == fft.binCount - 1 ? 0 : Float(magnitude) * random.nextUnitVarianceUniform()
        }
        fft.inverse()
        return Array(UnsafeBufferPointer(start: fft.real, count: length))
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

    /// RMS of a signal after A-weighting (applied in the frequency domain).
    static func aWeightedRMS(_ x: [Float], sampleRate: Int) -> Double {
        let n = x.count % 2 == 0 ? x.count : x.count + 1
        let fft = RealFFT(size: n)
        let (re, im) = fft.forward(x)
        var sum = 0.0
        for k in 1..<re.count {
            let f = Double(k) * Double(sampleRate) / Double(n)
            let a = pow(10, ThirdOctave.aWeightingDB(frequencyHz: f) / 10)
            let p = Double(re[k]) * Double(re[k]) + Double(im[k]) * Double(im[k])
            sum += (k == re.count - 1 ? 1 : 2) * p * a
        }
        return (sum / Double(n) / Double(x.count)).squareRoot()
    }
}

import Foundation

/// An environment's noise at the listener's ears, in pascals, as two seamless loops (one per
/// ear), made once and played by any number of `EnvironmentNoise` streams:
///
/// - **Recording:** resampled to 48 kHz, its tail crossfaded (equal power) into its head so it
///   wraps without a seam; the right ear starts half a loop later so the ears are decorrelated.
/// - **Synthesized:** 2^19 samples (10.9 s) of periodic noise made in the frequency domain from a
///   seed: random complex bins shaped to the profile's third-octave spectrum, inverse FFT.
///   Periodic noise loops seamlessly by construction, and the shaping is exact in every band.
///
/// Both are calibrated to the profile's A-weighted level. A device's passive isolation
/// (earbuds) is applied to the loops in the frequency domain (a loop is periodic, so circular
/// filtering is exact). The loops depend only on the profiles, so a series checked by
/// `earshot batch` makes them once for all its episodes.
public final class EnvironmentLoops: Sendable {
    public let profile: EnvironmentProfile
    public let sampleRate: Int
    /// One loop per ear, or one loop that both ears play from different places.
    let loops: [[Float]]
    /// Where each ear starts playing.
    let startPositions: [Int]

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
            startPositions = [0, loop.count / 2]
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
            startPositions = [0, 0]
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
}

import Foundation

/// The noise of a listening environment at the listener's ears, in pascals, as a stream of
/// stereo blocks. Either a real recording (looped with a crossfade so the seam is inaudible,
/// the right ear reading half a loop later so the ears are decorrelated) or Gaussian noise from
/// a seed, shaped to the profile's third-octave spectrum and given a slow random level
/// fluctuation. Both are calibrated to the profile's A-weighted level, then filtered by the
/// device's passive isolation when it has one (earbuds).
public final class EnvironmentNoise {
    public let profile: EnvironmentProfile
    public let sampleRate: Int
    private var source: Source
    /// Filters of the device's passive isolation, one per ear. Noise is stationary, so the
    /// filters' block latency only shifts which noise is heard; they are primed at start.
    private var isolation: [PartitionedConvolver]?

    private enum Source {
        case recording(loop: [Float], positions: [Int])
        case synthesized(shaping: [PartitionedConvolver], random: [SeededRandom], modulation: SlowModulation?, scale: Float)
    }

    public init(profile: EnvironmentProfile, isolation: [BandValue]? = nil, sampleRate: Int = AudioSource.processingRate) throws {
        self.profile = profile
        self.sampleRate = sampleRate
        let targetPascalsA = 20e-6 * pow(10, profile.levelDBA / 20)
        if let recording = profile.recording {
            let path = try ProfileLoader.resolve(recording, in: profile.folder)
            let (raw, rate) = try AudioFile.readMono(path: path)
            let signal = try AudioFile.resample(raw, from: rate, to: sampleRate)
            let crossfade = min(sampleRate / 2, signal.count / 4)
            guard signal.count > 4 * 1024 else { throw EarshotError.badInput(file: path, "recording too short to loop (under 0.1 s)") }
            var loop = Array(signal[0..<(signal.count - crossfade)])
            // Equal-power crossfade of the tail into the head: the loop wraps without a seam.
            for i in 0..<crossfade {
                let t = (Double(i) + 0.5) / Double(crossfade)
                let fadeIn = Float(sin(t * .pi / 2)), fadeOut = Float(cos(t * .pi / 2))
                loop[i] = loop[i] * fadeIn + signal[signal.count - crossfade + i] * fadeOut
            }
            let rmsA = EnvironmentNoise.aWeightedRMS(loop, sampleRate: sampleRate)
            guard rmsA > 0 else { throw EarshotError.badInput(file: path, "recording is silent") }
            let gain = Float(targetPascalsA / rmsA)
            source = .recording(loop: loop.map { $0 * gain }, positions: [0, loop.count / 2])
        } else {
            let shapingIR = EnvironmentNoise.shapingFilter(spectrum: profile.spectrum, sampleRate: sampleRate)
            // White noise of unit variance through `shapingIR` has A-weighted variance
            // Σ|H(f)|²·|A(f)|² / N (Parseval); scale it to the profile's level.
            let response = FrequencyResponse(impulseResponse: shapingIR, sampleRate: sampleRate)
            var weighted = 0.0
            let n = response.fftSize
            for k in 1..<response.power.count {
                let f = Double(k) * Double(sampleRate) / Double(n)
                let a = pow(10, ThirdOctave.aWeightingDB(frequencyHz: f) / 10)
                weighted += (k == response.power.count - 1 ? 1 : 2) * response.power[k] * a
            }
            let rmsA = (weighted / Double(n)).squareRoot()
            let convolvers = (0..<2).map { _ in PartitionedConvolver(impulseResponse: shapingIR) }
            var random = [profile.seed, profile.seed &+ 0x5151].map { SeededRandom(seed: $0) }
            // Prime the shaping filters so the first block is already steady-state noise.
            for c in 0..<2 {
                let warmUp = (0..<(convolvers[c].latency + shapingIR.count)).map { _ in Float(random[c].nextGaussian()) }
                _ = convolvers[c].process(warmUp)
            }
            source = .synthesized(
                shaping: convolvers, random: random,
                modulation: profile.modulation.map { SlowModulation($0, seed: profile.seed &+ 77, sampleRate: Double(sampleRate)) },
                scale: Float(targetPascalsA / rmsA))
        }
        if let isolation, !isolation.isEmpty {
            let points = isolation.map { (frequencyHz: $0.frequencyHz, levelDB: -$0.levelDB) }
            let ir = MinimumPhase.impulseResponse(points: points, sampleRate: sampleRate, length: 2048)
            let convolvers = (0..<2).map { _ in PartitionedConvolver(impulseResponse: ir) }
            self.isolation = convolvers
            let primer = raw(convolvers[0].latency + ir.count)
            _ = convolvers[0].process(primer.left)
            _ = convolvers[1].process(primer.right)
        }
    }

    /// The next `frames` samples at the ears (pascals).
    public func next(_ frames: Int) -> StereoBlock {
        let block = raw(frames)
        guard let isolation else { return block }
        return StereoBlock(left: isolation[0].process(block.left), right: isolation[1].process(block.right))
    }

    private func raw(_ frames: Int) -> StereoBlock {
        switch source {
        case .recording(let loop, var positions):
            var channels: [[Float]] = [[], []]
            for c in 0..<2 {
                channels[c].reserveCapacity(frames)
                var p = positions[c]
                for _ in 0..<frames {
                    channels[c].append(loop[p])
                    p += 1
                    if p == loop.count { p = 0 }
                }
                positions[c] = p
            }
            source = .recording(loop: loop, positions: positions)
            return StereoBlock(left: channels[0], right: channels[1])
        case .synthesized(let shaping, var random, var modulation, let scale):
            var channels: [[Float]] = [[], []]
            for c in 0..<2 {
                var white = [Float](repeating: 0, count: frames)
                for i in 0..<frames { white[i] = Float(random[c].nextGaussian()) }
                channels[c] = shaping[c].process(white)
            }
            for i in 0..<frames {
                let g = scale * (modulation?.next() ?? 1)
                channels[0][i] *= g; channels[1][i] *= g
            }
            source = .synthesized(shaping: shaping, random: random, modulation: modulation, scale: scale)
            return StereoBlock(left: channels[0], right: channels[1])
        }
    }

    /// A minimum-phase filter whose third-octave band levels follow `spectrum` (band powers:
    /// the power density is the band level minus 10·log10 of the bandwidth).
    static func shapingFilter(spectrum: [BandValue], sampleRate: Int) -> [Float] {
        let points = spectrum.map { band -> (frequencyHz: Double, levelDB: Double) in
            let (lo, hi) = ThirdOctave.bandEdgesHz(centreHz: band.frequencyHz)
            return (band.frequencyHz, band.levelDB - 10 * log10(hi - lo))
        }
        // Hold the density below the first band, roll off steeply above the last.
        var extended = points
        if let last = points.last, last.frequencyHz * 1.6 < Double(sampleRate) / 2 {
            extended.append((last.frequencyHz * 1.6, last.levelDB - 30))
        }
        return MinimumPhase.impulseResponse(points: extended, sampleRate: sampleRate, length: 8192)
    }

    /// RMS of a signal after A-weighting (applied in the frequency domain).
    static func aWeightedRMS(_ x: [Float], sampleRate: Int) -> Double {
        let n = x.count.nextPowerOfTwo
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

/// A slow random level fluctuation: Gaussian noise low-passed at `rateHz` (two one-pole
/// stages, updated every millisecond and interpolated), mapped to dB with a peak-to-trough of
/// about `depthDB` (±2σ), and normalized so that the long-term power is unchanged.
struct SlowModulation {
    private var random: SeededRandom
    private var state1 = 0.0, state2 = 0.0
    private let coefficient: Double
    private let sigmaDB: Double
    /// 1/σ of the two-stage low-pass output for unit white input.
    private let unitScale: Double
    /// Makes E[gain²] = 1: E[10^(X/10)] = exp((σ·ln10/10)²/2) for X ~ N(0, σ²) dB.
    private let powerNormalization: Double
    private let updateEvery: Int
    private var counter = 0
    private var current: Float = 1
    private var previous: Float = 1

    init(_ m: EnvironmentProfile.Modulation, seed: UInt64, sampleRate: Double) {
        random = SeededRandom(seed: seed)
        updateEvery = max(1, Int(sampleRate / 1000))
        let c = exp(-2 * .pi * m.rateHz / (sampleRate / Double(updateEvery)))
        coefficient = c
        sigmaDB = m.depthDB / 4
        // Impulse response (1-c)²(n+1)cⁿ: Σh² = (1-c)⁴(1+c²)/(1-c²)³.
        let variance = pow(1 - c, 4) * (1 + c * c) / pow(1 - c * c, 3)
        unitScale = 1 / variance.squareRoot()
        powerNormalization = exp(-0.5 * pow(sigmaDB * log(10.0) / 10, 2))
        // Start from a steady state rather than from 0 dB.
        for _ in 0..<Int(5 / max(1 - c, 1e-6)) { advance() }
    }

    private mutating func advance() {
        state1 = coefficient * state1 + (1 - coefficient) * random.nextGaussian()
        state2 = coefficient * state2 + (1 - coefficient) * state1
    }

    mutating func next() -> Float {
        if counter == 0 {
            advance()
            let levelDB = sigmaDB * state2 * unitScale
            previous = current
            current = Float((pow(10, levelDB / 10) * powerNormalization).squareRoot())
        }
        let t = Float(counter) / Float(updateEvery)
        counter = (counter + 1) % updateEvery
        return previous + (current - previous) * t
    }
}

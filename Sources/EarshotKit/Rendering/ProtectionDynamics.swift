import Foundation

/// A device's protection DSP: a low-band compressor (below `splitHz`) and a lookahead peak
/// limiter on the drive signal. The gains are computed from the whole programme (the mix drive)
/// and applied identically to every stem, so the rendered stems still add up to the rendered
/// mix and any ducking can be attributed to the device.
public final class ProtectionDynamics {
    public let sampleRate: Double
    public let lookaheadSamples: Int
    private let limiter: DeviceProfile.Limiter?
    private let bass: DeviceProfile.BassCompressor?
    /// The compressor's detector: the low branch of its Linkwitz–Riley crossover (two Butterworth low-passes).
    private var detectorLowPass: [(Biquad, Biquad)]
    private var bassEnvelope = 0.0
    private var limiterGain = 1.0
    // Monotonic queue of (index, required gain) for the lookahead minimum.
    private var minQueue: [(Int, Double)] = []
    private var minQueueHead = 0
    private var sampleIndex = 0

    public init(limiter: DeviceProfile.Limiter?, bassCompressor: DeviceProfile.BassCompressor?, channels: Int, sampleRate: Double) {
        self.sampleRate = sampleRate
        self.limiter = limiter
        self.bass = bassCompressor
        lookaheadSamples = limiter.map { Int(($0.lookaheadMs / 1000 * sampleRate).rounded()) } ?? 0
        let split = bassCompressor?.splitHz ?? 100
        detectorLowPass = (0..<channels).map { _ in
            let lp = Biquad.lowPass(frequencyHz: split, q: 1 / 2.0.squareRoot(), sampleRate: sampleRate)
            return (lp, lp)
        }
    }

    public var isActive: Bool { limiter != nil || bass != nil }

    /// Per-sample gains for one block of the mix drive (device channels, after the volume).
    /// `bassGain` applies to the low band, `limiterGain` to the full band, and the limiter gain
    /// refers to input delayed by `lookaheadSamples`.
    public func gains(forMixDrive drive: [[Float]]) -> (bassGain: [Float], limiterGain: [Float]) {
        let frames = drive.first?.count ?? 0
        var bassGains = [Float](repeating: 1, count: frames)
        var limiterGains = [Float](repeating: 1, count: frames)
        let bassAttack = bass.map { exp(-1 / ($0.attackMs / 1000 * sampleRate)) } ?? 0
        let bassRelease = bass.map { exp(-1 / ($0.releaseMs / 1000 * sampleRate)) } ?? 0
        let bassThreshold = bass.map { pow(10, $0.thresholdDBFS / 20) } ?? 1
        let limiterThreshold = limiter.map { pow(10, $0.thresholdDBFS / 20) } ?? 1
        let attack = limiter.map { exp(-1 / (max($0.attackMs, 0.01) / 1000 * sampleRate)) } ?? 0
        let release = limiter.map { exp(-1 / ($0.releaseMs / 1000 * sampleRate)) } ?? 0
        for i in 0..<frames {
            var lowPeak = 0.0, fullPeak = 0.0
            for c in 0..<drive.count {
                let x = Double(drive[c][i])
                if bass != nil {
                    let low = detectorLowPass[c].1.process(detectorLowPass[c].0.process(x))
                    lowPeak = max(lowPeak, abs(low))
                }
                fullPeak = max(fullPeak, abs(x))
            }
            var g = 1.0
            if let bass {
                let coefficient = lowPeak > bassEnvelope ? bassAttack : bassRelease
                bassEnvelope = coefficient * bassEnvelope + (1 - coefficient) * lowPeak
                if bassEnvelope > bassThreshold {
                    g = pow(bassThreshold / bassEnvelope, 1 - 1 / bass.ratio)
                }
                bassGains[i] = Float(g)
            }
            guard limiter != nil else { continue }
            // The full-band peak after the bass gain is approximated by the peak before it
            // (the bass gain only lowers it), which keeps the limiter conservative.
            let required = fullPeak > limiterThreshold ? limiterThreshold / fullPeak : 1.0
            // Lookahead minimum over the next `lookaheadSamples` inputs.
            while minQueue.count > minQueueHead && minQueue[minQueue.count - 1].1 >= required { minQueue.removeLast() }
            minQueue.append((sampleIndex, required))
            while minQueue[minQueueHead].0 <= sampleIndex - lookaheadSamples - 1 { minQueueHead += 1 }
            if minQueueHead > 4096 { minQueue.removeFirst(minQueueHead); minQueueHead = 0 }
            let target = minQueue[minQueueHead].1
            let coefficient = target < limiterGain ? attack : release
            limiterGain = coefficient * limiterGain + (1 - coefficient) * target
            // Never let the smoothed gain sit above the instantaneous requirement at the delayed sample.
            limiterGains[i] = Float(min(limiterGain, target))
            sampleIndex += 1
        }
        return (bassGains, limiterGains)
    }
}

/// Applies shared protection gains to one source's drive channels: splits each channel at the
/// compressor's crossover, scales the low band, recombines, delays by the lookahead and scales
/// by the limiter gain. One instance per source (it holds that source's filter and delay state).
public struct ProtectionApplier {
    private var crossovers: [LinkwitzRileyCrossover]
    private var delayLines: [[Float]]
    private var delayPosition = 0
    private let lookahead: Int
    private let hasBass: Bool

    public init(dynamics: ProtectionDynamics, bassCompressor: DeviceProfile.BassCompressor?, channels: Int) {
        crossovers = (0..<channels).map { _ in LinkwitzRileyCrossover(frequencyHz: bassCompressor?.splitHz ?? 100, sampleRate: dynamics.sampleRate) }
        lookahead = dynamics.lookaheadSamples
        delayLines = (0..<channels).map { _ in [Float](repeating: 0, count: max(dynamics.lookaheadSamples, 1)) }
        hasBass = bassCompressor != nil
    }

    public mutating func apply(_ drive: inout [[Float]], bassGain: [Float], limiterGain: [Float]) {
        let frames = drive.first?.count ?? 0
        for c in 0..<drive.count {
            var position = delayPosition
            var crossover = crossovers[c]
            drive[c].withUnsafeMutableBufferPointer { x in
                delayLines[c].withUnsafeMutableBufferPointer { line in
                    bassGain.withUnsafeBufferPointer { bg in
                        limiterGain.withUnsafeBufferPointer { lg in
                            for i in 0..<frames {
                                var v = x[i]
                                if hasBass {
                                    let (low, high) = crossover.split(Double(v))
                                    v = Float(low) * bg[i] + Float(high)
                                }
                                if lookahead > 0 {
                                    let delayed = line[position]
                                    line[position] = v
                                    position = position + 1 == lookahead ? 0 : position + 1
                                    v = delayed
                                }
                                x[i] = v * lg[i]
                            }
                        }
                    }
                }
            }
            crossovers[c] = crossover
            if c == drive.count - 1 { delayPosition = position }
        }
    }
}

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
    /// Lookahead minimum of the required limiter gain over the last lookahead + 1 samples.
    private let window: SlidingMinimum

    public init(limiter: DeviceProfile.Limiter?, bassCompressor: DeviceProfile.BassCompressor?, channels: Int, sampleRate: Double) {
        self.sampleRate = sampleRate
        self.limiter = limiter
        self.bass = bassCompressor
        lookaheadSamples = limiter.map { Int(($0.lookaheadMs / 1000 * sampleRate).rounded()) } ?? 0
        window = SlidingMinimum(length: lookaheadSamples + 1)
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
    /// The low band (the compressor crossover's low branch) of the last block of mix drive, per
    /// channel: a path that plays the mix itself can reuse it instead of filtering again.
    public private(set) var mixLowBands: [[Double]] = []

    public func gains(forMixDrive drive: [[Float]]) -> (bassGain: [Float], limiterGain: [Float]) {
        let frames = drive.first?.count ?? 0
        var bassGains = [Float](repeating: 1, count: frames)
        var limiterGains = [Float](repeating: 1, count: frames)
        // Peak of the drive over the channels, and of its low band (the compressor's detector);
        // the channels' detectors run on separate cores.
        let channels = drive.count
        var channelFull = [[Double]](repeating: [], count: channels)
        var channelLow = [[Double]](repeating: [], count: channels)
        let hasBass = bass != nil
        var filters = detectorLowPass
        channelFull.withUnsafeMutableBufferPointer { fullSlots in
            channelLow.withUnsafeMutableBufferPointer { lowSlots in
                filters.withUnsafeMutableBufferPointer { filterSlots in
                    DispatchQueue.concurrentPerform(iterations: channels) { c in
                        var (lp1, lp2) = filterSlots[c]
                        var full = [Double](repeating: 0, count: frames)
                        var low = [Double](repeating: 0, count: hasBass ? frames : 0)
                        drive[c].withUnsafeBufferPointer { x in
                            for i in 0..<frames {
                                let v = Double(x[i])
                                full[i] = abs(v)
                                if hasBass { low[i] = lp2.process(lp1.process(v)) }
                            }
                        }
                        filterSlots[c] = (lp1, lp2)
                        fullSlots[c] = full
                        lowSlots[c] = low
                    }
                }
            }
        }
        detectorLowPass = filters
        mixLowBands = channelLow
        var fullPeaks = channelFull[0]
        var lowPeaks = channelLow[0].map(abs)
        for c in 1..<max(channels, 1) {
            for i in 0..<frames { fullPeaks[i] = max(fullPeaks[i], channelFull[c][i]) }
            if hasBass { for i in 0..<frames { lowPeaks[i] = max(lowPeaks[i], abs(channelLow[c][i])) } }
        }
        if let bass {
            let attack = exp(-1 / (bass.attackMs / 1000 * sampleRate))
            let release = exp(-1 / (bass.releaseMs / 1000 * sampleRate))
            let threshold = pow(10, bass.thresholdDBFS / 20)
            let exponent = 1 - 1 / bass.ratio
            var envelope = bassEnvelope
            for i in 0..<frames {
                let coefficient = lowPeaks[i] > envelope ? attack : release
                envelope = coefficient * envelope + (1 - coefficient) * lowPeaks[i]
                if envelope > threshold { bassGains[i] = Float(pow(threshold / envelope, exponent)) }
            }
            bassEnvelope = envelope
        }
        if let limiter {
            // The full-band peak after the bass gain is approximated by the peak before it
            // (the bass gain only lowers it), which keeps the limiter conservative.
            let threshold = pow(10, limiter.thresholdDBFS / 20)
            let attack = exp(-1 / (max(limiter.attackMs, 0.01) / 1000 * sampleRate))
            let release = exp(-1 / (limiter.releaseMs / 1000 * sampleRate))
            var gain = limiterGain
            let exponent = limiter.ratio.map { 1 - 1 / $0 } ?? 1
            for i in 0..<frames {
                let required = fullPeaks[i] > threshold ? (exponent == 1 ? threshold / fullPeaks[i] : pow(threshold / fullPeaks[i], exponent)) : 1.0
                let target = window.push(required)
                let coefficient = target < gain ? attack : release
                gain = coefficient * gain + (1 - coefficient) * target
                // Never let the smoothed gain sit above the requirement at the delayed sample.
                limiterGains[i] = Float(min(gain, target))
            }
            limiterGain = gain
        }
        return (bassGains, limiterGains)
    }
}

/// The minimum of the last `length` values pushed (a monotonic queue in a fixed ring: O(1)
/// amortized per value, no allocation while running).
final class SlidingMinimum {
    private let values: UnsafeMutablePointer<Double>
    private let stamps: UnsafeMutablePointer<Int>
    private let mask: Int
    private var head = 0, count = 0, time = 0
    let length: Int

    init(length: Int) {
        self.length = max(length, 1)
        let capacity = (self.length + 1).nextPowerOfTwo
        mask = capacity - 1
        values = .allocate(capacity: capacity)
        values.initialize(repeating: 0, count: capacity)
        stamps = .allocate(capacity: capacity)
        stamps.initialize(repeating: 0, count: capacity)
    }

    deinit {
        values.deallocate()
        stamps.deallocate()
    }

    /// Pushes a value; returns the minimum of the last `length` values (this one included).
    @inline(__always)
    func push(_ value: Double) -> Double {
        // Drop larger values from the back: they can never be the minimum again.
        while count > 0 && values[(head + count - 1) & mask] >= value { count -= 1 }
        values[(head + count) & mask] = value
        stamps[(head + count) & mask] = time
        count += 1
        // Drop the front once it has left the window.
        while stamps[head] <= time - length { head = (head + 1) & mask; count -= 1 }
        time += 1
        return values[head]
    }
}

/// Applies shared protection gains to one source's drive channels: splits each channel at the
/// compressor's crossover, scales the low band, recombines, delays by the lookahead and scales
/// by the limiter gain. One instance per source (it holds that source's filter and delay state).
public struct ProtectionApplier {
    private var bassBands: [LowBandGain]
    private var delayLines: [[Float]]
    private var delayPosition = 0
    private let lookahead: Int
    private let hasBass: Bool

    public init(dynamics: ProtectionDynamics, bassCompressor: DeviceProfile.BassCompressor?, channels: Int) {
        bassBands = (0..<channels).map { _ in LowBandGain(frequencyHz: bassCompressor?.splitHz ?? 100, sampleRate: dynamics.sampleRate) }
        lookahead = dynamics.lookaheadSamples
        delayLines = (0..<channels).map { _ in [Float](repeating: 0, count: max(dynamics.lookaheadSamples, 1)) }
        hasBass = bassCompressor != nil
    }

    /// Applies the gains. `lowBands`, when given, is the drive's low band already computed by the
    /// detector (the path plays the mix itself): only the all-pass branch is filtered here.
    public mutating func apply(_ drive: inout [[Float]], bassGain: [Float], limiterGain: [Float], lowBands: [[Double]]? = nil) {
        let frames = drive.first?.count ?? 0
        for c in 0..<drive.count {
            var position = delayPosition
            var bassBand = bassBands[c]
            drive[c].withUnsafeMutableBufferPointer { x in
                if hasBass {
                    bassGain.withUnsafeBufferPointer { bg in
                        if let low = lowBands?[c], low.count == frames {
                            for i in 0..<frames { x[i] = Float(bassBand.process(Double(x[i]), lowBand: low[i], lowGain: Double(bg[i]))) }
                        } else {
                            for i in 0..<frames { x[i] = Float(bassBand.process(Double(x[i]), lowGain: Double(bg[i]))) }
                        }
                    }
                }
                delayLines[c].withUnsafeMutableBufferPointer { line in
                    limiterGain.withUnsafeBufferPointer { lg in
                        if lookahead > 0 {
                            for i in 0..<frames {
                                let delayed = line[position]
                                line[position] = x[i]
                                position = position + 1 == lookahead ? 0 : position + 1
                                x[i] = delayed * lg[i]
                            }
                        } else {
                            for i in 0..<frames { x[i] *= lg[i] }
                        }
                    }
                }
            }
            bassBands[c] = bassBand
            if c == drive.count - 1 { delayPosition = position }
        }
    }
}

import Foundation

/// A device's protection DSP: a low-band compressor (below `splitHz`) and a lookahead peak
/// limiter on the drive signal. The gains are computed from the whole programme (the mix drive)
/// and applied identically to every stem, so the rendered stems still add up to the rendered
/// mix and any ducking can be attributed to the device.
final class ProtectionDynamics {
    public let sampleRate: Double
    public let lookaheadSamples: Int
    private let limiter: DeviceProfile.Limiter?
    private let bass: DeviceProfile.BassCompressor?
    /// The compressor's detector: the low branch of its Linkwitz–Riley crossover (two
    /// Butterworth low-passes), both channels in lockstep (a mono device uses one lane).
    private var detectorLowPass: (PairedBiquad, PairedBiquad)
    private let channels: Int
    private var bassEnvelope = 0.0
    private var limiterGain = 1.0
    /// Lookahead minimum of the required limiter gain over the last lookahead + 1 samples.
    private let window: SlidingMinimum

    public init(limiter: DeviceProfile.Limiter?, bassCompressor: DeviceProfile.BassCompressor?, channels: Int, sampleRate: Double) {
        precondition(channels == 1 || channels == 2, "protection dynamics run on one or two device channels")
        self.sampleRate = sampleRate
        self.limiter = limiter
        self.bass = bassCompressor
        self.channels = channels
        lookaheadSamples = Self.lookaheadSamples(limiter: limiter, sampleRate: sampleRate)
        window = SlidingMinimum(length: lookaheadSamples + 1)
        let split = bassCompressor?.splitHz ?? 100
        let lp = PairedBiquad(Biquad.lowPass(frequencyHz: split, q: 1 / 2.0.squareRoot(), sampleRate: sampleRate))
        detectorLowPass = (lp, lp)
    }

    public var isActive: Bool { limiter != nil || bass != nil }

    /// The limiter's lookahead in samples (0 without a limiter): the delay the device's
    /// protection adds.
    public static func lookaheadSamples(limiter: DeviceProfile.Limiter?, sampleRate: Double) -> Int {
        limiter.map { Int(($0.lookaheadMs / 1000 * sampleRate).rounded()) } ?? 0
    }

    /// The low band (the compressor crossover's low branch) of the last block of mix drive, per
    /// channel: a path that plays the mix itself can reuse it instead of filtering again.
    public private(set) var mixLowBands: [[Double]] = []

    /// Per-sample gains for one block of the mix drive (device channels, after the volume).
    /// `bassGain` applies to the low band, `limiterGain` to the full band, and the limiter gain
    /// refers to input delayed by `lookaheadSamples`.
    ///
    /// One pass over the block: the detector's low-pass, the compressor's envelope and the
    /// limiter's lookahead minimum and smoothing are independent recursions, so running them in
    /// the same loop lets the processor overlap them. Gains above unity are never applied; the
    /// compressor's gain law uses `FastPower` (libm's `pow` on every sample dominated the cost).
    public func gains(forMixDrive drive: [[Float]]) -> (bassGain: [Float], limiterGain: [Float]) {
        precondition(drive.count == channels, "expected \(channels) drive channels, got \(drive.count)")
        let frames = drive[0].count
        var bassGains = [Float](repeating: 1, count: frames)
        var limiterGains = [Float](repeating: 1, count: frames)
        let hasBass = bass != nil
        var lowLeft = [Double](repeating: 0, count: hasBass ? frames : 0)
        var lowRight = [Double](repeating: 0, count: hasBass && channels == 2 ? frames : 0)
        let right = channels == 2 ? 1 : 0
        drive[0].withUnsafeBufferPointer { l in
            drive[right].withUnsafeBufferPointer { r in
                bassGains.withUnsafeMutableBufferPointer { bg in
                    limiterGains.withUnsafeMutableBufferPointer { lg in
                        lowLeft.withUnsafeMutableBufferPointer { lowL in
                            lowRight.withUnsafeMutableBufferPointer { lowR in
                                gains(left: l.baseAddress!, right: r.baseAddress!, frames: frames, bassGain: bg.baseAddress!,
                                      limiterGain: lg.baseAddress!, lowLeft: lowL.baseAddress, lowRight: lowR.baseAddress)
                            }
                        }
                    }
                }
            }
        }
        mixLowBands = channels == 2 ? [lowLeft, lowRight] : [lowLeft]
        return (bassGains, limiterGains)
    }

    /// The same on caller-owned buffers, without allocating (the live monitor's audio thread):
    /// `right` is ignored on a one-channel device; `lowLeft`/`lowRight`, when given, receive the
    /// detector's low band.
    public func gains(left l: UnsafePointer<Float>, right r: UnsafePointer<Float>, frames: Int,
                      bassGain bg: UnsafeMutablePointer<Float>, limiterGain lg: UnsafeMutablePointer<Float>,
                      lowLeft lowL: UnsafeMutablePointer<Double>? = nil, lowRight lowR: UnsafeMutablePointer<Double>? = nil) {
        let hasBass = bass != nil
        let bassAttack = bass.map { exp(-1 / ($0.attackMs / 1000 * sampleRate)) } ?? 0
        let bassRelease = bass.map { exp(-1 / ($0.releaseMs / 1000 * sampleRate)) } ?? 0
        let bassThreshold = bass.map { pow(10, $0.thresholdDBFS / 20) } ?? .infinity
        let bassExponent = bass.map { 1 - 1 / $0.ratio } ?? 0
        let limiterThreshold = limiter.map { pow(10, $0.thresholdDBFS / 20) } ?? .infinity
        let limiterAttack = limiter.map { exp(-1 / (max($0.attackMs, 0.01) / 1000 * sampleRate)) } ?? 0
        let limiterRelease = limiter.map { exp(-1 / ($0.releaseMs / 1000 * sampleRate)) } ?? 0
        let limiterExponent = limiter?.ratio.map { 1 - 1 / $0 } ?? 1
        let hasLimiter = limiter != nil
        let window = self.window

        var (lp1, lp2) = detectorLowPass
        var envelope = bassEnvelope
        var gain = limiterGain
        let stereo = channels == 2
        for i in 0..<frames {
            bg[i] = 1
            lg[i] = 1
            let x = SIMD2(Double(l[i]), Double(stereo ? r[i] : l[i]))
            if hasBass {
                // Compressor: peak of the low band over the channels.
                let low = lp2.process(lp1.process(x))
                lowL?[i] = low.x
                if stereo { lowR?[i] = low.y }
                let peak = max(abs(low.x), abs(low.y))
                let coefficient = peak > envelope ? bassAttack : bassRelease
                envelope = coefficient * envelope + (1 - coefficient) * peak
                if envelope > bassThreshold {
                    bg[i] = Float(Self.gainLaw(bassThreshold / envelope, exponent: bassExponent))
                }
            }
            if hasLimiter {
                // Limiter: the full-band peak after the bass gain is approximated by the peak
                // before it (the bass gain only lowers it), which keeps the limiter conservative.
                let peak = max(abs(x.x), abs(x.y))
                let required = peak > limiterThreshold
                    ? Self.gainLaw(limiterThreshold / peak, exponent: limiterExponent) : 1.0
                let target = window.push(required)
                let coefficient = target < gain ? limiterAttack : limiterRelease
                gain = coefficient * gain + (1 - coefficient) * target
                // Never let the smoothed gain sit above the requirement at the delayed sample.
                lg[i] = Float(min(gain, target))
            }
        }
        detectorLowPass = (lp1, lp2)
        bassEnvelope = envelope
        limiterGain = gain
    }

    /// (threshold / level)^exponent for a level above the threshold: the gain of a compressor of ratio
    /// 1 / (1 − exponent) above its threshold (exponent 1 is a brick wall).
    @inline(__always)
    static func gainLaw(_ ratio: Double, exponent: Double) -> Double {
        exponent == 1 ? ratio : FastPower.power(ratio, exponent)
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
struct ProtectionApplier {
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
        let start = delayPosition
        for c in 0..<drive.count {
            drive[c].withUnsafeMutableBufferPointer { x in
                bassGain.withUnsafeBufferPointer { bg in
                    limiterGain.withUnsafeBufferPointer { lg in
                        if let low = lowBands?[c], low.count == frames {
                            low.withUnsafeBufferPointer { lowBand in
                                apply(channel: c, x.baseAddress!, frames: frames, bassGain: bg.baseAddress!, limiterGain: lg.baseAddress!,
                                      lowBand: lowBand.baseAddress, delayStart: start)
                            }
                        } else {
                            apply(channel: c, x.baseAddress!, frames: frames, bassGain: bg.baseAddress!, limiterGain: lg.baseAddress!,
                                  lowBand: nil, delayStart: start)
                        }
                    }
                }
            }
        }
        if lookahead > 0 { delayPosition = (start + frames) % lookahead }
    }

    /// The same on one channel of caller-owned buffers, without allocating (the live monitor's
    /// audio thread), for an applier made with one channel.
    public mutating func apply(_ x: UnsafeMutablePointer<Float>, frames: Int, bassGain: UnsafePointer<Float>, limiterGain: UnsafePointer<Float>) {
        precondition(bassBands.count == 1, "the pointer form applies one channel")
        apply(channel: 0, x, frames: frames, bassGain: bassGain, limiterGain: limiterGain, lowBand: nil, delayStart: delayPosition)
        if lookahead > 0 { delayPosition = (delayPosition + frames) % lookahead }
    }

    /// One channel: the low-band gain, then the lookahead delay and the limiter gain.
    private mutating func apply(channel c: Int, _ x: UnsafeMutablePointer<Float>, frames: Int, bassGain bg: UnsafePointer<Float>,
                                limiterGain lg: UnsafePointer<Float>, lowBand: UnsafePointer<Double>?, delayStart: Int) {
        if hasBass {
            var bassBand = bassBands[c]
            if let low = lowBand {
                for i in 0..<frames { x[i] = Float(bassBand.process(Double(x[i]), lowBand: low[i], lowGain: Double(bg[i]))) }
            } else {
                for i in 0..<frames { x[i] = Float(bassBand.process(Double(x[i]), lowGain: Double(bg[i]))) }
            }
            bassBands[c] = bassBand
        }
        let lookahead = self.lookahead
        if lookahead > 0 {
            var position = delayStart
            delayLines[c].withUnsafeMutableBufferPointer { line in
                for i in 0..<frames {
                    let delayed = line[position]
                    line[position] = x[i]
                    position = position + 1 == lookahead ? 0 : position + 1
                    x[i] = delayed * lg[i]
                }
            }
        } else {
            for i in 0..<frames { x[i] *= lg[i] }
        }
    }
}

import Foundation

/// A second-order IIR section (transposed direct form II, double-precision state), with the
/// RBJ cookbook designs Earshot needs.
struct Biquad: Sendable {
    public var b0, b1, b2, a1, a2: Double
    private var z1 = 0.0, z2 = 0.0

    public init(b0: Double, b1: Double, b2: Double, a1: Double, a2: Double) {
        (self.b0, self.b1, self.b2, self.a1, self.a2) = (b0, b1, b2, a1, a2)
    }

    public static func lowPass(frequencyHz: Double, q: Double, sampleRate: Double) -> Biquad {
        let w = 2 * Double.pi * frequencyHz / sampleRate, alpha = sin(w) / (2 * q), c = cos(w), a0 = 1 + alpha
        return Biquad(b0: (1 - c) / 2 / a0, b1: (1 - c) / a0, b2: (1 - c) / 2 / a0, a1: -2 * c / a0, a2: (1 - alpha) / a0)
    }

    public static func highPass(frequencyHz: Double, q: Double, sampleRate: Double) -> Biquad {
        let w = 2 * Double.pi * frequencyHz / sampleRate, alpha = sin(w) / (2 * q), c = cos(w), a0 = 1 + alpha
        return Biquad(b0: (1 + c) / 2 / a0, b1: -(1 + c) / a0, b2: (1 + c) / 2 / a0, a1: -2 * c / a0, a2: (1 - alpha) / a0)
    }

    public static func bandPass(frequencyHz: Double, q: Double, sampleRate: Double) -> Biquad {
        let w = 2 * Double.pi * frequencyHz / sampleRate, alpha = sin(w) / (2 * q), c = cos(w), a0 = 1 + alpha
        return Biquad(b0: alpha / a0, b1: 0, b2: -alpha / a0, a1: -2 * c / a0, a2: (1 - alpha) / a0)
    }

    /// The all-pass with the same centre and Q (RBJ cookbook).
    public static func allPass(frequencyHz: Double, q: Double, sampleRate: Double) -> Biquad {
        let w = 2 * Double.pi * frequencyHz / sampleRate, alpha = sin(w) / (2 * q), c = cos(w), a0 = 1 + alpha
        return Biquad(b0: (1 - alpha) / a0, b1: -2 * c / a0, b2: (1 + alpha) / a0, a1: -2 * c / a0, a2: (1 - alpha) / a0)
    }

    @inline(__always)
    public mutating func process(_ x: Double) -> Double {
        let y = b0 * x + z1
        z1 = b1 * x - a1 * y + z2
        z2 = b2 * x - a2 * y
        return y
    }

    public mutating func process(_ x: inout [Float]) {
        for i in 0..<x.count { x[i] = Float(process(Double(x[i]))) }
    }
}

/// A 4th-order Linkwitz–Riley crossover: low and high outputs that sum to an all-pass.
struct LinkwitzRileyCrossover: Sendable {
    private var low1, low2, high1, high2: Biquad

    public init(frequencyHz: Double, sampleRate: Double) {
        let q = 1 / 2.0.squareRoot()
        low1 = .lowPass(frequencyHz: frequencyHz, q: q, sampleRate: sampleRate)
        low2 = low1
        high1 = .highPass(frequencyHz: frequencyHz, q: q, sampleRate: sampleRate)
        high2 = high1
    }

    @inline(__always)
    public mutating func split(_ x: Double) -> (low: Double, high: Double) {
        (low2.process(low1.process(x)), high2.process(high1.process(x)))
    }
}

/// Scales the low band of a 4th-order Linkwitz–Riley split without computing both bands: the
/// two bands of an LR4 crossover sum to the 2nd-order all-pass at the crossover frequency
/// (Q = 1/√2), so low·g + high = allpass(x) + (g − 1)·low(x): three biquads instead of four,
/// and the same output as `LinkwitzRileyCrossover` to rounding.
struct LowBandGain: Sendable {
    private var allPass: Biquad
    private var low1, low2: Biquad

    public init(frequencyHz: Double, sampleRate: Double) {
        let q = 1 / 2.0.squareRoot()
        allPass = .allPass(frequencyHz: frequencyHz, q: q, sampleRate: sampleRate)
        low1 = .lowPass(frequencyHz: frequencyHz, q: q, sampleRate: sampleRate)
        low2 = low1
    }

    @inline(__always)
    public mutating func process(_ x: Double, lowGain: Double) -> Double {
        let low = low2.process(low1.process(x))
        return allPass.process(x) + (lowGain - 1) * low
    }

    /// The same with the low band computed elsewhere (by an identical low-pass pair on the same
    /// signal): only the all-pass runs here, and this instance's low-pass state is not used.
    @inline(__always)
    public mutating func process(_ x: Double, lowBand: Double, lowGain: Double) -> Double {
        allPass.process(x) + (lowGain - 1) * lowBand
    }
}

/// Two channels through the same second-order section in lockstep (one SIMD lane each): the
/// arithmetic of `Biquad` per lane, at the cost of one channel.
struct PairedBiquad: Sendable {
    public let b0, b1, b2, a1, a2: Double
    private var z1 = SIMD2<Double>.zero, z2 = SIMD2<Double>.zero

    public init(_ section: Biquad) {
        (b0, b1, b2, a1, a2) = (section.b0, section.b1, section.b2, section.a1, section.a2)
    }

    @inline(__always)
    public mutating func process(_ x: SIMD2<Double>) -> SIMD2<Double> {
        let y = b0 * x + z1
        z1 = b1 * x - a1 * y + z2
        z2 = b2 * x - a2 * y
        return y
    }
}

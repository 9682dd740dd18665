import Foundation

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
        if counter == 0 { update() }
        let t = Float(counter) / Float(updateEvery)
        counter = (counter + 1) % updateEvery
        return previous + (current - previous) * t
    }

    /// Multiplies both channels by the next `left.count` gains (the values `next()` gives, a
    /// run between updates at a time).
    mutating func apply(to left: inout [Float], _ right: inout [Float]) {
        precondition(left.count == right.count)
        let n = left.count
        left.withUnsafeMutableBufferPointer { l in
            right.withUnsafeMutableBufferPointer { r in apply(left: l.baseAddress!, right: r.baseAddress!, count: n) }
        }
    }

    /// The same on caller-owned buffers (no allocation: the live monitor's audio thread).
    mutating func apply(left l: UnsafeMutablePointer<Float>, right r: UnsafeMutablePointer<Float>, count n: Int) {
        let every = Float(updateEvery)
        var i = 0
        while i < n {
            if counter == 0 { update() }
            let run = min(updateEvery - counter, n - i)
            let start = previous, step = current - previous, first = counter
            for k in 0..<run {
                let g = start + step * (Float(first + k) / every)
                l[i + k] *= g
                r[i + k] *= g
            }
            counter = (counter + run) % updateEvery
            i += run
        }
    }

    private mutating func update() {
        advance()
        let levelDB = sigmaDB * state2 * unitScale
        previous = current
        current = Float((pow(10, levelDB / 10) * powerNormalization).squareRoot())
    }
}

import Foundation

/// Temporal weighting of total loudness (ISO 532-1:2017, 6.6): the total loudness at 2 kHz goes
/// through two first-order low-passes, τ = 3.5 ms and τ = 70 ms, and the result is
/// 0.47·N₃.₅ + 0.53·N₇₀ (duration dependence of the loudness of short sounds). Like the
/// nonlinear decay, each low-pass runs 24 inner steps per sample on the linearly interpolated
/// input; the output at a sample is taken right after the sample itself enters.
struct TemporalWeighting {
    static let innerSteps = 24
    static let inputRate = 2000.0

    private let fastPole = exp(-1 / (inputRate * Double(innerSteps) * 3.5e-3))
    private let slowPole = exp(-1 / (inputRate * Double(innerSteps) * 70e-3))
    private var fast = 0.0, slow = 0.0
    private var lastInput = 0.0
    private var started = false

    /// Feeds the next total loudness sample (sone) and returns the weighted loudness.
    mutating func process(_ loudness: Double) -> Double {
        let fp = fastPole, sp = slowPole
        var f = fast, s = slow
        if started {
            let from = lastInput
            if !(from == 0 && loudness == 0 && f == 0 && s == 0) {
                let delta = (loudness - from) / Double(Self.innerSteps)
                for k in 1..<Self.innerSteps {
                    let x = from + Double(k) * delta
                    f = (1 - fp) * x + fp * f
                    s = (1 - sp) * x + sp * s
                }
            }
        }
        f = (1 - fp) * loudness + fp * f
        s = (1 - sp) * loudness + sp * s
        fast = f; slow = s
        lastInput = loudness
        started = true
        return 0.47 * f + 0.53 * s
    }
}

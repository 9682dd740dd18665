import Foundation

/// A running loudness reading for live loudness matching: the ITU-R BS.1770-4 K-weighting
/// (its pre-filter shelf and RLB high-pass, the standard's 48 kHz coefficients, Tables 1 and 2)
/// on both channels, and the channel-summed mean square averaged with a 3 s time constant (the
/// length of EBU R 128's short-term window). Allocation-free: the audio thread feeds it.
struct RunningLoudness {
    private var shelf = PairedBiquad(Biquad(b0: 1.53512485958697, b1: -2.69169618940638, b2: 1.19839281085285,
                                            a1: -1.69065929318241, a2: 0.73248077421585))
    private var highPass = PairedBiquad(Biquad(b0: 1, b1: -2, b2: 1, a1: -1.99004745483398, a2: 0.99007225036621))
    private var meanSquare = 0.0
    private let coefficient: Double

    static let timeConstantSeconds = 3.0

    init(sampleRate: Double = Double(AudioSource.processingRate)) {
        precondition(sampleRate == 48_000, "the K-weighting coefficients are the standard's 48 kHz ones")
        coefficient = exp(-1 / (Self.timeConstantSeconds * sampleRate))
    }

    /// Feeds `frames` of `left`/`right`, each scaled by `gain` (and `right` may be nil: silence).
    mutating func add(left: UnsafePointer<Float>, right: UnsafePointer<Float>, gain: Float = 1, frames: Int) {
        var state = meanSquare
        let a = coefficient, g = Double(gain)
        for i in 0..<frames {
            let y = highPass.process(shelf.process(SIMD2(Double(left[i]) * g, Double(right[i]) * g)))
            state = a * state + (1 - a) * (y.x * y.x + y.y * y.y)
        }
        meanSquare = state
    }

    /// The reading as a power (the BS.1770 sum of the channels' K-weighted mean squares).
    var power: Double { meanSquare }

    /// The reading in LUFS (−0.691 + 10·log10 of the power); nil for silence.
    var lufs: Double? { meanSquare > 1e-15 ? -0.691 + 10 * log10(meanSquare) : nil }
}

import Foundation

/// An exponential (logarithmic) sine sweep and its inverse filter, after A. Farina,
/// "Simultaneous measurement of impulse response and distortion with a swept-sine technique",
/// 108th AES Convention, 2000, preprint 5093:
///
///     x(t) = sin(ω1·L·(e^(t/L) − 1)),   L = T / ln(ω2/ω1)
///
/// The instantaneous frequency f1·e^(t/L) grows by the factor e every L seconds, so the sweep
/// spends equal time per octave (its spectrum falls 3 dB/octave). The inverse filter is the
/// time-reversed sweep with the amplitude envelope e^(−t/L) (6 dB/octave, compensating that
/// pink spectrum); a system's response convolved with it gives the linear impulse response,
/// and the n-th harmonic's impulse response arrives L·ln(n) earlier (section 3 of the paper).
///
/// L is rounded so that f1·L is a whole number (the "synchronized" sweep of A. Novák et al.,
/// "Synchronized swept-sine: theory, application, and implementation", JAES 63(10), 2015):
/// then every harmonic impulse response starts in phase with its harmonic, so the responses
/// cut out of the deconvolution are the device's, not shifted by an arbitrary phase. The
/// duration follows from L (it differs from the requested one by at most f1⁻¹·ln(f2/f1)/2).
///
/// The sweep starts and ends with raised-cosine fades spanning `fadeInOctaves` and
/// `fadeOutOctaves` of its frequency range (the deconvolution corrects for them in-band).
public struct ExponentialSweep: Sendable, Equatable {
    public let startHz: Double
    public let endHz: Double
    public let sampleRate: Int
    /// L in seconds: the time in which the frequency grows by the factor e.
    public let rateSeconds: Double
    /// Samples in the sweep.
    public let sampleCount: Int
    public let fadeInOctaves: Double
    public let fadeOutOctaves: Double

    /// - Parameters:
    ///   - endHz: nil sweeps up to the Nyquist frequency, which makes the deconvolved impulse
    ///     of a straight wire a single clean sample (no band-limit ringing).
    public init(startHz: Double = 20, endHz: Double? = nil, seconds: Double, sampleRate: Int = 48000,
                fadeInOctaves: Double = 0.5, fadeOutOctaves: Double = 1.0 / 24) throws {
        let nyquist = Double(sampleRate) / 2
        let end = endHz ?? nyquist
        guard startHz.isFinite, end.isFinite, startHz >= 1, end <= nyquist, end / startHz >= 4 else {
            throw EarshotError.usage(String(format: "the sweep must run from at least 1 Hz up to at most %.0f Hz and cover at least two octaves (asked %.1f Hz to %.1f Hz)", nyquist, startHz, end))
        }
        guard seconds.isFinite, (0.2...120).contains(seconds) else {
            throw EarshotError.usage("a sweep lasts 0.2 to 120 seconds, not \(seconds)")
        }
        let ratio = log(end / startHz)
        let rate = max(1, (startHz * seconds / ratio).rounded()) / startHz
        self.startHz = startHz
        self.endHz = end
        self.sampleRate = sampleRate
        self.rateSeconds = rate
        self.sampleCount = Int((rate * ratio * Double(sampleRate)).rounded())
        self.fadeInOctaves = fadeInOctaves
        self.fadeOutOctaves = fadeOutOctaves
        guard fadeInSamples + fadeOutSamples < sampleCount else {
            throw EarshotError.usage("the sweep's fades are longer than the sweep")
        }
    }

    public var durationSeconds: Double { Double(sampleCount) / Double(sampleRate) }

    /// Instantaneous frequency at `seconds` into the sweep.
    public func frequencyHz(atSeconds seconds: Double) -> Double { startHz * exp(seconds / rateSeconds) }

    /// When the sweep passes `frequencyHz`.
    public func seconds(atFrequencyHz frequencyHz: Double) -> Double { rateSeconds * log(frequencyHz / startHz) }

    /// How many samples before the linear impulse response the n-th harmonic's arrives: L·ln(n)·fs.
    public func harmonicAdvanceSamples(order n: Int) -> Double { rateSeconds * log(Double(n)) * Double(sampleRate) }

    var fadeInSamples: Int { Int((rateSeconds * log(2) * fadeInOctaves * Double(sampleRate)).rounded()) }
    var fadeOutSamples: Int { Int((rateSeconds * log(2) * fadeOutOctaves * Double(sampleRate)).rounded()) }

    /// The sweep at `amplitude` (peak), with its fades.
    public func samples(amplitude: Double = 1) -> [Float] {
        let omegaL = 2 * Double.pi * startHz * rateSeconds
        let fs = Double(sampleRate)
        let fadeIn = fadeInSamples, fadeOut = fadeOutSamples
        return (0..<sampleCount).map { i in
            var gain = amplitude
            if i < fadeIn { gain *= 0.5 - 0.5 * cos(Double.pi * Double(i) / Double(fadeIn)) }
            let fromEnd = sampleCount - 1 - i
            if fromEnd < fadeOut { gain *= 0.5 - 0.5 * cos(Double.pi * Double(fromEnd) / Double(fadeOut)) }
            // The phase in Double, reduced before the sine: it reaches 10⁶ radians in long sweeps.
            let phase = omegaL * (exp(Double(i) / fs / rateSeconds) - 1)
            return Float(gain * sin(phase.truncatingRemainder(dividingBy: 2 * .pi)))
        }
    }

    /// The inverse filter: the unit sweep reversed in time, with the envelope e^(−t/L).
    public func inverseFilter() -> [Float] {
        let sweep = samples()
        let fs = Double(sampleRate)
        return (0..<sampleCount).map { i in
            sweep[sampleCount - 1 - i] * Float(exp(-Double(i) / fs / rateSeconds))
        }
    }
}

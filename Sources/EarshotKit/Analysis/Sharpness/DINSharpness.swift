import Foundation

/// Sharpness per DIN 45692:2009 from Zwicker specific loudness N′(z) (ISO 532-1):
///
///     S = 0.11 · ∫ N′(z)·g(z)·z dz / N   acum,   z from 0 to 24 Bark,
///     g(z) = 1 for z ≤ 15.8 Bark, 0.15·e^(0.42·(z − 15.8)) + 0.85 above,
///
/// where N is the total loudness. The numerator is a sum over the 240 samples of N′ at
/// z = 0.1, 0.2, …, 24 Bark times 0.1 Bark. The denominator is chosen by `LoudnessReference`:
/// by default the total loudness as ISO 532-1 reports it (stationary: the exact integral of the
/// N′ pattern; time-varying: the temporally weighted loudness of the frame), which is what
/// MoSQITo's `sharpness_din_st` / `sharpness_din_tv` divide by; or the 0.1-Bark sum of the same
/// N′ samples. Loudness below 0.1 sone gives sharpness 0 (MoSQITo's rule for time-varying
/// frames, applied to stationary sounds too: sharpness of silence is undefined).
public enum DINSharpness {
    /// The normalising constant k of DIN 45692 (acum per Bark).
    public static let constant = 0.11
    /// Loudness below which sharpness is reported as 0 (sone).
    public static let minimumLoudnessSone = 0.1

    /// The DIN 45692 weighting g(z) at critical-band rate z (Bark).
    public static func weighting(bark z: Double) -> Double {
        z <= 15.8 ? 1 : 0.15 * exp(0.42 * (z - 15.8)) + 0.85
    }

    /// g(z)·z·Δz at the 240 specific-loudness samples, precomputed.
    static let weightedBarkSteps: [Double] = (1...ISO532Tables.barkStepCount).map { i in
        let z = Double(i) * ISO532Tables.barkStep
        return weighting(bark: z) * z * ISO532Tables.barkStep
    }

    /// What the weighted integral is divided by.
    public enum LoudnessReference: String, Sendable, CaseIterable {
        /// The total loudness ISO 532-1 gives for the sound or frame (time-varying: after
        /// temporal weighting). MoSQITo's choice; in time-varying use the weighted loudness lags
        /// behind N′ at onsets, so sharpness overshoots there for a few frames.
        case totalLoudness = "total-loudness"
        /// ∫ N′(z) dz of the same pattern (0.1-Bark sum): no onset overshoot.
        case specificLoudnessIntegral = "specific-loudness-integral"
    }

    /// Sharpness (acum) of a specific loudness pattern of 240 samples (0.1…24 Bark, sone/Bark),
    /// divided by `loudnessSone` when given, else by the pattern's own 0.1-Bark sum.
    public static func sharpness(specificLoudness: UnsafeBufferPointer<Double>, loudnessSone: Double? = nil) -> Double {
        precondition(specificLoudness.count == ISO532Tables.barkStepCount,
                     "specific loudness needs 240 samples (0.1 to 24 Bark)")
        var weighted = 0.0, total = 0.0
        weightedBarkSteps.withUnsafeBufferPointer { w in
            for i in 0..<ISO532Tables.barkStepCount {
                weighted += specificLoudness[i] * w[i]
                total += specificLoudness[i]
            }
        }
        let denominator = loudnessSone ?? total * ISO532Tables.barkStep
        return denominator < minimumLoudnessSone ? 0 : constant * weighted / denominator
    }

    /// Sharpness (acum) of a specific loudness pattern given as an array of 240 samples.
    public static func sharpness(specificLoudness: [Double], loudnessSone: Double? = nil) throws -> Double {
        guard specificLoudness.count == ISO532Tables.barkStepCount else {
            throw EarshotError.badInput(location: "specific loudness",
                                        "expected 240 values (0.1 to 24 Bark), got \(specificLoudness.count)")
        }
        return specificLoudness.withUnsafeBufferPointer { sharpness(specificLoudness: $0, loudnessSone: loudnessSone) }
    }

    /// Sharpness (acum) of a stationary sound from its Zwicker stationary loudness.
    public static func stationary(_ loudness: ZwickerStationaryLoudness,
                                  reference: LoudnessReference = .totalLoudness) -> Double {
        loudness.specificLoudness.withUnsafeBufferPointer {
            sharpness(specificLoudness: $0, loudnessSone: reference == .totalLoudness ? loudness.loudnessSone : nil)
        }
    }

    /// Sharpness (acum) of a stationary signal (pressure in Pa): stationary Zwicker loudness of
    /// the signal, then DIN 45692.
    public static func stationary(pressurePa: [Float], sampleRate: Int, field: SoundField = .free,
                                  reference: LoudnessReference = .totalLoudness) throws -> Double {
        stationary(try ZwickerLoudness.stationary(pressurePa: pressurePa, sampleRate: sampleRate, field: field),
                   reference: reference)
    }
}

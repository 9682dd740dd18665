import Foundation

/// One sweep of a stepped-level series: its drive level and the low-frequency distortion it
/// caused.
public struct DistortionStep: Sendable, Equatable {
    /// Peak level of the sweep as sent to the device, dBFS.
    public var levelDBFS: Double
    /// Total harmonic distortion (2nd + 3rd) over the low-frequency band, as a ratio (0.1 = 10 %).
    public var lowFrequencyTHD: Double

    public init(levelDBFS: Double, lowFrequencyTHD: Double) {
        self.levelDBFS = levelDBFS
        self.lowFrequencyTHD = lowFrequencyTHD
    }

    public var lowFrequencyTHDPercent: Double { lowFrequencyTHD * 100 }
}

/// Where low-frequency distortion sets in, from sweeps at rising level: the lowest drive level
/// at which the band's THD reaches the threshold (10 %, −20 dB, by default — the usual limit
/// for a driver's usable excursion). Between two steps the crossing is interpolated with THD in
/// dB linear in the level in dB (harmonics of a weakly nonlinear driver grow 1–2 dB per dB).
/// This becomes the profile's `excursion.limitDBFS` for the LF-risk model.
public struct DistortionOnset: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The threshold was crossed between two steps.
        case interpolated
        /// Already over the threshold at the lowest step: the onset is at or below it.
        case atOrBelowLowestStep
        /// Never reached: the onset is above the highest step (its level is a lower bound).
        case notReached
    }

    public var levelDBFS: Double
    public var kind: Kind
    public var thresholdTHD: Double

    public static let defaultThresholdTHD = 0.10

    /// - Parameter steps: in any order; sorted by level here. Steps whose THD could not be
    ///   measured (NaN) are left out.
    public static func find(steps: [DistortionStep], thresholdTHD: Double = defaultThresholdTHD) -> DistortionOnset? {
        let sorted = steps.filter { $0.lowFrequencyTHD.isFinite }.sorted { $0.levelDBFS < $1.levelDBFS }
        guard let first = sorted.first, let last = sorted.last else { return nil }
        guard let i = sorted.firstIndex(where: { $0.lowFrequencyTHD >= thresholdTHD }) else {
            return DistortionOnset(levelDBFS: last.levelDBFS, kind: .notReached, thresholdTHD: thresholdTHD)
        }
        if i == 0 { return DistortionOnset(levelDBFS: first.levelDBFS, kind: .atOrBelowLowestStep, thresholdTHD: thresholdTHD) }
        let a = sorted[i - 1], b = sorted[i]
        let da = 20 * log10(max(a.lowFrequencyTHD, 1e-9)), db = 20 * log10(b.lowFrequencyTHD)
        let target = 20 * log10(thresholdTHD)
        let t = db > da ? (target - da) / (db - da) : 1
        let level = a.levelDBFS + min(max(t, 0), 1) * (b.levelDBFS - a.levelDBFS)
        return DistortionOnset(levelDBFS: level, kind: .interpolated, thresholdTHD: thresholdTHD)
    }
}

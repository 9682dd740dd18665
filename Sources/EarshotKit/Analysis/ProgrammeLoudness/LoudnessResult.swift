import Foundation

/// The loudness figures of one programme, as EBU R 128 asks for them: integrated loudness
/// (ITU-R BS.1770-4 gated, LUFS), loudness range (EBU Tech 3342, LU), maximum true peak
/// (BS.1770-4 Annex 2, dBTP), maximum momentary (400 ms) and short-term (3 s) loudness
/// (EBU Tech 3341, LUFS) and the sample peak (dBFS).
///
/// A value is `nil` when the programme gives it no finite value, instead of a made-up number:
/// integrated loudness of a programme that is silent or entirely below the −70 LUFS absolute
/// gate; loudness range of a programme shorter than 3 s or without a gated 3 s block;
/// maximum momentary / short-term loudness of a programme shorter than the 400 ms / 3 s window
/// or silent throughout; peaks of digital silence (−∞).
public struct LoudnessResult: Sendable, Equatable, Codable {
    public var integratedLUFS: Double?
    public var loudnessRangeLU: Double?
    public var truePeakDBTP: Double?
    public var maxMomentaryLUFS: Double?
    public var maxShortTermLUFS: Double?
    public var samplePeakDBFS: Double?
    /// Length of the measured programme.
    public var durationSeconds: Double

    public init(integratedLUFS: Double?, loudnessRangeLU: Double?, truePeakDBTP: Double?,
                maxMomentaryLUFS: Double?, maxShortTermLUFS: Double?, samplePeakDBFS: Double?,
                durationSeconds: Double) {
        self.integratedLUFS = integratedLUFS
        self.loudnessRangeLU = loudnessRangeLU
        self.truePeakDBTP = truePeakDBTP
        self.maxMomentaryLUFS = maxMomentaryLUFS
        self.maxShortTermLUFS = maxShortTermLUFS
        self.samplePeakDBFS = samplePeakDBFS
        self.durationSeconds = durationSeconds
    }

    /// `value` with one decimal, or `missing` ("-inf" for levels of silence; say "n/a" for a
    /// loudness range that cannot be measured).
    public static func formatted(_ value: Double?, decimals: Int = 1, missing: String = "-inf") -> String {
        guard let value else { return missing }
        return String(format: "%.\(decimals)f", value)
    }
}

extension Double {
    /// The finite value, or nil for ±∞ and NaN (libebur128 returns −HUGE_VAL for silence).
    var finiteOrNil: Double? { isFinite ? self : nil }
}

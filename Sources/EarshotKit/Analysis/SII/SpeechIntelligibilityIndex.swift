import Foundation

/// The Speech Intelligibility Index of ANSI S3.5-1997 (R2017), "Methods for Calculation of the
/// Speech Intelligibility Index", computed from equivalent spectrum levels by the procedure of
/// section 4 with the band tables 1-4 (critical band, equally-contributing critical band,
/// one-third octave, octave).
///
/// Inputs, one value per band of the chosen procedure:
/// - E′_i, the equivalent speech spectrum level, dB re 20 µPa per hertz;
/// - N′_i, the equivalent noise spectrum level, dB re 20 µPa per hertz;
/// - T′_i, the equivalent hearing threshold level, dB HL (0 for normal hearing).
/// Spectrum levels are free-field levels at the position of the listener's head with the
/// listener absent (section 3); band levels become spectrum levels by subtracting 10·log10 of the
/// band width (`SIIBandTable.bandwidthLevelsDB`). Conductive hearing loss (Annex A) and
/// hearing-aid insertion gain are not modelled: J′_i is taken as 0.
///
/// The steps, with the standard's numbering:
/// - 4.3.1 octave procedure: the equivalent masking spectrum level is the noise, Z_i = N′_i
///   (no self-speech masking, no spread of masking).
/// - 4.3.2.1 self-speech masking V_i = E′_i − 24; 4.3.2.2 B_i = max(N′_i, V_i).
/// - 4.3.2.3 slope of the upward spread of masking, dB per octave:
///   critical-band procedures C_i = −80 + 0.6·[B_i + 10·log10(h_i − l_i)];
///   one-third octave procedure C_i = −80 + 0.6·[B_i + 10·log10(F_i) − 6.353].
/// - 4.3.2.4 Z_1 = B_1; 4.3.2.5 for i > 1
///   Z_i = 10·log10[10^(0.1·N′_i) + Σ_{k<i} 10^(0.1·(B_k + 3.32·C_k·log10(r_ik)))] with
///   r_ik = F_i / h_k (critical-band procedures) or 0.89·F_i / F_k (one-third octave).
/// - 4.4 equivalent internal noise X_i = X′_i + T′_i (X′_i: reference internal noise, Tables 1-4).
/// - 4.5 disturbance D_i = max(Z_i, X_i).
/// - 4.6 level distortion L_i = 1 − (E′_i − U_i − 10)/160, at most 1 (U_i: standard speech
///   spectrum at normal effort). It is also kept at or above 0, which only matters for speech
///   170 dB above the normal spectrum.
/// - 4.7.1 K_i = (E′_i − D_i + 15)/30 clipped to [0, 1]; 4.7.2 band audibility A_i = L_i·K_i.
/// - 4.8 SII = Σ I_i·A_i.
public enum SpeechIntelligibilityIndex {
    /// Spectrum levels (speech, noise) must lie in this range, dB re 20 µPa per hertz. It only
    /// rejects values that are not sound levels in air: the lower end is far below any hearing
    /// threshold, and about 194 dB SPL is where a sine's trough would reach vacuum.
    public static let spectrumLevelRangeDB: ClosedRange<Double> = -200...194
    /// Hearing threshold levels must lie in this range, dB HL (audiometers span −10…120 dB HL).
    public static let hearingThresholdRangeDBHL: ClosedRange<Double> = -20...160
    /// Band importances must each lie in [0, 1] and sum to 1 within this tolerance (the standard's
    /// own equally-contributing function sums to 0.9996).
    public static let importanceSumTolerance = 0.01

    /// Computes the SII for one set of equivalent spectrum levels.
    ///
    /// - Parameters:
    ///   - procedure: the band division; every array must have `procedure.bandCount` values.
    ///   - speechSpectrumLevelsDB: E′_i, dB per hertz.
    ///   - noiseSpectrumLevelsDB: N′_i, dB per hertz.
    ///   - hearingThresholdsDBHL: T′_i, dB HL; nil means 0 dB HL in every band.
    ///   - importance: the band-importance function, named or explicit.
    /// - Throws: `EarshotError.badInput` naming the array and band when a count, a value or the
    ///   importance is wrong, or when the named importance function does not exist for `procedure`.
    public static func compute(procedure: SIIProcedure,
                               speechSpectrumLevelsDB: [Double],
                               noiseSpectrumLevelsDB: [Double],
                               hearingThresholdsDBHL: [Double]? = nil,
                               importance: SIIImportance = .standard) throws -> SIIResult {
        let table = procedure.table
        let n = procedure.bandCount
        let thresholds = hearingThresholdsDBHL ?? [Double](repeating: 0, count: n)
        try check(speechSpectrumLevelsDB, name: "speech spectrum level", procedure: procedure,
                  range: spectrumLevelRangeDB, unit: "dB")
        try check(noiseSpectrumLevelsDB, name: "noise spectrum level", procedure: procedure,
                  range: spectrumLevelRangeDB, unit: "dB")
        try check(thresholds, name: "hearing threshold", procedure: procedure,
                  range: hearingThresholdRangeDBHL, unit: "dB HL")
        let weights = try importanceValues(importance, procedure: procedure)

        let E = speechSpectrumLevelsDB, N = noiseSpectrumLevelsDB
        let F = table.centerFrequenciesHz

        // Step 3: equivalent masking spectrum level Z_i.
        var V: [Double]? = nil
        var C: [Double]? = nil
        var Z: [Double]
        if procedure == .octave {
            Z = N                                                         // 4.3.1
        } else {
            let v = E.map { $0 - 24 }                                     // 4.3.2.1
            let B = zip(N, v).map { max($0, $1) }                         // 4.3.2.2
            let c: [Double]                                               // 4.3.2.3
            if procedure == .oneThirdOctave {
                c = (0..<n).map { -80 + 0.6 * (B[$0] + 10 * log10(F[$0]) - 6.353) }
            } else {
                let bandwidthDB = table.bandwidthLevelsDB
                c = (0..<n).map { -80 + 0.6 * (B[$0] + bandwidthDB[$0]) }
            }
            Z = [Double](repeating: 0, count: n)
            Z[0] = B[0]                                                   // 4.3.2.4
            for i in 1..<n {                                              // 4.3.2.5
                var power = pow(10, 0.1 * N[i])
                for k in 0..<i {
                    let ratio = procedure == .oneThirdOctave
                        ? 0.89 * F[i] / F[k]
                        : F[i] / table.upperLimitsHz![k]
                    power += pow(10, 0.1 * (B[k] + 3.32 * c[k] * log10(ratio)))
                }
                Z[i] = 10 * log10(power)
            }
            V = v
            C = c
        }

        let X = zip(table.internalNoiseSpectrumLevelsDB, thresholds).map { $0 + $1 }   // 4.4
        let U = table.speechSpectrumLevelNormalDB
        var bands: [SIIBandResult] = []
        bands.reserveCapacity(n)
        var total = 0.0
        for i in 0..<n {
            let D = max(Z[i], X[i])                                       // 4.5
            let L = min(1, max(0, 1 - (E[i] - U[i] - 10) / 160))          // 4.6
            let K = min(1, max(0, (E[i] - D + 15) / 30))                  // 4.7.1
            let A = L * K                                                 // 4.7.2
            total += weights[i] * A                                       // 4.8
            bands.append(SIIBandResult(
                centerFrequencyHz: F[i], importance: weights[i],
                speechSpectrumLevelDB: E[i], noiseSpectrumLevelDB: N[i], hearingThresholdDBHL: thresholds[i],
                selfSpeechMaskingDB: V?[i], maskingSlopeDBPerOctave: C?[i],
                equivalentMaskingSpectrumLevelDB: Z[i], equivalentInternalNoiseDB: X[i],
                disturbanceSpectrumLevelDB: D, levelDistortionFactor: L,
                maskedAudibility: K, audibility: A))
        }
        return SIIResult(procedure: procedure, value: total, bands: bands)
    }

    /// The importance values for `procedure`, checked.
    public static func importanceValues(_ importance: SIIImportance,
                                        procedure: SIIProcedure) throws -> [Double] {
        switch importance {
        case .function(let function):
            guard let values = function.values(for: procedure) else {
                throw EarshotError.badInput(location: "importance",
                    "the \(function.rawValue) band-importance function is not defined for the \(procedure.displayName); "
                    + "available: " + SIIImportanceFunction.allCases.filter { $0.values(for: procedure) != nil }
                        .map(\.rawValue).joined(separator: ", "))
            }
            return values
        case .custom(let values):
            try check(values, name: "band importance", procedure: procedure, range: 0...1, unit: "")
            let sum = values.reduce(0, +)
            guard abs(sum - 1) <= importanceSumTolerance else {
                throw EarshotError.badInput(location: "importance",
                    "band importances must sum to 1 (±\(importanceSumTolerance)); these sum to \(String(format: "%.4f", sum))")
            }
            return values
        }
    }

    static func check(_ values: [Double], name: String, procedure: SIIProcedure,
                      range: ClosedRange<Double>, unit: String) throws {
        let n = procedure.bandCount
        guard values.count == n else {
            throw EarshotError.badInput(location: name,
                "the \(procedure.displayName) needs \(n) values (one per band), \(values.count) were given")
        }
        let frequencies = procedure.table.centerFrequenciesHz
        for (i, value) in values.enumerated() where !(value.isFinite && range.contains(value)) {
            let suffix = unit.isEmpty ? "" : " \(unit)"
            guard value.isFinite else {
                throw EarshotError.badInput(location: "\(name), value \(i + 1) (\(formatHz(frequencies[i])))",
                                            "\(value) is not a finite number")
            }
            throw EarshotError.badInput(
                location: "\(name), value \(i + 1) (\(formatHz(frequencies[i])))",
                "\(formatNumber(value))\(suffix) is outside \(formatNumber(range.lowerBound))…\(formatNumber(range.upperBound))\(suffix)")
        }
    }

    static func formatHz(_ hz: Double) -> String { "\(formatNumber(hz)) Hz" }

    static func formatNumber(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e9 ? String(Int(x)) : String(x)
    }
}

/// The SII and its per-band working (ANSI S3.5-1997 section 4).
public struct SIIResult: Sendable, Equatable {
    public let procedure: SIIProcedure
    /// SII = Σ I_i·A_i, between 0 and 1.
    public let value: Double
    /// One entry per band, lowest band first.
    public let bands: [SIIBandResult]
}

/// One band's working in the SII calculation; names follow ANSI S3.5-1997 section 4.
public struct SIIBandResult: Sendable, Equatable {
    /// F_i, Hz.
    public let centerFrequencyHz: Double
    /// I_i.
    public let importance: Double
    /// E′_i, dB per hertz.
    public let speechSpectrumLevelDB: Double
    /// N′_i, dB per hertz.
    public let noiseSpectrumLevelDB: Double
    /// T′_i, dB HL.
    public let hearingThresholdDBHL: Double
    /// V_i = E′_i − 24 (nil for the octave procedure, which has no self-speech masking).
    public let selfSpeechMaskingDB: Double?
    /// C_i, slope of the upward spread of masking, dB per octave (nil for the octave procedure).
    public let maskingSlopeDBPerOctave: Double?
    /// Z_i, equivalent masking spectrum level, dB per hertz.
    public let equivalentMaskingSpectrumLevelDB: Double
    /// X_i = X′_i + T′_i, equivalent internal noise spectrum level, dB per hertz.
    public let equivalentInternalNoiseDB: Double
    /// D_i = max(Z_i, X_i), dB per hertz.
    public let disturbanceSpectrumLevelDB: Double
    /// L_i, level distortion factor.
    public let levelDistortionFactor: Double
    /// K_i = (E′_i − D_i + 15)/30 in [0, 1]: the audible share of the speech dynamic range.
    public let maskedAudibility: Double
    /// A_i = L_i·K_i, the band audibility function.
    public let audibility: Double

    /// I_i·A_i, this band's share of the SII.
    public var contribution: Double { importance * audibility }
}

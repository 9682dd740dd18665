import Foundation

/// One procedure's constants from ANSI S3.5-1997 (Tables 1-4): band centre frequencies, band
/// limits (critical-band tables) or bandwidth adjustments (octave and one-third octave tables),
/// the standard band-importance function, the standard speech spectrum levels for the four vocal
/// efforts, the reference internal noise spectrum and the free-field-to-eardrum transfer.
///
/// All levels are spectrum levels in dB re 20 µPa per hertz, free field, as the standard uses them.
/// The values themselves are in `SIIBandTables.swift`.
public struct SIIBandTable: Sendable {
    public let procedure: SIIProcedure
    /// Band centre frequencies F_i, Hz.
    public let centerFrequenciesHz: [Double]
    /// Lower band limits l_i, Hz (critical-band and equally-contributing tables only).
    public let lowerLimitsHz: [Double]?
    /// Upper band limits h_i, Hz (critical-band and equally-contributing tables only).
    public let upperLimitsHz: [Double]?
    /// Bandwidth adjustment Δ_i = 10·log10(effective bandwidth in Hz) (one-third octave and octave
    /// tables only): band level = spectrum level + Δ_i.
    public let bandwidthAdjustmentsDB: [Double]?
    /// The standard ("average speech") band-importance function I_i.
    public let standardImportance: [Double]
    public let speechSpectrumLevelNormalDB: [Double]
    public let speechSpectrumLevelRaisedDB: [Double]
    public let speechSpectrumLevelLoudDB: [Double]
    public let speechSpectrumLevelShoutDB: [Double]
    /// Reference internal noise spectrum level X_i, dB per hertz.
    public let internalNoiseSpectrumLevelsDB: [Double]
    /// Free-field-to-eardrum transfer, dB: eardrum level = free-field level + this.
    public let freeFieldToEardrumDB: [Double]

    /// The standard speech spectrum level U_i for a vocal effort, dB per hertz at 1 m.
    public func standardSpeechSpectrumLevelsDB(_ effort: SIIVocalEffort) -> [Double] {
        switch effort {
        case .normal: return speechSpectrumLevelNormalDB
        case .raised: return speechSpectrumLevelRaisedDB
        case .loud: return speechSpectrumLevelLoudDB
        case .shout: return speechSpectrumLevelShoutDB
        }
    }

    /// 10·log10 of each band's width in hertz: Δ_i from the table for the octave and one-third
    /// octave procedures, 10·log10(h_i − l_i) for the critical-band procedures. Band level minus
    /// this is the spectrum level.
    public var bandwidthLevelsDB: [Double] {
        if let bandwidthAdjustmentsDB { return bandwidthAdjustmentsDB }
        guard let lower = lowerLimitsHz, let upper = upperLimitsHz else {
            preconditionFailure("SII table for \(procedure) has neither band limits nor bandwidth adjustments")
        }
        return zip(lower, upper).map { 10 * log10($1 - $0) }
    }
}

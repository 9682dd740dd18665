import Foundation

extension SpeechIntelligibilityIndex {
    /// Band levels (speech, noise) must lie in this range, dB SPL; see `spectrumLevelRangeDB`.
    public static let bandLevelRangeDBSPL: ClosedRange<Double> = -150...194

    /// The SII from at-ear one-third octave BAND levels: the entry point for Earshot's signals
    /// (for example `ThirdOctaveBandAnalyzer` levels of the at-ear dialogue and of everything else).
    ///
    /// Each band level (dB SPL in the 18 bands 160 Hz-8 kHz of ANSI S3.5-1997 Table 3) becomes a
    /// spectrum level by subtracting the table's Δ_i = 10·log10(band width in Hz) (Table 3,
    /// 15.65 dB at 160 Hz … 32.65 dB at 8 kHz); the one-third octave procedure then runs as in
    /// `compute`. The result's bands carry each band's importance, audibility A_i and
    /// contribution I_i·A_i, so a caller can see which bands carry or lose the speech.
    ///
    /// Reference point: the standard's levels are free-field levels at the centre of the
    /// listener's head with the listener absent. Earshot calibrates its at-ear signals as the
    /// sound pressure a measurement microphone would read at the listener's position (device
    /// sensitivity at the listening distance, environment noise from sound-level-meter data), so
    /// these levels are used as they are: **no free-field-to-eardrum transfer is applied**. The
    /// standard's references (internal noise X′_i, normal speech spectrum U_i) are free-field
    /// quantities, so free-field-referred input must not get the ear-canal gain. Earbud profiles
    /// are built from ear-simulator curves minus their rig's target, which removes that gain too.
    /// A caller holding true eardrum pressures (raw ear-simulator data) should first convert them
    /// with `freeFieldLevels(fromEardrumBandLevelsDB:)`.
    ///
    /// - Parameters:
    ///   - speechBandLevelsDBSPL: 18 speech band levels, dB SPL, lowest band first.
    ///   - noiseBandLevelsDBSPL: 18 noise band levels, dB SPL.
    ///   - hearingThresholdsDBHL: 18 hearing threshold levels, dB HL; nil means 0 dB HL.
    ///   - importance: the band-importance function (standard average speech by default).
    public static func fromThirdOctaveBandLevels(speechBandLevelsDBSPL: [Double],
                                                 noiseBandLevelsDBSPL: [Double],
                                                 hearingThresholdsDBHL: [Double]? = nil,
                                                 importance: SIIImportance = .standard) throws -> SIIResult {
        let procedure = SIIProcedure.oneThirdOctave
        try check(speechBandLevelsDBSPL, name: "speech band level", procedure: procedure,
                  range: bandLevelRangeDBSPL, unit: "dB SPL")
        try check(noiseBandLevelsDBSPL, name: "noise band level", procedure: procedure,
                  range: bandLevelRangeDBSPL, unit: "dB SPL")
        let widthsDB = procedure.table.bandwidthLevelsDB
        return try compute(procedure: procedure,
                           speechSpectrumLevelsDB: zip(speechBandLevelsDBSPL, widthsDB).map { $0 - $1 },
                           noiseSpectrumLevelsDB: zip(noiseBandLevelsDBSPL, widthsDB).map { $0 - $1 },
                           hearingThresholdsDBHL: hearingThresholdsDBHL,
                           importance: importance)
    }

    /// Free-field equivalent of eardrum levels for a procedure's bands: subtracts the standard's
    /// free-field-to-eardrum transfer (ANSI S3.5-1997 Tables 1-4, last column).
    public static func freeFieldLevels(fromEardrumBandLevelsDB levels: [Double],
                                       procedure: SIIProcedure = .oneThirdOctave) throws -> [Double] {
        try check(levels, name: "eardrum level", procedure: procedure,
                  range: bandLevelRangeDBSPL, unit: "dB SPL")
        return zip(levels, procedure.table.freeFieldToEardrumDB).map { $0 - $1 }
    }
}

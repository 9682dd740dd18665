/// The four band-division procedures of ANSI S3.5-1997 (section 4, which gives the
/// procedure-specific equations side by side, and Tables 1-4). The raw value is the name the
/// command line uses.
public enum SIIProcedure: String, CaseIterable, Sendable, Hashable {
    /// 21 critical bands, 150 Hz-8.5 kHz (Table 1).
    case criticalBand = "critical-band"
    /// 17 equally-contributing critical bands, 350 Hz-5.8 kHz (Table 2).
    case equallyContributingCriticalBand = "equally-contributing"
    /// 18 one-third octave bands, 160 Hz-8 kHz (Table 3).
    case oneThirdOctave = "third-octave"
    /// 6 octave bands, 250 Hz-8 kHz (Table 4).
    case octave = "octave"

    /// The procedure's constant table.
    public var table: SIIBandTable {
        switch self {
        case .criticalBand: return .criticalBand
        case .equallyContributingCriticalBand: return .equallyContributingCriticalBand
        case .oneThirdOctave: return .oneThirdOctave
        case .octave: return .octave
        }
    }

    /// How many bands the procedure uses.
    public var bandCount: Int { table.centerFrequenciesHz.count }

    /// A human name for reports.
    public var displayName: String {
        switch self {
        case .criticalBand: return "critical-band procedure"
        case .equallyContributingCriticalBand: return "equally-contributing critical-band procedure"
        case .oneThirdOctave: return "one-third octave band procedure"
        case .octave: return "octave band procedure"
        }
    }
}

/// The four vocal efforts of the standard speech spectrum (ANSI S3.5-1997 Tables 1-4):
/// overall speech levels of 62.35, 68.34, 74.85 and 82.30 dB SPL at 1 m, free field.
public enum SIIVocalEffort: String, CaseIterable, Sendable {
    case normal, raised, loud, shout

    /// Overall A-unweighted speech level of the standard spectrum, dB SPL (ANSI S3.5-1997 Table 3).
    public var overallLevelDBSPL: Double {
        switch self {
        case .normal: return 62.35
        case .raised: return 68.34
        case .loud: return 74.85
        case .shout: return 82.30
        }
    }
}

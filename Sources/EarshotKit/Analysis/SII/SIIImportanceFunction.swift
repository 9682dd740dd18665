/// A band-importance function I_i for the SII: the standard one of ANSI S3.5-1997 Tables 1-4
/// ("average speech"), one of the speech-test functions of Annex B (Tables B.1-B.3), or the
/// Connected Speech Test function distributed with the SII developer kit.
///
/// The equally-contributing critical-band procedure has only its standard function; the others
/// are given for the critical-band, one-third octave and octave procedures.
public enum SIIImportanceFunction: String, CaseIterable, Sendable, Hashable {
    /// Average speech (Tables 1-4).
    case standard
    /// Various nonsense-syllable tests where most English phonemes occur equally often (NNS).
    case nonsenseSyllables = "nns"
    /// CID-22 word lists.
    case cid22
    /// NU6 monosyllables.
    case nu6
    /// Diagnostic Rhyme Test.
    case drt
    /// Short passages of easy reading material.
    case shortPassage = "short-passage"
    /// Speech In Noise (SPIN) sentences.
    case spin
    /// Connected Speech Test (from the SII developer kit, not in Annex B).
    case cst

    /// The importance values of this function for `procedure`, or nil where the standard gives
    /// none (every function but `standard` for the equally-contributing procedure).
    public func values(for procedure: SIIProcedure) -> [Double]? {
        if self == .standard { return procedure.table.standardImportance }
        return Self.alternativeTables[procedure]?[self]
    }
}

/// The importance a caller asks for: a named function or an explicit array with one value per band.
public enum SIIImportance: Sendable, Equatable {
    case function(SIIImportanceFunction)
    case custom([Double])

    public static let standard = SIIImportance.function(.standard)
}

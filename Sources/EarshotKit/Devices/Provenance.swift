/// Where a profile's data came from and how far to trust it. Modelled data is never called
/// measured: `kind` says which of the three it is.
public struct Provenance: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Measured on the real device (by whom, with what rig, when).
        case measured
        /// Computed from measurements of something related (the data it was derived from is named).
        case derived
        /// Built from published figures or judgement, not from a measurement.
        case modelled
    }

    public enum Confidence: String, Codable, Sendable {
        case high, medium, low
    }

    public var kind: Kind
    public var summary: String
    public var measuredBy: String?
    public var rig: String?
    public var date: String?
    public var source: String?
    public var derivedFrom: String?
    public var publishedFigures: [String]?
    public var method: String?
    public var confidence: Confidence
    public var confidenceNote: String?
    public var licence: String?
    public var credit: String?
}

/// What takes a word away from the listener.
public enum MaskerKind: String, Sendable, CaseIterable, Comparable {
    case music, effects
    /// A combined music-and-effects stem (or the mix minus dialogue) when music and effects
    /// were not delivered separately.
    case me
    case environment
    /// The device itself: its protection limiter ducked the word under the environment, or it
    /// cannot deliver the word audibly even without any masker (too quiet, bands missing).
    case device

    /// Music, effects and M&E: what the mixer delivers beside the dialogue. The environment and
    /// the device are the listening situation.
    public var isPartOfTheMix: Bool { self == .music || self == .effects || self == .me }

    public static func < (a: MaskerKind, b: MaskerKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A listening environment: the noise at the listener's ear, calibrated in dB(A), from a real
/// recording (looped) or synthesized deterministically from a band spectrum with slow level
/// fluctuation. Loaded from a profile folder's `profile.json` with `category: environment`.
public struct EnvironmentProfile: Sendable, Equatable {
    public struct Modulation: Codable, Sendable, Equatable {
        /// Peak-to-trough level fluctuation, dB.
        public var depthDB: Double
        /// Rate of the fluctuation, Hz.
        public var rateHz: Double
    }

    public var id: String
    public var name: String
    /// A-weighted equivalent level at the listener, dB(A).
    public var levelDBA: Double
    /// Third-octave band levels (relative dB) at nominal centres 25 Hz–16 kHz.
    public var spectrum: [BandValue]
    /// A recording in the profile folder, used instead of synthesis.
    public var recording: String?
    public var modulation: Modulation?
    /// The most a listener here turns the dialogue up to, dB(A) at the ear, whatever the noise
    /// (`ListenerVolume`): a bedroom at night, where the programme must not wake anyone.
    public var listenerCeilingDBA: Double? = nil
    public var seed: UInt64
    public var provenance: Provenance
    public var folder: String
}

/// What `earshot check` is asked to do.
public struct CheckSettings: Sendable {
    /// The scenarios as (device id, environment id) pairs, in report order.
    public var scenarios: [(device: String, environment: String)]
    /// A fixed playback volume for every scenario, or nil for the listener's choice
    /// (`ListenerVolume`).
    public var volumePercent: Double?
    public var wordsPath: String?
    public var masking: WordMaskingSettings
    /// The platform delivery table (Reports/platforms.json by default).
    public var platformsPath: String?

    public init(scenarios: [(device: String, environment: String)], volumePercent: Double? = nil,
                wordsPath: String? = nil, masking: WordMaskingSettings = .init(), platformsPath: String? = nil) {
        self.scenarios = scenarios
        self.volumePercent = volumePercent
        self.wordsPath = wordsPath
        self.masking = masking
        self.platformsPath = platformsPath
    }

    /// The scenarios the audience lives in (README, "The default scenarios, and why"): the phone's own
    /// speaker on a noisy commute, budget earbuds on the metro, the phone in the family room with
    /// the TV on, the phone at night kept down, a mid-range stereo phone held in landscape (the
    /// "phone check" reference), and the studio reference. The laptop and the soundbar stay
    /// available (`--scenario laptop-speakers@cafe-babble`, `tv-soundbar@living-room`).
    public static let defaultScenarios: [(device: String, environment: String)] = [
        ("phone-budget-speaker", "commute-bus"),
        ("earbuds-budget-wireless", "commute-metro"),
        ("phone-budget-speaker", "family-room-tv"),
        ("phone-budget-speaker", "bedroom-night"),
        ("phone-midrange-stereo", "quiet-room"),
        ("studio-reference", "quiet-room"),
    ]
}

/// One listening situation: a device, an environment and a playback volume.
/// Its id is `device@environment` everywhere (reports, `--scenario`).
public struct Scenario: Sendable {
    public let device: DeviceModel
    public let environment: EnvironmentProfile
    public let volumePercent: Double
    /// The environment's noise loops at this device's ears, when made beforehand
    /// (`ScenarioModels`); else each render makes its own.
    public let environmentLoops: EnvironmentLoops?

    public init(device: DeviceModel, environment: EnvironmentProfile, volumePercent: Double, environmentLoops: EnvironmentLoops? = nil) {
        self.device = device
        self.environment = environment
        self.volumePercent = volumePercent
        self.environmentLoops = environmentLoops
    }

    public var id: String { "\(device.profile.id)@\(environment.id)" }

    /// The default volume of the phone check: 60 %.
    public static let defaultVolumePercent = 60.0
}

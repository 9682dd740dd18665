import Foundation

/// The volume a listener chooses: people turn a programme up until the dialogue sits clearly
/// above the noise around them, within what the device can do. Earshot's model (modelled
/// judgement, documented in the README): the listener aims the dialogue's long-term level at
/// the ear at 8 dB above the environment's A-weighted level, no lower than 62 dB SPL (ordinary
/// conversational speech at a metre, for quiet rooms) and no higher than 80 dB SPL (where
/// people stop turning up), and sets the device's volume control to the lowest step that
/// reaches it — or to 100 % when the device cannot.
///
/// The dialogue's level at 100 % volume is estimated from the profile's sensitivity (a
/// full-scale 1 kHz sine) and the dialogue's integrated loudness (BS.1770 reads a full-scale
/// 1 kHz sine in both channels at about 0 LUFS), ignoring the device's colouration, as a
/// listener adjusting by ear roughly does.
public enum ListenerVolume {
    public static let marginOverEnvironmentDB = 8.0
    public static let minimumTargetDBSPL = 62.0
    public static let maximumTargetDBSPL = 80.0

    public static func targetDialogueDBSPL(environment: EnvironmentProfile) -> Double {
        min(maximumTargetDBSPL, max(minimumTargetDBSPL, environment.levelDBA + marginOverEnvironmentDB))
    }

    /// The chosen volume, percent, for a programme whose dialogue (or mix) reads
    /// `programmeLUFS` integrated.
    public static func percent(device: DeviceProfile, environment: EnvironmentProfile, programmeLUFS: Double?) -> Double {
        guard let lufs = programmeLUFS, lufs.isFinite else { return Scenario.defaultVolumePercent }
        let atFullVolume = device.level.sensitivityDBSPL + lufs
        let needed = targetDialogueDBSPL(environment: environment) - atFullVolume
        return (device.volumePercent(forGainDB: needed) * 10).rounded(.up) / 10
    }
}

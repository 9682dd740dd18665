import Foundation

/// The volume one scenario plays at, and why: the user's fixed `--volume`, or the listener's
/// choice (`ListenerVolume`) with the reason in the words a mixer reads on the command line,
/// e.g. "listener's choice: dialogue 8 dB over the environment".
public struct ListenerVolumeChoice: Sendable, Equatable {
    public var percent: Double
    /// True when the user fixed the volume.
    public var fixed: Bool
    /// The dialogue level at the ear the listener aims for, dB SPL (nil for a fixed volume).
    public var targetDialogueDBSPL: Double?
    /// Why this volume, without the percentage.
    public var reason: String

    public init(percent: Double, fixed: Bool, targetDialogueDBSPL: Double?, reason: String) {
        self.percent = percent
        self.fixed = fixed
        self.targetDialogueDBSPL = targetDialogueDBSPL
        self.reason = reason
    }

    /// A volume the user fixed.
    public static func fixed(percent: Double) -> ListenerVolumeChoice {
        ListenerVolumeChoice(percent: percent, fixed: true, targetDialogueDBSPL: nil, reason: "fixed, not the listener's choice")
    }

    /// The listener's choice for a programme whose dialogue (or mix) reads `programmeLUFS`
    /// integrated: the same volume `earshot check` uses (`ListenerVolume.percent`).
    public static func listener(device: DeviceProfile, environment: EnvironmentProfile, programmeLUFS: Double?) -> ListenerVolumeChoice {
        let percent = ListenerVolume.percent(device: device, environment: environment, programmeLUFS: programmeLUFS)
        let target = ListenerVolume.targetDialogueDBSPL(environment: environment)
        guard let lufs = programmeLUFS, lufs.isFinite else {
            return ListenerVolumeChoice(percent: percent, fixed: false, targetDialogueDBSPL: target,
                                        reason: "the dialogue is silent, so the listener has nothing to set by: the default volume")
        }
        var reason: String
        if target >= ListenerVolume.maximumTargetDBSPL {
            reason = String(format: "listener's choice: dialogue at %.0f dB SPL, as loud as listeners turn it", target)
        } else if target <= ListenerVolume.minimumTargetDBSPL {
            reason = String(format: "listener's choice: dialogue at %.0f dB SPL, conversational level in a quiet place", target)
        } else {
            reason = String(format: "listener's choice: dialogue %.0f dB over the environment", ListenerVolume.marginOverEnvironmentDB)
        }
        let needed = target - (device.level.sensitivityDBSPL + lufs)
        if percent >= 100 && needed > device.volumeGainDB(percent: 100) + 0.05 {
            reason += String(format: "; the device runs out of volume %.1f dB short", needed - device.volumeGainDB(percent: 100))
        }
        return ListenerVolumeChoice(percent: percent, fixed: false, targetDialogueDBSPL: target, reason: reason)
    }

    /// One line for stderr: "phone-budget-speaker@commute-bus: volume 74 % (listener's choice: …)".
    public func line(scenario: String) -> String {
        "\(scenario): volume \(Self.percentText(percent)) % (\(reason))"
    }

    public static func percentText(_ percent: Double) -> String {
        percent == percent.rounded() ? String(Int(percent)) : String(format: "%.1f", percent)
    }
}

import Foundation

/// The volume one scenario plays at, and why: the user's fixed `--volume`, or the listener's
/// choice (`ListenerVolume`) with the reason in the words a mixer reads on the command line,
/// e.g. "listener's choice: dialogue at 74 dB(A), as chosen over 72 dB(A) of noise at the ear".
public struct ListenerVolumeChoice: Sendable, Equatable {
    public var percent: Double
    /// True when the user fixed the volume.
    public var fixed: Bool
    /// The dialogue level at the ear the listener aims for, dB(A) (nil for a fixed volume).
    public var targetDialogueDBA: Double?
    /// Why this volume, without the percentage.
    public var reason: String

    public init(percent: Double, fixed: Bool, targetDialogueDBA: Double?, reason: String) {
        self.percent = percent
        self.fixed = fixed
        self.targetDialogueDBA = targetDialogueDBA
        self.reason = reason
    }

    /// A volume the user fixed.
    public static func fixed(percent: Double) -> ListenerVolumeChoice {
        ListenerVolumeChoice(percent: percent, fixed: true, targetDialogueDBA: nil, reason: "fixed, not the listener's choice")
    }

    /// The listener's choice for a programme whose dialogue (or mix) reads `programmeLUFS`
    /// integrated: the same volume `earshot check` uses (`ListenerVolume.percent`).
    public static func listener(device: DeviceModel, environment: EnvironmentProfile, programmeLUFS: Double?) -> ListenerVolumeChoice {
        let profile = device.profile
        let percent = ListenerVolume.percent(device: device, environment: environment, programmeLUFS: programmeLUFS)
        let target = ListenerVolume.targetDialogueDBA(device: profile, environment: environment)
        guard let lufs = programmeLUFS, lufs.isFinite else {
            return ListenerVolumeChoice(percent: percent, fixed: false, targetDialogueDBA: target,
                                        reason: "the dialogue is silent, so the listener has nothing to set by: the default volume")
        }
        let noise = ListenerVolume.noiseAtEarDBA(device: profile, environment: environment)
        var reason: String
        if let ceiling = environment.listenerCeilingDBA, target >= ceiling {
            reason = String(format: "listener's choice: dialogue at %.0f dB(A), kept down in this place", target)
        } else if target >= ListenerVolume.maximumChosenDBA {
            reason = String(format: "listener's choice: dialogue at %.0f dB(A), as loud as listeners turn it", target)
        } else {
            reason = String(format: "listener's choice: dialogue at %.0f dB(A) over %.0f dB(A) of noise at the ear", target, noise)
        }
        let atFull = SpeechLevelAtEar.atFullVolumeDBA(device: profile, speechOffsetDB: device.speechOffsetDB, programmeLUFS: lufs)
        if percent >= 100 && target > atFull + 0.05 {
            reason += String(format: "; the device runs out of volume %.1f dB short", target - atFull)
        }
        return ListenerVolumeChoice(percent: percent, fixed: false, targetDialogueDBA: target, reason: reason)
    }

    /// One line for stderr: "phone-budget-speaker@commute-bus: volume 74 % (listener's choice: …)".
    public func line(scenario: String) -> String {
        "\(scenario): volume \(Self.percentText(percent)) % (\(reason))"
    }

    public static func percentText(_ percent: Double) -> String {
        percent == percent.rounded() ? String(Int(percent)) : String(format: "%.1f", percent)
    }
}

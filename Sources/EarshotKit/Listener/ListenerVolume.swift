import Foundation

/// The volume a listener chooses, from published preferred-listening-level data
/// (ARCHITECTURE.md, the listener model; README "How loud the listener plays it"):
///
/// 1. **The place as the listener hears it**, `noiseAtEarDBA`: the environment's band spectrum
///    at its LAeq, less the device's passive isolation (earbuds), A-weighted. Isolation lowers
///    the level people choose (Breinbauer et al. 2012, r = 0.585 between attenuation and the
///    drop in chosen level), so it is taken off before the choice.
/// 2. **The dialogue level they choose at the ear**, A-weighted, from the study made with that
///    kind of transducer:
///    - **loudspeakers** (phone, laptop, soundbar, TV, studio monitors): the preferred listening
///      level of conversational speech from a loudspeaker, 50 dB(A) in quiet, rising 3 dB per
///      10 dB of ambient noise above 40 dB(A) (van Heusden, Plomp & Pols, Applied Acoustics 12,
///      1979): L = 50 + 0.3·max(0, N − 40);
///    - **earbuds**: the chosen listening level of 100 earphone users, free-field equivalent,
///      CLL = 50.669 + 0.3292·N with N the ambient level in the ear canal after the earphone's
///      attenuation (Fligor & Ives, reproduced in Levey, Levey & Fligor, J. Speech Lang. Hear.
///      Res. 54, 2011). Its slope agrees with van Heusden's.
///    Both are capped at 85 dB(A), the upper end of the acceptable speech range in 55–70 dB(A)
///    noise ("Acceptable range of speech level in noisy sound fields", J. Acoust. Soc. Am.,
///    2011), and at an environment's own cap where it has one
///    (`EnvironmentProfile.listenerCeilingDBA`: a bedroom at night).
/// 3. **What the device gives at 100 %**: `SpeechLevelAtEar` — the sensitivity, the dialogue's
///    integrated loudness and the device's colouration of speech, no higher than `maxSPLDB`.
/// 4. The volume control's lowest setting that reaches the choice, or 100 % when none does.
public enum ListenerVolume {
    /// Loudspeakers: the preferred level of speech in quiet, dB(A) (van Heusden et al. 1979).
    public static let loudspeakerQuietDBA = 50.0
    /// Loudspeakers: the noise level above which the preference rises, dB(A).
    public static let loudspeakerKneeDBA = 40.0
    /// Loudspeakers: the rise, dB per dB of noise above the knee.
    public static let loudspeakerSlope = 0.3
    /// Earbuds: the regression's intercept, dB(A) at 0 dB(A) in the ear canal (Fligor & Ives).
    public static let earbudInterceptDBA = 50.669
    /// Earbuds: the regression's slope, dB per dB of noise at the ear (Fligor & Ives).
    public static let earbudSlope = 0.3292
    /// The most anyone is modelled to choose, dB(A).
    public static let maximumChosenDBA = 85.0

    /// The level the listener chooses with no cap, dB(A), for `noiseAtEarDBA` of noise.
    public static func chosenDBA(device: DeviceProfile, noiseAtEarDBA noise: Double) -> Double {
        device.category == .earbuds
            ? earbudInterceptDBA + earbudSlope * noise
            : loudspeakerQuietDBA + loudspeakerSlope * max(0, noise - loudspeakerKneeDBA)
    }

    /// The environment at the ear through the device's passive isolation, dB(A).
    public static func noiseAtEarDBA(device: DeviceProfile, environment: EnvironmentProfile) -> Double {
        let isolation = device.passiveIsolation.map { $0.map { (frequencyHz: $0.frequencyHz, levelDB: $0.levelDB) } }
        var total = 0.0, totalAtEar = 0.0
        for band in environment.spectrum {
            let weighted = pow(10, band.levelDB / 10) * ThirdOctave.aWeightingPower(frequencyHz: band.frequencyHz)
            total += weighted
            let attenuationDB = isolation.map { MinimumPhase.interpolatedLevelDB($0, at: band.frequencyHz) } ?? 0
            totalAtEar += weighted * pow(10, -attenuationDB / 10)
        }
        guard total > 0 else { return environment.levelDBA }
        return environment.levelDBA + 10 * log10(totalAtEar / total)
    }

    /// The dialogue level the listener chooses at the ear in this place with this device, dB(A).
    public static func targetDialogueDBA(device: DeviceProfile, environment: EnvironmentProfile) -> Double {
        let chosen = chosenDBA(device: device, noiseAtEarDBA: noiseAtEarDBA(device: device, environment: environment))
        return min(chosen, maximumChosenDBA, environment.listenerCeilingDBA ?? .infinity)
    }

    /// The chosen volume, percent, for a programme whose dialogue (or mix) reads
    /// `programmeLUFS` integrated.
    public static func percent(device: DeviceModel, environment: EnvironmentProfile, programmeLUFS: Double?) -> Double {
        guard let lufs = programmeLUFS, lufs.isFinite else { return Scenario.defaultVolumePercent }
        let profile = device.profile
        let unlimited = profile.level.sensitivityDBSPL + lufs + device.speechOffsetDB
        // The listener turns up until the dialogue reaches their level, or until the device gives
        // no more (`maxSPLDB`, where its protection holds the programme).
        let reachable = min(targetDialogueDBA(device: profile, environment: environment), profile.level.maxSPLDB ?? .infinity)
        return (profile.volumePercent(forGainDB: reachable - unlimited) * 10).rounded(.up) / 10
    }
}

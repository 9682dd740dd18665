import Foundation

/// How loud a device makes dialogue of a given integrated loudness, A-weighted, at the ear: the
/// figure the listener model sets the volume by (ARCHITECTURE.md, the listener model).
///
/// A listener turns the volume by what they hear: speech after the device's colouration,
/// roughly A-weighted. A device is calibrated by `sensitivityDBSPL` (a full-scale 1 kHz sine at
/// 100 % volume), but speech is not a 1 kHz sine and BS.1770 loudness is not A-weighted level.
/// The offset between them is computed on the ANSI S3.5-1997 standard speech spectrum (Table 3,
/// normal effort, one-third octave bands 160 Hz–8 kHz) passed through the device's measured
/// third-octave response:
///
///     L_A(100 %) = sensitivity + LUFS + 0.691 + 10·log10( Σ S_i·H_i·A_i / Σ S_i·K_i )
///
/// with S_i the speech band powers, H_i the device's response re 1 kHz, A_i the A-weighting
/// (IEC 61672-1) and K_i the K-weighting (BS.1770-4). For a 1 kHz sine this reduces to
/// sensitivity + LUFS, the calibration's definition. Flat, speech reads about 2.8 dB below it
/// (A-weighting takes speech's low bands, K-weighting does not); a laptop tuned around a 1 kHz
/// peak reads lower still, a phone whose treble rises 4–14 dB above 1 kHz higher.
public enum SpeechLevelAtEar {
    /// The offset, dB, of a device response given as third-octave levels re 1 kHz at the SII
    /// band centres (`SIIBandTable.oneThirdOctave.centerFrequenciesHz`).
    public static func offsetDB(responseDB: [Double]) -> Double {
        let table = SIIBandTable.oneThirdOctave
        precondition(responseDB.count == table.centerFrequenciesHz.count, "one response level per SII band")
        var heard = 0.0, loudness = 0.0
        for (i, f) in table.centerFrequenciesHz.enumerated() {
            let speech = pow(10, (table.speechSpectrumLevelNormalDB[i] + table.bandwidthAdjustmentsDB![i]) / 10)
            heard += speech * pow(10, responseDB[i] / 10) * ThirdOctave.aWeightingPower(frequencyHz: f)
            loudness += speech * KWeighting.powerGain(frequencyHz: f)
        }
        return 0.691 + 10 * log10(heard / loudness)
    }

    /// Dialogue of `programmeLUFS` at 100 % volume, dB(A) at the ear: the sensitivity plus the
    /// loudness plus the device's `offsetDB`, and never above the device's `maxSPLDB`.
    public static func atFullVolumeDBA(device: DeviceProfile, speechOffsetDB: Double, programmeLUFS: Double) -> Double {
        let level = device.level.sensitivityDBSPL + programmeLUFS + speechOffsetDB
        return min(level, device.level.maxSPLDB ?? .infinity)
    }
}

import Foundation

/// Core loudness of the 21 approximated critical bands from the 28 one-third-octave band levels
/// (ISO 532-1:2017, 5.3–5.5 and A.3–A.7):
/// 1. the 11 bands 25–250 Hz are reduced by the level-dependent weighting of Table A.3 (equal-
///    loudness contours) and summed in intensity into the three lowest critical bands
///    (25–80 Hz, 100–160 Hz, 200–250 Hz); the bands from 315 Hz up are critical bands 4–20;
/// 2. each critical-band level is reduced by the ear's transmission a0 (Table A.4), raised by
///    ΔL_DF in a diffuse field (Table A.5), and, if above the threshold in quiet L_TQ
///    (Table A.6), corrected by ΔL_CB (Table A.7) and turned into core loudness
///    N′c = 0.0635·10^(0.025·L_TQ)·((1 − s + s·10^((L_E − L_TQ)/10))^0.25 − 1), s = 0.25;
/// 3. the lowest critical band's core loudness is scaled by min(1, 0.4 + 0.32·N′c^0.2).
/// The 21st band (23.6–24 Bark) is always zero. Table A.3 ends at 120 dB: bands below 315 Hz
/// above that (outside the method's range; MoSQITo refuses them) take the top range's reduction.
enum CoreLoudness {
    /// ln(10)/10: 10^(x/10) = e^(x·ln(10)/10).
    private static let tenthLn10 = log(10.0) / 10
    /// 0.0635·10^(0.025·L_TQ) per critical band.
    private static let thresholdFactor: [Double] = ISO532Tables.thresholdInQuietDB.map { 0.0635 * pow(10, 0.025 * $0) }

    /// Writes 21 core loudness values (sone/Bark) for 28 band levels (dB re 20 µPa).
    static func compute(bandLevelsDB levels: UnsafePointer<Double>, field: SoundField,
                        into core: UnsafeMutablePointer<Double>) {
        let limits = ISO532Tables.lowFrequencyRangeLimitsDB
        let reductions = ISO532Tables.lowFrequencyReductionDB
        var lowIntensity = (0.0, 0.0, 0.0)
        for band in 0..<11 {
            let level = levels[band]
            var range = 0
            while range < limits.count - 1 && level > limits[range] - reductions[range][band] { range += 1 }
            let intensity = exp((level + reductions[range][band]) * tenthLn10)
            switch band {
            case 0..<6: lowIntensity.0 += intensity
            case 6..<9: lowIntensity.1 += intensity
            default: lowIntensity.2 += intensity
            }
        }
        func levelOf(_ intensity: Double) -> Double { intensity > 0 ? 10 * log10(intensity) : 0 }

        let a0 = ISO532Tables.earTransmissionDB
        let ddf = ISO532Tables.diffuseFieldCorrectionDB
        let ltq = ISO532Tables.thresholdInQuietDB
        let dcb = ISO532Tables.criticalBandCorrectionDB
        let s = 0.25
        for band in 0..<20 {
            var level: Double
            switch band {
            case 0: level = levelOf(lowIntensity.0)
            case 1: level = levelOf(lowIntensity.1)
            case 2: level = levelOf(lowIntensity.2)
            default: level = levels[band + 8]
            }
            level -= a0[band]
            if field == .diffuse { level += ddf[band] }
            var value = 0.0
            if level > ltq[band] {
                level -= dcb[band]
                let excitation = 1 - s + s * exp((level - ltq[band]) * tenthLn10)
                value = thresholdFactor[band] * (excitation.squareRoot().squareRoot() - 1)
                if value < 0 { value = 0 }
            }
            core[band] = value
        }
        core[20] = 0
        let correction = 0.4 + 0.32 * pow(core[0], 0.2)
        if correction < 1 { core[0] *= correction }
    }
}

import Foundation

/// The numeric tables of ISO 532-1:2017 (Zwicker loudness), Annex A. Values are the
/// standard's; the names say what each one is.
enum ISO532Tables {
    /// Number of one-third-octave bands, 25 Hz to 12.5 kHz.
    static let bandCount = 28
    /// Number of approximated critical bands carrying core loudness (the 21st, 23.6–24 Bark, is
    /// always zero).
    static let coreBandCount = 21
    /// Specific loudness is sampled every 0.1 Bark from 0.1 to 24 Bark.
    static let barkStepCount = 240
    static let barkStep = 0.1

    /// Exact band centre frequencies, 10^((i − 16)/10) kHz (the smoothing time constants use
    /// these, not the nominal values).
    static let exactCentreFrequenciesHz: [Double] = (0..<28).map { 1000 * pow(10, Double($0 - 16) / 10) }
    /// Nominal (preferred) centre frequencies, for display.
    static let nominalCentreFrequenciesHz: [Double] = [
        25, 31.5, 40, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000,
        1250, 1600, 2000, 2500, 3150, 4000, 5000, 6300, 8000, 10000, 12500,
    ]

    /// Table A.2: per band and per second-order section (three sections), the differences
    /// (d1, d2) to subtract from the reference denominators of Table A.1, so that a section's
    /// denominator is [1, −2 − d1, 1 − d2]. The numerators of Table A.1 are [1, 2, 1], [1, 0, −1],
    /// [1, −2, 1] for sections 1, 2, 3.
    static let filterDenominatorDifferences: [[(Double, Double)]] = [
        [(-6.70260e-004, 6.59453e-004), (-3.75071e-004, 3.61926e-004), (-3.06523e-004, 2.97634e-004)],
        [(-8.47258e-004, 8.30131e-004), (-4.76448e-004, 4.55616e-004), (-3.88773e-004, 3.74685e-004)],
        [(-1.07210e-003, 1.04496e-003), (-6.06567e-004, 5.73553e-004), (-4.94004e-004, 4.71677e-004)],
        [(-1.35836e-003, 1.31535e-003), (-7.74327e-004, 7.22007e-004), (-6.29154e-004, 5.93771e-004)],
        [(-1.72380e-003, 1.65564e-003), (-9.91780e-004, 9.08866e-004), (-8.03529e-004, 7.47455e-004)],
        [(-2.19188e-003, 2.08388e-003), (-1.27545e-003, 1.14406e-003), (-1.02976e-003, 9.40900e-004)],
        [(-2.79386e-003, 2.62274e-003), (-1.64828e-003, 1.44006e-003), (-1.32520e-003, 1.18438e-003)],
        [(-3.57182e-003, 3.30071e-003), (-2.14252e-003, 1.81258e-003), (-1.71397e-003, 1.49082e-003)],
        [(-4.58305e-003, 4.15355e-003), (-2.80413e-003, 2.28135e-003), (-2.23006e-003, 1.87646e-003)],
        [(-5.90655e-003, 5.22622e-003), (-3.69947e-003, 2.87118e-003), (-2.92205e-003, 2.36178e-003)],
        [(-7.65243e-003, 6.57493e-003), (-4.92540e-003, 3.61318e-003), (-3.86007e-003, 2.97240e-003)],
        [(-1.00023e-002, 8.29610e-003), (-6.63788e-003, 4.55999e-003), (-5.15982e-003, 3.75306e-003)],
        [(-1.31230e-002, 1.04220e-002), (-9.02274e-003, 5.73132e-003), (-6.94543e-003, 4.71734e-003)],
        [(-1.73693e-002, 1.30947e-002), (-1.24176e-002, 7.20526e-003), (-9.46002e-003, 5.93145e-003)],
        [(-2.31934e-002, 1.64308e-002), (-1.73009e-002, 9.04761e-003), (-1.30358e-002, 7.44926e-003)],
        [(-3.13292e-002, 2.06370e-002), (-2.44342e-002, 1.13731e-002), (-1.82108e-002, 9.36778e-003)],
        [(-4.28261e-002, 2.59325e-002), (-3.49619e-002, 1.43046e-002), (-2.57855e-002, 1.17912e-002)],
        [(-5.91733e-002, 3.25054e-002), (-5.06072e-002, 1.79513e-002), (-3.69401e-002, 1.48094e-002)],
        [(-8.26348e-002, 4.05894e-002), (-7.40348e-002, 2.24476e-002), (-5.34977e-002, 1.85371e-002)],
        [(-1.17018e-001, 5.08116e-002), (-1.09516e-001, 2.81387e-002), (-7.85097e-002, 2.32872e-002)],
        [(-1.67714e-001, 6.37872e-002), (-1.63378e-001, 3.53729e-002), (-1.16419e-001, 2.93723e-002)],
        [(-2.42528e-001, 7.98576e-002), (-2.45161e-001, 4.43370e-002), (-1.73972e-001, 3.70015e-002)],
        [(-3.53142e-001, 9.96330e-002), (-3.69163e-001, 5.53535e-002), (-2.61399e-001, 4.65428e-002)],
        [(-5.16316e-001, 1.24177e-001), (-5.55473e-001, 6.89403e-002), (-3.93998e-001, 5.86715e-002)],
        [(-7.56635e-001, 1.55023e-001), (-8.34281e-001, 8.58123e-002), (-5.94547e-001, 7.43960e-002)],
        [(-1.10165e+000, 1.91713e-001), (-1.23939e+000, 1.05243e-001), (-8.91666e-001, 9.40354e-002)],
        [(-1.58477e+000, 2.39049e-001), (-1.80505e+000, 1.28794e-001), (-1.32500e+000, 1.21333e-001)],
        [(-2.50630e+000, 1.42308e-001), (-2.19464e+000, 2.76470e-001), (-1.90231e+000, 1.47304e-001)],
    ]

    /// Table A.2: overall gain of each band's cascade.
    static let filterGains: [Double] = [
        4.30764e-011, 8.59340e-011, 1.71424e-010, 3.41944e-010, 6.82035e-010, 1.36026e-009,
        2.71261e-009, 5.40870e-009, 1.07826e-008, 2.14910e-008, 4.28228e-008, 8.54316e-008,
        1.70009e-007, 3.38215e-007, 6.71990e-007, 1.33531e-006, 2.65172e-006, 5.25477e-006,
        1.03780e-005, 2.04870e-005, 4.05198e-005, 7.97914e-005, 1.56511e-004, 3.04954e-004,
        5.99157e-004, 1.16544e-003, 2.27488e-003, 3.91006e-003,
    ]

    /// Table A.3: upper limits of the eight level ranges (dB) for the low-frequency weighting of
    /// the 11 bands 25–250 Hz (equal-loudness contours).
    static let lowFrequencyRangeLimitsDB: [Double] = [45, 55, 65, 71, 80, 90, 100, 120]
    /// Table A.3: level reduction (dB) of bands 25–250 Hz, per range (rows) and band (columns).
    static let lowFrequencyReductionDB: [[Double]] = [
        [-32, -24, -16, -10, -5, 0, -7, -3, 0, -2, 0],
        [-29, -22, -15, -10, -4, 0, -7, -2, 0, -2, 0],
        [-27, -19, -14, -9, -4, 0, -6, -2, 0, -2, 0],
        [-25, -17, -12, -9, -3, 0, -5, -2, 0, -2, 0],
        [-23, -16, -11, -7, -3, 0, -4, -1, 0, -1, 0],
        [-20, -14, -10, -6, -3, 0, -4, -1, 0, -1, 0],
        [-18, -12, -9, -6, -2, 0, -3, -1, 0, -1, 0],
        [-15, -10, -8, -4, -2, 0, -3, -1, 0, -1, 0],
    ]

    /// Table A.4 (a0): attenuation by transmission through the outer and middle ear, per
    /// critical band (dB).
    static let earTransmissionDB: [Double] = [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -0.5, -1.6, -3.2, -5.4, -5.6, -4, -1.5, 2, 5, 12,
    ]
    /// Table A.5 (ΔL_DF, "DDF"): level difference diffuse field minus free field (dB).
    static let diffuseFieldCorrectionDB: [Double] = [
        0, 0, 0.5, 0.9, 1.2, 1.6, 2.3, 2.8, 3, 2, 0, -1.4, -2, -1.9, -1, 0.5, 3, 4, 4.3, 4,
    ]
    /// Table A.6 (L_TQ): critical-band level at the threshold in quiet (dB).
    static let thresholdInQuietDB: [Double] = [
        30, 18, 12, 8, 7, 6, 5, 4, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    ]
    /// Table A.7 (ΔL_CB, "DCB"): correction for third-octave rather than critical-band levels (dB).
    static let criticalBandCorrectionDB: [Double] = [
        -0.25, -0.6, -0.8, -0.8, -0.5, 0, 0.5, 1.1, 1.5, 1.7, 1.8, 1.8, 1.7, 1.6, 1.4, 1.2, 0.8, 0.5, 0, -0.5,
    ]

    /// Table A.8 (ZUP): upper limits of the 21 approximated critical bands (Bark).
    static let criticalBandUpperLimitsBark: [Double] = [
        0.9, 1.8, 2.8, 3.5, 4.4, 5.4, 6.6, 7.9, 9.2, 10.6, 12.3, 13.8, 15.2, 16.7, 18.1, 19.3,
        20.6, 21.8, 22.7, 23.6, 24,
    ]
    /// Table A.9 (RNS): specific-loudness ranges (sone/Bark) for the choice of the upper slope.
    static let slopeRangeLimits: [Double] = [
        21.5, 18, 15.1, 11.5, 9, 6.1, 4.4, 3.1, 2.13, 1.36, 0.82, 0.42, 0.30, 0.22, 0.15, 0.10, 0.035, 0,
    ]
    /// Table A.9 (USL): steepness of the upper slopes (sone/Bark per Bark), per specific-loudness
    /// range (rows) and critical band (columns 1–8; bands above the 8th use the 8th column).
    static let upperSlopes: [[Double]] = [
        [13, 8.2, 6.3, 5.5, 5.5, 5.5, 5.5, 5.5],
        [9, 7.5, 6, 5.1, 4.5, 4.5, 4.5, 4.5],
        [7.8, 6.7, 5.6, 4.9, 4.4, 3.9, 3.9, 3.9],
        [6.2, 5.4, 4.6, 4.0, 3.5, 3.2, 3.2, 3.2],
        [4.5, 3.8, 3.6, 3.2, 2.9, 2.7, 2.7, 2.7],
        [3.7, 3.0, 2.8, 2.35, 2.2, 2.2, 2.2, 2.2],
        [2.9, 2.3, 2.1, 1.9, 1.8, 1.7, 1.7, 1.7],
        [2.4, 1.7, 1.5, 1.35, 1.3, 1.3, 1.3, 1.3],
        [1.95, 1.45, 1.3, 1.15, 1.1, 1.1, 1.1, 1.1],
        [1.5, 1.2, 0.94, 0.86, 0.82, 0.82, 0.82, 0.82],
        [0.72, 0.67, 0.64, 0.63, 0.62, 0.62, 0.62, 0.62],
        [0.59, 0.53, 0.51, 0.50, 0.42, 0.42, 0.42, 0.42],
        [0.40, 0.33, 0.26, 0.24, 0.24, 0.22, 0.22, 0.22],
        [0.27, 0.21, 0.20, 0.18, 0.17, 0.17, 0.17, 0.17],
        [0.16, 0.15, 0.14, 0.12, 0.11, 0.11, 0.11, 0.11],
        [0.12, 0.11, 0.10, 0.08, 0.08, 0.08, 0.08, 0.08],
        [0.09, 0.08, 0.07, 0.06, 0.06, 0.06, 0.06, 0.05],
        [0.06, 0.05, 0.03, 0.02, 0.02, 0.02, 0.02, 0.02],
    ]

    /// `upperSlopes` row after row (8 columns per row), for fast lookup.
    static let upperSlopesFlat: [Double] = upperSlopes.flatMap { $0 }

    /// Reference intensity for band levels: (20 µPa)² in Pa².
    static let referenceIntensity = 4e-10
    /// Added to band intensities (Pa²) before taking the logarithm, as the standard does.
    static let tinyIntensity = 1e-12
}

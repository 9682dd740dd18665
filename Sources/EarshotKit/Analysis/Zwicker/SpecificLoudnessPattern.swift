import Foundation

/// The specific loudness pattern N′(z) and total loudness from the 21 core loudness values
/// (ISO 532-1:2017, 5.6 and A.8–A.9): each approximated critical band holds its core loudness
/// (upper limits ZUP, Table A.8) unless the upper slope of a louder band below it reaches
/// higher; the slopes fall with the steepness of Table A.9, chosen by the specific-loudness
/// range (RNS) and the critical band. Total loudness is the exact integral of that piecewise-
/// linear pattern; N′ is sampled at z = 0.1, 0.2, …, 24 Bark.
enum SpecificLoudnessPattern {
    /// Total loudness (sone) of 21 core loudness values; writes the 240 samples of N′(z)
    /// (sone/Bark) into `specific` when it is given.
    static func compute(coreLoudness core: UnsafePointer<Double>,
                        specific: UnsafeMutablePointer<Double>?) -> Double {
        ISO532Tables.criticalBandUpperLimitsBark.withUnsafeBufferPointer { zup in
            ISO532Tables.slopeRangeLimits.withUnsafeBufferPointer { rns in
                ISO532Tables.upperSlopesFlat.withUnsafeBufferPointer { usl in
                    pattern(core: core, specific: specific, zup: zup, rns: rns, usl: usl)
                }
            }
        }
    }

    private static func pattern(core: UnsafePointer<Double>, specific: UnsafeMutablePointer<Double>?,
                                zup: UnsafeBufferPointer<Double>, rns: UnsafeBufferPointer<Double>,
                                usl: UnsafeBufferPointer<Double>) -> Double {
        let lastRange = rns.count - 1
        let steps = ISO532Tables.barkStepCount
        var total = 0.0
        var z1 = 0.0, n1 = 0.0
        var nextStep = 0          // index of the next N′ sample, at z = 0.1·(nextStep + 1)
        var range = lastRange     // row of the slope table in use
        func stepBark(_ i: Int) -> Double { Double(i + 1) * ISO532Tables.barkStep }

        for band in 0..<ISO532Tables.coreBandCount {
            // The reference program widens each limit by 10⁻⁴ Bark so that the 0.1-Bark sample
            // on a band edge belongs to the band below it.
            let upper = zup[band] + 0.0001
            let column = min(max(band - 1, 0), 7)
            let nm = core[band]
            var guardCount = 0
            repeat {
                var z2: Double, n2: Double
                if n1 <= nm {
                    // Band not masked by the slope from below: flat at its core loudness.
                    if n1 < nm {
                        range = 0
                        while range < lastRange && rns[range] > nm { range += 1 }
                    }
                    z2 = upper
                    n2 = nm
                    total += n2 * (z2 - z1)
                    if let specific {
                        while nextStep < steps && stepBark(nextStep) <= z2 {
                            specific[nextStep] = n2
                            nextStep += 1
                        }
                    }
                } else {
                    // Upper slope of the louder band below, down to the range limit or this
                    // band's core loudness, whichever is higher, or to the band's upper limit.
                    let slope = usl[range * 8 + column]
                    n2 = max(rns[range], nm)
                    var dz = (n1 - n2) / slope
                    z2 = z1 + dz
                    if z2 > upper {
                        z2 = upper
                        dz = z2 - z1
                        n2 = n1 - dz * slope
                    }
                    total += dz * (n1 + n2) / 2
                    if let specific {
                        while nextStep < steps && stepBark(nextStep) <= z2 {
                            specific[nextStep] = n1 - (stepBark(nextStep) - z1) * slope
                            nextStep += 1
                        }
                    }
                }
                if n2 <= rns[range] && range < lastRange { range += 1 }
                z1 = z2
                n1 = n2
                guardCount += 1
            } while z1 < upper && guardCount < 64
        }
        if let specific {
            while nextStep < steps { specific[nextStep] = 0; nextStep += 1 }
        }
        return max(total, 0)
    }
}

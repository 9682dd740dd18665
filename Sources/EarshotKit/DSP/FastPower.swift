/// x^p for 0 < x ≤ 1 and 0 < p ≤ 1 (a compressor's gain law, (threshold / level)^(1 − 1/ratio)),
/// as 2^(p·log2 x) with short series instead of libm's `pow`, for loops that need it every
/// sample. Relative error below 1e-8 (tested against `pow`).
///
/// log2: x = m·2^k with m in [√½, √2); ln m = 2·atanh(t), t = (m − 1)/(m + 1), |t| ≤ 0.172,
/// summed to t⁹. exp2: y = n + f with n the nearest integer, e^(f·ln 2) by its Taylor series
/// to the 7th power (|f·ln 2| ≤ 0.347), then scaled by 2^n.
enum FastPower {
    @inline(__always)
    static func power(_ x: Double, _ p: Double) -> Double {
        exp2(p * log2(x))
    }

    @inline(__always)
    static func log2(_ x: Double) -> Double {
        var k = Double(x.exponent)
        var m = x.significand
        if m > 1.4142135623730951 { m *= 0.5; k += 1 }
        let t = (m - 1) / (m + 1), t2 = t * t
        let lnM = 2 * t * (1 + t2 * (1.0 / 3 + t2 * (1.0 / 5 + t2 * (1.0 / 7 + t2 * (1.0 / 9)))))
        return k + lnM * 1.4426950408889634
    }

    @inline(__always)
    static func exp2(_ y: Double) -> Double {
        guard y > -1000 else { return 0 }
        let n = y.rounded()
        let z = (y - n) * 0.6931471805599453
        let e = 1 + z * (1 + z * (1.0 / 2 + z * (1.0 / 6 + z * (1.0 / 24 + z * (1.0 / 120 + z * (1.0 / 720 + z * (1.0 / 5040)))))))
        return Double(sign: .plus, exponent: Int(n), significand: e)
    }
}

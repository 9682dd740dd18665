import Foundation

/// The one-third-octave filter bank of ISO 532-1:2017 (6.3 and A.2) at 48 kHz: 28 bands from
/// 25 Hz to 12.5 kHz, each a cascade of three second-order sections with the standard's
/// coefficients, followed by squaring.
///
/// For the time-varying method each band's squared output is smoothed by three first-order
/// low-passes in series (time constant 2/(3·fc), at most 2/3 ms above 1 kHz) and sampled every
/// 24th input sample (2 kHz, 0.5 ms), starting with the first sample. For the stationary method
/// the squared output is averaged over the signal instead.
///
/// The bands are filtered four at a time in SIMD lanes (7 groups of 4), in double precision:
/// the lowest bands have poles within 10⁻³ of z = 1. State carries across calls, so a long
/// signal can be fed in blocks.
final class ThirdOctaveFilterBank {
    static let sampleRate = 48_000
    /// Input samples per output frame of the time-varying method (48 kHz → 2 kHz).
    static let decimation = 24
    static let groupCount = 7

    private struct Coefficients {
        /// Denominator coefficients a1, a2 of the three sections (numerators are fixed).
        var a11, a12, a21, a22, a31, a32: SIMD4<Double>
        /// Pole of the smoothing low-passes, e^(−1/(fs·τ)).
        var smoothingPole: SIMD4<Double>
        /// Square of the cascade gain, applied to the squared output.
        var gainSquared: SIMD4<Double>
    }

    private struct State {
        var s11 = SIMD4<Double>(), s12 = SIMD4<Double>()
        var s21 = SIMD4<Double>(), s22 = SIMD4<Double>()
        var s31 = SIMD4<Double>(), s32 = SIMD4<Double>()
        var m1 = SIMD4<Double>(), m2 = SIMD4<Double>(), m3 = SIMD4<Double>()
        var sumOfSquares = SIMD4<Double>()
    }

    private let coefficients: [Coefficients]
    private var states: [State]
    /// Input samples seen so far (decides which samples are output frames).
    private(set) var samplesSeen = 0
    /// Samples that went into the stationary mean square.
    private(set) var samplesAveraged = 0

    init() {
        var groups: [Coefficients] = []
        for g in 0..<Self.groupCount {
            func lanes(_ f: (Int) -> Double) -> SIMD4<Double> {
                SIMD4(f(4 * g), f(4 * g + 1), f(4 * g + 2), f(4 * g + 3))
            }
            let d = ISO532Tables.filterDenominatorDifferences
            groups.append(Coefficients(
                a11: lanes { -2 - d[$0][0].0 }, a12: lanes { 1 - d[$0][0].1 },
                a21: lanes { -2 - d[$0][1].0 }, a22: lanes { 1 - d[$0][1].1 },
                a31: lanes { -2 - d[$0][2].0 }, a32: lanes { 1 - d[$0][2].1 },
                smoothingPole: lanes { band in
                    let fc = ISO532Tables.exactCentreFrequenciesHz[band]
                    let tau = fc <= 1000 ? 2 / (3 * fc) : 2 / (3 * 1000.0)
                    return exp(-1 / (Double(Self.sampleRate) * tau))
                },
                gainSquared: lanes { ISO532Tables.filterGains[$0] * ISO532Tables.filterGains[$0] }))
        }
        coefficients = groups
        states = Array(repeating: State(), count: Self.groupCount)
    }

    /// Number of output frames `smoothedIntensities` will write for the next `count` samples.
    func frameCount(forNext count: Int) -> Int {
        let d = Self.decimation
        let firstOffset = (d - samplesSeen % d) % d
        return count > firstOffset ? (count - firstOffset + d - 1) / d : 0
    }

    /// Time-varying method: filters `count` samples (pascals at 48 kHz), squares, smooths, and
    /// writes the band intensities (Pa²) of every 24th sample into `output`, 28 per frame
    /// (band-major within a frame). Returns the number of frames written
    /// (`frameCount(forNext: count)`).
    @discardableResult
    func smoothedIntensities(_ input: UnsafePointer<Float>, count: Int,
                             into output: UnsafeMutablePointer<Double>) -> Int {
        let d = Self.decimation
        let firstOffset = (d - samplesSeen % d) % d
        var frames = 0
        for g in 0..<Self.groupCount {
            let c = coefficients[g]
            var s = states[g]
            let pole = c.smoothingPole
            let one = SIMD4<Double>(repeating: 1)
            let gain = one - pole
            var n = 0
            var nextFrameSample = firstOffset
            var frame = 0
            while n < count {
                let end = min(count, nextFrameSample + 1)
                var i = n
                while i < end {
                    let x = SIMD4<Double>(repeating: Double(input[i]))
                    // Section 1, numerator [1, 2, 1] (transposed direct form II).
                    let y1 = x + s.s11
                    s.s11 = x + x - c.a11 * y1 + s.s12
                    s.s12 = x - c.a12 * y1
                    // Section 2, numerator [1, 0, −1].
                    let y2 = y1 + s.s21
                    s.s21 = s.s22 - c.a21 * y2
                    s.s22 = -y1 - c.a22 * y2
                    // Section 3, numerator [1, −2, 1].
                    let y3 = y2 + s.s31
                    s.s31 = s.s32 - (y2 + y2) - c.a31 * y3
                    s.s32 = y2 - c.a32 * y3
                    let e = y3 * y3
                    s.m1 = gain * e + pole * s.m1
                    s.m2 = gain * s.m1 + pole * s.m2
                    s.m3 = gain * s.m2 + pole * s.m3
                    i += 1
                }
                if end == nextFrameSample + 1 {
                    let v = s.m3 * c.gainSquared
                    let o = output + frame * ISO532Tables.bandCount + 4 * g
                    o[0] = v[0]; o[1] = v[1]; o[2] = v[2]; o[3] = v[3]
                    frame += 1
                    nextFrameSample += d
                }
                n = end
            }
            states[g] = s
            frames = frame
        }
        samplesSeen += count
        return frames
    }

    /// Stationary method: filters `count` samples and adds their squared outputs to the running
    /// mean square; the first `skip` of them only run through the filters (transient).
    func accumulateMeanSquare(_ input: UnsafePointer<Float>, count: Int, skip: Int = 0) {
        for g in 0..<Self.groupCount {
            let c = coefficients[g]
            var s = states[g]
            var sum = SIMD4<Double>()
            for i in 0..<count {
                let x = SIMD4<Double>(repeating: Double(input[i]))
                let y1 = x + s.s11
                s.s11 = x + x - c.a11 * y1 + s.s12
                s.s12 = x - c.a12 * y1
                let y2 = y1 + s.s21
                s.s21 = s.s22 - c.a21 * y2
                s.s22 = -y1 - c.a22 * y2
                let y3 = y2 + s.s31
                s.s31 = s.s32 - (y2 + y2) - c.a31 * y3
                s.s32 = y2 - c.a32 * y3
                if i >= skip { sum += y3 * y3 }
            }
            s.sumOfSquares += sum
            states[g] = s
        }
        samplesSeen += count
        samplesAveraged += max(0, count - skip)
    }

    /// Mean square (Pa²) of each band's output over the accumulated samples, 28 values.
    func meanSquareIntensities() -> [Double] {
        var out = [Double](repeating: 0, count: ISO532Tables.bandCount)
        let n = Double(max(samplesAveraged, 1))
        for g in 0..<Self.groupCount {
            let v = states[g].sumOfSquares * coefficients[g].gainSquared / n
            for l in 0..<4 { out[4 * g + l] = v[l] }
        }
        return out
    }

    /// Band level (dB re 20 µPa) of a band intensity (Pa²), with the standard's tiny offset.
    @inline(__always)
    static func levelDB(intensity: Double) -> Double {
        10 * log10((intensity + ISO532Tables.tinyIntensity) / ISO532Tables.referenceIntensity)
    }
}

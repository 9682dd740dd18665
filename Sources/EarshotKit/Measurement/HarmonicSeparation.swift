import Foundation

/// The fundamental and harmonic magnitude responses of a device, cut out of one deconvolved
/// sweep (Farina 2000, section 3): the n-th harmonic's impulse response arrives L·ln(n) before
/// the linear one, and each is windowed out on its own.
///
/// Frequency axis: the n-th harmonic impulse response, transformed, gives the harmonic's
/// amplitude at its *output* frequency F = n·f, for the excitation frequency f = F/n (the
/// harmonic sweeps through F as fast, relative to F, as the excitation sweeps through f, so the
/// inverse filter weights both alike). The harmonic's level relative to the fundamental at
/// excitation frequency f is therefore |Hn(n·f)| / |H1(f)|.
///
/// Levels are power averages over a fractional-octave band (`smoothingOctaves` wide around f
/// for H1, the same relative band around n·f for Hn). With the deconvolution of noise alone cut
/// the same way, its power is subtracted from every response (distortion below the noise is
/// then reported as absent rather than as the noise's level).
public struct HarmonicResponses: Sendable {
    public let sampleRate: Int
    public let fftSize: Int
    /// The sweep's excitation range.
    public let startHz: Double
    public let endHz: Double
    /// |H1(f)| on the FFT bins.
    public let fundamental: [Double]
    /// Harmonic order → |Hn(F)| on the bins of the output frequency F.
    public let harmonics: [Int: [Double]]
    /// The same windows cut out of the deconvolution of noise alone, and the power factor that
    /// scales that noise to the noise left in the responses (1/k after averaging k sweeps).
    public let noiseFundamental: [Double]?
    public let noiseHarmonics: [Int: [Double]]?
    public let noisePowerScale: Double

    public var orders: [Int] { harmonics.keys.sorted() }

    /// Mean power of a magnitude response over a band `octaves` wide around `centreHz`.
    func bandPower(_ magnitude: [Double], centreHz: Double, octaves: Double) -> Double {
        let binHz = Double(sampleRate) / Double(fftSize)
        let lo = Int((centreHz * pow(2, -octaves / 2) / binHz).rounded(.up))
        let hi = Int((centreHz * pow(2, octaves / 2) / binHz).rounded(.down))
        if hi < lo {
            let k = min(max(Int((centreHz / binHz).rounded()), 0), magnitude.count - 1)
            return magnitude[k] * magnitude[k]
        }
        var sum = 0.0
        let a = max(lo, 0), b = min(hi, magnitude.count - 1)
        guard b >= a else { return 0 }
        for k in a...b { sum += magnitude[k] * magnitude[k] }
        return sum / Double(b - a + 1)
    }

    /// Power of the fundamental at excitation frequency `f` (noise removed when known).
    public func fundamentalPower(atHz f: Double, smoothingOctaves: Double = 1.0 / 6) -> Double {
        var p = bandPower(fundamental, centreHz: f, octaves: smoothingOctaves)
        if let noise = noiseFundamental { p -= noisePowerScale * bandPower(noise, centreHz: f, octaves: smoothingOctaves) }
        return max(p, 0)
    }

    /// Power of harmonic `order` caused by excitation at `f` (read at n·f; noise removed when known).
    public func harmonicPower(order: Int, excitationHz f: Double, smoothingOctaves: Double = 1.0 / 6) -> Double {
        guard let h = harmonics[order] else { return 0 }
        let output = Double(order) * f
        var p = bandPower(h, centreHz: output, octaves: smoothingOctaves)
        if let noise = noiseHarmonics?[order] { p -= noisePowerScale * bandPower(noise, centreHz: output, octaves: smoothingOctaves) }
        return max(p, 0)
    }

    /// The n-th harmonic re the fundamental at excitation frequency `f`, dB (−∞ when it is
    /// entirely below the noise).
    public func harmonicLevelDB(order: Int, excitationHz f: Double, smoothingOctaves: Double = 1.0 / 6) -> Double {
        let p1 = fundamentalPower(atHz: f, smoothingOctaves: smoothingOctaves)
        let pn = harmonicPower(order: order, excitationHz: f, smoothingOctaves: smoothingOctaves)
        guard p1 > 0 else { return .nan }
        return 10 * log10(pn / p1)
    }

    /// The excitation range over which harmonic `order` was measured: the unfaded part of the
    /// sweep whose n-th harmonic still falls inside the sweep's band.
    public func excitationRangeHz(order: Int, fadeInOctaves: Double = 0.5) -> ClosedRange<Double> {
        let lo = startHz * pow(2, fadeInOctaves)
        let hi = max(lo, min(endHz, Double(sampleRate) / 2) / Double(max(order, 1)) * pow(2, -1.0 / 12))
        return lo...hi
    }

    /// Total harmonic distortion from the given orders over an excitation band: the power mean,
    /// over a 1/12-octave grid of excitation frequencies in the band, of
    /// (Σn |Hn(n·f)|²) / |H1(f)|², as a ratio (0.1 = 10 %). Orders whose harmonic leaves the
    /// sweep's band at a grid frequency are left out there.
    public func totalHarmonicDistortion(bandHz: ClosedRange<Double>, orders: [Int]? = nil) -> Double {
        let use = orders ?? self.orders
        var f = bandHz.lowerBound
        var sum = 0.0, count = 0
        while f <= bandHz.upperBound * 1.0001 {
            let p1 = fundamentalPower(atHz: f)
            if p1 > 0 {
                var ph = 0.0
                for n in use where Double(n) * f <= endHz { ph += harmonicPower(order: n, excitationHz: f) }
                sum += ph / p1
                count += 1
            }
            f *= pow(2, 1.0 / 12)
        }
        return count > 0 ? (sum / Double(count)).squareRoot() : .nan
    }
}

/// Cuts the fundamental and harmonic impulse responses out of a deconvolution.
enum HarmonicSeparation {
    /// The windows used for order `n`: half the way to the neighbouring harmonic on each side
    /// (order n+1 arrives L·ln((n+1)/n) earlier, order n−1 L·ln(n/(n−1)) later). The fundamental
    /// keeps `linearPostSamples` after its arrival.
    public static func window(order n: Int, sweep: ExponentialSweep, linearPostSamples: Int) -> IRWindow {
        let fs = Double(sweep.sampleRate), l = sweep.rateSeconds
        let pre = Int((0.5 * l * log(Double(n + 1) / Double(n)) * fs).rounded(.down))
        if n == 1 { return IRWindow(preSamples: pre, postSamples: linearPostSamples, fadeInFraction: 0.5, fadeOutFraction: 0.25) }
        let post = Int((0.5 * l * log(Double(n) / Double(n - 1)) * fs).rounded(.down))
        return IRWindow(preSamples: pre, postSamples: post, fadeInFraction: 0.5, fadeOutFraction: 0.5)
    }

    /// - Parameters:
    ///   - deconvolution: the deconvolved response (unit sweep amplitude).
    ///   - linearArrival: index of the linear impulse response's main peak in it.
    ///   - noise: the deconvolution of noise alone (same scale), cut at the same places.
    ///   - noisePowerScale: what that noise's power is multiplied by before it is subtracted.
    public static func separate(deconvolution: [Float], linearArrival: Int, sweep: ExponentialSweep,
                                orders: [Int] = [2, 3], linearPostSamples: Int,
                                noise: [Float]? = nil, noisePowerScale: Double = 1) -> HarmonicResponses {
        let windows = [1: window(order: 1, sweep: sweep, linearPostSamples: linearPostSamples)]
            .merging(orders.map { ($0, window(order: $0, sweep: sweep, linearPostSamples: linearPostSamples)) }) { a, _ in a }
        let longest = windows.values.map { $0.preSamples + $0.postSamples }.max() ?? 1
        let fftSize = max(32768, (2 * longest).nextPowerOfTwo)
        func arrival(_ n: Int) -> Int { linearArrival - Int(sweep.harmonicAdvanceSamples(order: n).rounded()) }
        func cut(_ signal: [Float], _ n: Int) -> [Double] { windows[n]!.cut(signal, at: arrival(n)).magnitude(fftSize: fftSize) }
        var harmonics: [Int: [Double]] = [:], noiseHarmonics: [Int: [Double]]? = noise == nil ? nil : [:]
        for n in orders {
            harmonics[n] = cut(deconvolution, n)
            if let noise { noiseHarmonics?[n] = cut(noise, n) }
        }
        return HarmonicResponses(
            sampleRate: sweep.sampleRate, fftSize: fftSize, startHz: sweep.startHz, endHz: sweep.endHz,
            fundamental: cut(deconvolution, 1), harmonics: harmonics,
            noiseFundamental: noise.map { cut($0, 1) }, noiseHarmonics: noiseHarmonics, noisePowerScale: noisePowerScale)
    }
}

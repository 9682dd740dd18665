import Foundation

/// One one-third octave band with base-ten exact edges (IEC 61260-1:2014 / ANSI S1.11-2004):
/// exact mid-band frequency f_m = 1000·10^(n/10) Hz, edges f_m·10^(∓1/20).
public struct ThirdOctaveBand: Sendable, Equatable {
    /// Band number relative to 1 kHz (0 is the 1 kHz band).
    public let index: Int
    /// Nominal mid-band frequency (160, 200, 250, …), Hz.
    public let nominalCenterHz: Double
    public var exactCenterHz: Double { 1000 * pow(10, Double(index) / 10) }
    public var lowerEdgeHz: Double { exactCenterHz * pow(10, -0.05) }
    public var upperEdgeHz: Double { exactCenterHz * pow(10, 0.05) }
    public var bandwidthHz: Double { upperEdgeHz - lowerEdgeHz }

    public init(index: Int, nominalCenterHz: Double) {
        self.index = index
        self.nominalCenterHz = nominalCenterHz
    }

    /// The 18 bands of the ANSI S3.5-1997 one-third octave procedure (Table 3), 160 Hz-8 kHz.
    public static let siiBands: [ThirdOctaveBand] = zip(-8...9, [
        160.0, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000, 2500, 3150, 4000, 5000, 6300, 8000,
    ]).map { ThirdOctaveBand(index: $0, nominalCenterHz: $1) }
}

/// One-third octave band levels of a pressure signal (pascals) by FFT power summation within
/// the exact band edges, averaged over Hann-windowed frames with 50 % overlap (Welch's method).
///
/// Each FFT bin k stands for the frequency interval [(k − ½)·Δf, (k + ½)·Δf]; a bin that
/// straddles a band edge contributes in proportion to its overlap, so band powers of a broadband
/// signal add up to its mean square (Parseval). The frame power is normalised by the window's
/// energy, so a stationary signal's band mean squares do not depend on the window.
///
/// Not thread-safe (it owns a `RealFFT`): make one per thread.
final class ThirdOctaveBandAnalyzer {
    public let sampleRate: Double
    /// Samples per analysis frame (the FFT size).
    public let frameLength: Int
    public let bands: [ThirdOctaveBand]
    /// Levels below this are reported as this value, dB SPL (digital silence has no level).
    public static let floorDBSPL = -150.0
    /// Reference pressure, 20 µPa.
    public static let referencePressurePa = 20e-6

    private let fft: RealFFT
    private let fullWindow: [Float]
    private let fullWindowEnergy: Double
    /// Work buffer: the one-sided power of each bin of the current frame.
    private var power: [Double]
    /// For each band, the bins it covers and each bin's share.
    private let bandBins: [[(bin: Int, weight: Double)]]

    /// - Parameters:
    ///   - sampleRate: Hz; half of it must reach the top band's upper edge (17.8 kHz for 8 kHz).
    ///   - bands: the bands to measure; the 18 SII bands by default.
    ///   - frameLength: FFT size (even); by default the power of two giving a bin spacing of at
    ///     most 6 Hz (8192 at 48 kHz), which resolves the 37 Hz wide 160 Hz band.
    public init(sampleRate: Double, bands: [ThirdOctaveBand] = ThirdOctaveBand.siiBands,
                frameLength: Int? = nil) throws {
        guard sampleRate.isFinite, sampleRate > 0 else {
            throw EarshotError.badInput(location: "sample rate", "\(sampleRate) Hz is not a sample rate")
        }
        guard let top = bands.map(\.upperEdgeHz).max() else {
            throw EarshotError.badInput(location: "bands", "no bands to measure")
        }
        guard sampleRate / 2 >= top else {
            throw EarshotError.badInput(location: "sample rate",
                "\(Int(sampleRate)) Hz cannot measure bands up to \(Int(top.rounded())) Hz; "
                + "at least \(Int((2 * top).rounded(.up))) Hz is needed (resample to 48 kHz)")
        }
        let length = frameLength ?? Int((sampleRate / 6).rounded(.up)).nextPowerOfTwo
        guard length >= 16, length % 2 == 0 else {
            throw EarshotError.badInput(location: "frame length", "\(length) samples; an even count of at least 16 is needed")
        }
        self.sampleRate = sampleRate
        self.frameLength = length
        self.bands = bands
        fft = RealFFT(size: length)
        fullWindow = Self.hann(length)
        fullWindowEnergy = Self.energy(fullWindow)
        power = [Double](repeating: 0, count: length / 2 + 1)
        let binHz = sampleRate / Double(length)
        let lastBin = length / 2
        bandBins = bands.map { band in
            var bins: [(Int, Double)] = []
            let first = max(0, Int((band.lowerEdgeHz / binHz - 0.5).rounded(.down)))
            let last = min(lastBin, Int((band.upperEdgeHz / binHz + 0.5).rounded(.up)))
            for k in first...last {
                let lo = max(band.lowerEdgeHz, (Double(k) - 0.5) * binHz)
                let hi = min(band.upperEdgeHz, (Double(k) + 0.5) * binHz)
                if hi > lo { bins.append((k, (hi - lo) / binHz)) }
            }
            return bins
        }
    }

    /// Periodic Hann window of `count` samples.
    static func hann(_ count: Int) -> [Float] {
        (0..<count).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(count))) }
    }

    /// Σ w², accumulated in double precision.
    static func energy(_ window: [Float]) -> Double {
        window.reduce(0.0) { $0 + Double($1) * Double($1) }
    }

    /// Mean-square pressure (Pa²) in each band for one frame of at most `frameLength` samples
    /// (shorter frames are windowed at their own length and zero-padded).
    public func bandMeanSquares(frame: ArraySlice<Float>) -> [Double] {
        let count = min(frame.count, frameLength)
        guard count > 0 else { return [Double](repeating: 0, count: bands.count) }
        let window = count == frameLength ? fullWindow : Self.hann(count)
        let windowEnergy = count == frameLength ? fullWindowEnergy : Self.energy(window)
        let real = fft.real
        frame.withUnsafeBufferPointer { x in
            window.withUnsafeBufferPointer { w in
                for n in 0..<count { real[n] = x[n] * w[n] }
            }
        }
        if count < frameLength { (fft.real + count).initialize(repeating: 0, count: frameLength - count) }
        fft.forward()
        // Parseval: Σ_k |X_k|² over all N bins = N·Σ (x·w)²; one-sided bins count twice except
        // DC and Nyquist. Dividing by N·Σw² gives the mean square of the windowed frame.
        let s = fft.spectrumFloats
        let scale = 1 / (Double(frameLength) * windowEnergy)
        let nyquist = frameLength / 2
        // One-sided power of every bin once (bands share edge bins), then the weighted band sums.
        return power.withUnsafeMutableBufferPointer { p in
            for k in 0...nyquist {
                let re = Double(s[2 * k]), im = Double(s[2 * k + 1])
                p[k] = (k == 0 || k == nyquist ? 1.0 : 2.0) * (re * re + im * im)
            }
            return bandBins.map { bins in
                var sum = 0.0
                for (k, weight) in bins { sum += weight * p[k] }
                return sum * scale
            }
        }
    }

    /// Band mean squares (Pa²) of a whole signal: the average over frames with 50 % overlap.
    /// A signal shorter than one frame is analysed as one frame; a tail that the hop does not
    /// reach is covered by one more frame aligned to the signal's end.
    public func bandMeanSquares(pressurePa signal: [Float]) throws -> [Double] {
        guard !signal.isEmpty else {
            throw EarshotError.badInput(location: "signal", "no samples to measure")
        }
        if signal.count <= frameLength { return bandMeanSquares(frame: signal[...]) }
        let hop = frameLength / 2
        var starts = Array(stride(from: 0, through: signal.count - frameLength, by: hop))
        if starts.last! + frameLength < signal.count { starts.append(signal.count - frameLength) }
        var total = [Double](repeating: 0, count: bands.count)
        for start in starts {
            let frame = bandMeanSquares(frame: signal[start..<(start + frameLength)])
            for b in 0..<total.count { total[b] += frame[b] }
        }
        return total.map { $0 / Double(starts.count) }
    }

    /// Band levels in dB SPL (re 20 µPa) of a pressure signal in pascals, floored at `floorDBSPL`.
    public func bandLevelsDBSPL(pressurePa signal: [Float]) throws -> [Double] {
        try bandMeanSquares(pressurePa: signal).map(Self.levelDBSPL(meanSquarePa2:))
    }

    /// 10·log10(mean square / (20 µPa)²), floored at `floorDBSPL`.
    public static func levelDBSPL(meanSquarePa2: Double) -> Double {
        let p0 = referencePressurePa * referencePressurePa
        guard meanSquarePa2 > 0 else { return floorDBSPL }
        return max(floorDBSPL, 10 * log10(meanSquarePa2 / p0))
    }
}

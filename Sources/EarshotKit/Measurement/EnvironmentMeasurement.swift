import Foundation

/// A listening environment measured with a calibrated microphone (`earshot measure
/// environment`): the recording, its A-weighted equivalent level, its third-octave spectrum
/// and level statistics.
///
/// - LAeq: A-weighting (IEC 61672-1) applied in the frequency domain to the whole recording.
/// - Spectrum: third-octave band levels (IEC 61260-1 base-ten bands, 25 Hz–16 kHz) by Welch
///   averaging of Hann-windowed 8192-point frames with 50 % overlap (`ThirdOctaveBandAnalyzer`).
/// - Statistics: the A-weighted level in consecutive 125 ms stretches (LAeq,125ms, about the
///   IEC 61672 "fast" time constant); LAmax/LAmin are their extremes and LA10/LA50/LA90 the levels
///   exceeded 10/50/90 % of the time (ISO 1996-1 percentile levels).
public struct EnvironmentMeasurement: Sendable {
    public var samples: [Float]
    public var sampleRate: Int
    public var calibration: MicrophoneCalibration
    public var levelDBA: Double
    public var levelDBZ: Double
    /// dB SPL at each nominal third-octave centre 25 Hz–16 kHz.
    public var spectrum: [BandValue]
    public var maxDBA: Double
    public var minDBA: Double
    public var l10DBA: Double
    public var l50DBA: Double
    public var l90DBA: Double
    public var peakDBFS: Double

    public var durationSeconds: Double { Double(samples.count) / Double(sampleRate) }
}

public enum EnvironmentAnalysis {
    /// The 29 third-octave bands 25 Hz–16 kHz (band numbers −16…12 re 1 kHz).
    public static let bands: [ThirdOctaveBand] = ThirdOctave.nominalCentresHz.map {
        ThirdOctaveBand(index: Int((10 * log10($0 / 1000)).rounded()), nominalCenterHz: $0)
    }

    public static func analyse(recording: [Float], sampleRate: Int, calibration: MicrophoneCalibration,
                               source: String = "the source") throws -> EnvironmentMeasurement {
        guard recording.count >= sampleRate else {
            throw EarshotError.usage("record at least one second of the environment (--seconds)")
        }
        let peak = Double(recording.lazy.map(abs).max() ?? 0)
        guard peak > 0 else {
            throw EarshotError(.environment, "\(source) recorded digital silence: is the microphone connected and unmuted, and its input gain up?")
        }
        if Float(peak) >= MeasurementAnalysis.clipThreshold {
            throw EarshotError(.environment, String(format: "the recording from %@ clipped (peak %.2f dBFS): lower the microphone's input gain — and measure its calibration again at that gain", source, 20 * log10(peak)))
        }
        let pascalsPerUnit = Float(2.0.squareRoot() * 20e-6 * pow(10, calibration.fullScaleDBSPL / 20))
        let pressure = recording.map { $0 * pascalsPerUnit }
        let analyzer = try ThirdOctaveBandAnalyzer(sampleRate: Double(sampleRate), bands: bands)
        let levels = try analyzer.bandLevelsDBSPL(pressurePa: pressure)
        let weighted = aWeighted(pressure, sampleRate: sampleRate)
        func dB(_ meanSquare: Double) -> Double { ThirdOctaveBandAnalyzer.levelDBSPL(meanSquarePa2: meanSquare) }
        let frame = sampleRate / 8
        var shortTerm: [Double] = []
        var i = 0
        while i + frame <= weighted.count {
            var sum = 0.0
            for j in i..<(i + frame) { sum += Double(weighted[j]) * Double(weighted[j]) }
            shortTerm.append(dB(sum / Double(frame)))
            i += frame
        }
        let sorted = shortTerm.sorted()
        func exceeded(_ percent: Double) -> Double {
            // The level exceeded `percent` % of the time: the (100 − percent)th percentile.
            let rank = (1 - percent / 100) * Double(sorted.count - 1)
            let lo = Int(rank.rounded(.down)), hi = Int(rank.rounded(.up))
            return sorted[lo] + (rank - Double(lo)) * (sorted[hi] - sorted[lo])
        }
        let meanSquareZ = pressure.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(pressure.count)
        let meanSquareA = weighted.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(weighted.count)
        return EnvironmentMeasurement(
            samples: recording, sampleRate: sampleRate, calibration: calibration,
            levelDBA: dB(meanSquareA), levelDBZ: dB(meanSquareZ),
            spectrum: zip(ThirdOctave.nominalCentresHz, levels).map { BandValue(frequencyHz: $0, levelDB: $1) },
            maxDBA: sorted.last!, minDBA: sorted.first!, l10DBA: exceeded(10), l50DBA: exceeded(50), l90DBA: exceeded(90),
            peakDBFS: 20 * log10(peak))
    }

    /// A-weighting applied in the frequency domain (zero-padded, so it does not wrap).
    static func aWeighted(_ x: [Float], sampleRate: Int) -> [Float] {
        let n = (x.count + sampleRate / 10).nextPowerOfTwo
        let fft = RealFFT(size: n)
        fft.forwardPadded(x)
        let s = fft.spectrumFloats
        let binHz = Double(sampleRate) / Double(n)
        for k in 0..<fft.binCount {
            let g = Float(k == 0 ? 0 : ThirdOctave.aWeightingPower(frequencyHz: Double(k) * binHz).squareRoot())
            s[2 * k] *= g
            s[2 * k + 1] *= g
        }
        fft.inverse()
        let scale = 1 / Float(n)
        return (0..<x.count).map { fft.real[$0] * scale }
    }
}

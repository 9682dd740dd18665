import Foundation

/// How recorded sample values relate to sound pressure at the measurement microphone: the
/// dB SPL that a recorded full-scale sine (peak 1.0) would be. Found one of two ways:
///
/// - **SPL meter**: Earshot plays a 1 kHz tone through the device; a sound level meter held at
///   the microphone reads its level, and the same tone is recorded: calibration = reading −
///   recorded level (dB re full-scale sine).
/// - **Calibrator file**: a recording, made with the same microphone and input gain, of an
///   acoustic calibrator (IEC 60942; 94 dB SPL at 1 kHz, or 114 dB): calibration = the
///   calibrator's level − the recorded level.
///
/// With it every recorded level becomes dB SPL: the device's sensitivity from the recorded tone,
/// the noise floor, an environment recording.
public struct MicrophoneCalibration: Sendable, Equatable {
    /// dB SPL of a recorded full-scale sine.
    public var fullScaleDBSPL: Double
    /// How it was found, in words (goes into the profile's provenance).
    public var method: String

    public init(fullScaleDBSPL: Double, method: String) {
        self.fullScaleDBSPL = fullScaleDBSPL
        self.method = method
    }

    /// A recorded level (dB re full-scale sine) in dB SPL.
    public func dBSPL(levelDBFS: Double) -> Double { levelDBFS + fullScaleDBSPL }
}

/// Levels of recorded signals and the microphone calibration built from them.
public enum LevelCalibration {
    /// Mean square as a level re a full-scale sine (mean square ½), dB.
    public static func levelDBFS(meanSquare: Double) -> Double { 10 * log10(max(meanSquare, 1e-30) / 0.5) }

    /// A-weighted level re a full-scale sine, dB (A-weighting IEC 61672-1, in the frequency domain).
    public static func aWeightedLevelDBFS(_ samples: [Float], sampleRate: Int) -> Double {
        levelDBFS(meanSquare: EnvironmentNoise.aWeightedMeanSquare(samples, sampleRate: sampleRate))
    }

    /// Mean squares of `samples` in the third-octave band around `frequencyHz` and in total
    /// (above 20 Hz), from one Hann-windowed FFT of the whole stretch.
    static func bandAndTotalMeanSquare(_ samples: [Float], sampleRate: Int, frequencyHz: Double) -> (band: Double, total: Double) {
        let n = max(samples.count, 2).nextPowerOfTwo
        let fft = RealFFT(size: n)
        var windowEnergy = 0.0
        for i in 0..<n {
            if i < samples.count {
                let w = 0.5 - 0.5 * cos(2 * Double.pi * (Double(i) + 0.5) / Double(samples.count))
                fft.real[i] = Float(w) * samples[i]
                windowEnergy += w * w
            } else {
                fft.real[i] = 0
            }
        }
        fft.forward()
        let s = fft.spectrumFloats
        let binHz = Double(sampleRate) / Double(n)
        let lo = frequencyHz * pow(2, -1.0 / 6), hi = frequencyHz * pow(2, 1.0 / 6)
        var band = 0.0, total = 0.0
        for k in 1..<fft.binCount {
            let f = Double(k) * binHz
            let p = 2 * (Double(s[2 * k]) * Double(s[2 * k]) + Double(s[2 * k + 1]) * Double(s[2 * k + 1]))
            if f >= 20 { total += p }
            if f >= lo && f <= hi { band += p }
        }
        let scale = 1 / (Double(n) * max(windowEnergy, 1e-30))
        return (band * scale, total * scale)
    }

    /// Level of the tone at `frequencyHz` (power in the third-octave around it), dB re a
    /// full-scale sine; noise outside that band does not count.
    public static func toneLevelDBFS(_ samples: [Float], sampleRate: Int, frequencyHz: Double = 1000) -> Double {
        levelDBFS(meanSquare: bandAndTotalMeanSquare(samples, sampleRate: sampleRate, frequencyHz: frequencyHz).band)
    }

    /// Calibration from an SPL meter's reading of a tone and the recording of the same tone.
    public static func fromMeterReading(toneDBSPL: Double, recordedToneDBFS: Double, frequencyHz: Double = 1000) -> MicrophoneCalibration {
        MicrophoneCalibration(fullScaleDBSPL: toneDBSPL - recordedToneDBFS,
            method: String(format: "SPL meter reading of Earshot's %.0f Hz tone at the microphone: %.1f dB SPL, recorded at %.1f dB re full scale",
                           frequencyHz, toneDBSPL, recordedToneDBFS))
    }

    /// Calibration from a recording of an acoustic calibrator.
    public static func fromCalibratorFile(path: String, calibratorDBSPL: Double = 94, frequencyHz: Double = 1000) throws -> MicrophoneCalibration {
        let (samples, rate) = try AudioFile.readMono(path: path)
        guard samples.count >= rate / 2 else {
            throw EarshotError.badInput(file: path, "the calibrator recording is shorter than half a second; record at least 5 seconds of the calibrator's tone")
        }
        // Leave out the first and last quarter second (the calibrator being put on or taken off).
        let edge = min(rate / 4, samples.count / 8)
        let body = Array(samples[edge..<(samples.count - edge)])
        if let peak = body.map(abs).max(), peak >= MeasurementAnalysis.clipThreshold {
            throw EarshotError.badInput(file: path, "the calibrator recording clips (peak at full scale): lower the microphone's input gain and record it again, then keep that gain for the measurement")
        }
        let (band, total) = bandAndTotalMeanSquare(body, sampleRate: rate, frequencyHz: frequencyHz)
        guard total > 0, band / total >= 0.5 else {
            throw EarshotError.badInput(file: path, String(format: "no %.0f Hz calibrator tone in the recording (only %.0f %% of its energy is near %.0f Hz); record the calibrator's tone with the measurement microphone and the same input gain",
                                                          frequencyHz, total > 0 ? 100 * band / total : 0, frequencyHz))
        }
        let recorded = levelDBFS(meanSquare: band)
        return MicrophoneCalibration(fullScaleDBSPL: calibratorDBSPL - recorded,
            method: String(format: "acoustic calibrator, %.1f dB SPL at %.0f Hz, recorded at %.1f dB re full scale (%@)",
                           calibratorDBSPL, frequencyHz, recorded, (path as NSString).lastPathComponent))
    }
}

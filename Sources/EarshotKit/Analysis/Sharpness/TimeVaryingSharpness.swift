import Foundation

/// DIN 45692 sharpness of a time-varying sound, one value per 2-ms frame of Zwicker
/// time-varying loudness (ISO 532-1:2017, clause 6), as MoSQITo's `sharpness_din_tv` computes
/// it: each frame's specific loudness N′(z) is weighted by `DINSharpness` and divided by the
/// frame's temporally weighted total loudness (or, on request, by ∫N′dz of the frame); frames
/// whose loudness is below 0.1 sone get 0 acum and still count as frames.
public struct TimeVaryingSharpness: Sendable, Equatable {
    public static let frameSeconds = ZwickerTimeVaryingAnalyzer.frameSeconds
    public var field: SoundField
    public var reference: DINSharpness.LoudnessReference
    /// Sharpness per frame (acum); frame k is at k·2 ms.
    public var sharpnessAcum: [Double]
    /// Total loudness per frame after temporal weighting (sone).
    public var loudnessSone: [Double]

    public var frameCount: Int { sharpnessAcum.count }

    /// Mean, maximum and 5 %-exceeded value of sharpness and loudness over the frames from
    /// `skipSeconds` on (the nearest frame to that time). MoSQITo's `skip` defaults to 0 and
    /// warns about the start-up transient; `defaultSkipSeconds` (0.2 s) is what Earshot reports.
    public func summary(skipSeconds: Double = TimeVaryingSharpness.defaultSkipSeconds) -> SharpnessSummary {
        let first = TimeSeriesSummary.firstFrame(skipSeconds: skipSeconds, frameSeconds: Self.frameSeconds)
        return SharpnessSummary(sharpness: TimeSeriesSummary(sharpnessAcum, from: first),
                                loudness: TimeSeriesSummary(loudnessSone, from: first),
                                skipSeconds: skipSeconds)
    }

    /// Start-up transient left out of summaries by default: the filter bank, the 2/3-ms smoothing
    /// and the 70-ms temporal weighting settle within about 0.2 s.
    public static let defaultSkipSeconds = 0.2
}

/// Summary of time-varying sharpness and loudness over a signal.
public struct SharpnessSummary: Sendable, Equatable {
    /// Sharpness statistics (acum).
    public var sharpness: TimeSeriesSummary
    /// Loudness statistics (sone); `exceeded5Percent` is N5.
    public var loudness: TimeSeriesSummary
    /// Time skipped at the start (s).
    public var skipSeconds: Double
}

/// Streaming time-varying DIN 45692 sharpness: feed pressure (Pa, 48 kHz) in blocks; keeps
/// only two numbers per 2-ms frame, so programmes of any length fit in memory.
final class TimeVaryingSharpnessAnalyzer {
    private let loudness: ZwickerTimeVaryingAnalyzer
    public let reference: DINSharpness.LoudnessReference
    private var sharpness: [Double] = []
    private var totals: [Double] = []

    public init(field: SoundField = .free, reference: DINSharpness.LoudnessReference = .totalLoudness) {
        loudness = ZwickerTimeVaryingAnalyzer(field: field)
        self.reference = reference
    }

    /// Feeds pressure samples (Pa at 48 kHz).
    public func process(_ pressurePa: UnsafeBufferPointer<Float>) {
        let byTotal = reference == .totalLoudness
        loudness.process(pressurePa) { _, n, specific in
            sharpness.append(DINSharpness.sharpness(specificLoudness: specific, loudnessSone: byTotal ? n : nil))
            totals.append(n)
        }
    }

    /// The series so far.
    public var result: TimeVaryingSharpness {
        TimeVaryingSharpness(field: loudness.field, reference: reference, sharpnessAcum: sharpness, loudnessSone: totals)
    }
}

extension DINSharpness {
    /// Time-varying sharpness of a signal (pressure in Pa; other rates than 48 kHz are resampled).
    public static func timeVarying(pressurePa: [Float], sampleRate: Int, field: SoundField = .free,
                                   reference: LoudnessReference = .totalLoudness) throws -> TimeVaryingSharpness {
        let signal = try ZwickerLoudness.prepare(pressurePa, sampleRate: sampleRate)
        let analyzer = TimeVaryingSharpnessAnalyzer(field: field, reference: reference)
        signal.withUnsafeBufferPointer { analyzer.process($0) }
        return analyzer.result
    }

    /// Time-varying sharpness from already computed time-varying loudness.
    public static func timeVarying(_ loudness: ZwickerTimeVaryingLoudness,
                                   reference: LoudnessReference = .totalLoudness) -> TimeVaryingSharpness {
        let n = ISO532Tables.barkStepCount
        let values = loudness.specificLoudness.withUnsafeBufferPointer { all in
            (0..<loudness.frameCount).map { f in
                sharpness(specificLoudness: UnsafeBufferPointer(rebasing: all[(f * n)..<((f + 1) * n)]),
                          loudnessSone: reference == .totalLoudness ? loudness.loudnessSone[f] : nil)
            }
        }
        return TimeVaryingSharpness(field: loudness.field, reference: reference, sharpnessAcum: values,
                                    loudnessSone: loudness.loudnessSone)
    }
}

extension DINSharpness {
    /// Time-varying sharpness of an audio file (channel mean, calibrated to pascals, at 48 kHz),
    /// read in blocks.
    public static func timeVarying(path: String, calibration: PressureCalibration = .pascals,
                                   field: SoundField = .free, reference: LoudnessReference = .totalLoudness)
        throws -> (sharpness: TimeVaryingSharpness, info: AudioFileInfo) {
        let analyzer = TimeVaryingSharpnessAnalyzer(field: field, reference: reference)
        let info = try PressureFile.stream(path: path, calibration: calibration) { analyzer.process($0) }
        return (analyzer.result, info)
    }
}

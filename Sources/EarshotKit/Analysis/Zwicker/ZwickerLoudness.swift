import Foundation

/// Loudness of a stationary sound by the Zwicker method (ISO 532-1:2017, clause 5).
public struct ZwickerStationaryLoudness: Sendable, Equatable {
    /// Total loudness N (sone).
    public var loudnessSone: Double
    /// Specific loudness N′(z) at z = 0.1, 0.2, …, 24 Bark (sone/Bark), 240 values.
    public var specificLoudness: [Double]
    /// The 28 one-third-octave band levels the loudness was computed from (dB re 20 µPa),
    /// 25 Hz to 12.5 kHz.
    public var bandLevelsDB: [Double]
    public var field: SoundField

    /// Loudness level (phon): 40 + 10·log₂(N) for N ≥ 1 sone, else 40·(N + 0.0005)^0.35
    /// (ISO 532-1:2017, 5.7), never below 3 phon.
    public var loudnessLevelPhon: Double {
        let n = loudnessSone
        let level = n >= 1 ? 40 + 10 * log2(n) : 40 * pow(n + 0.0005, 0.35)
        return max(level, 3)
    }
}

/// Loudness of a time-varying sound by the Zwicker method (ISO 532-1:2017, clause 6), one frame
/// every 2 ms (frame k at k·2 ms).
public struct ZwickerTimeVaryingLoudness: Sendable, Equatable {
    public static let frameSeconds = ZwickerTimeVaryingAnalyzer.frameSeconds
    public var field: SoundField
    /// Total loudness after temporal weighting (sone), one value per frame.
    public var loudnessSone: [Double]
    /// Specific loudness N′(z) per frame, 240 values per frame (0.1…24 Bark), frame after frame
    /// (sone/Bark). Not temporally weighted.
    public var specificLoudness: [Double]

    public var frameCount: Int { loudnessSone.count }

    /// N′(z) of one frame, 240 values.
    public func specificLoudness(frame: Int) -> ArraySlice<Double> {
        let n = ISO532Tables.barkStepCount
        return specificLoudness[(frame * n)..<((frame + 1) * n)]
    }

    /// Mean, maximum and N5 of the total loudness over the frames from `skipSeconds` on.
    public func summary(skipSeconds: Double = 0) -> TimeSeriesSummary {
        TimeSeriesSummary(loudnessSone, from: TimeSeriesSummary.firstFrame(skipSeconds: skipSeconds,
                                                                           frameSeconds: Self.frameSeconds))
    }
}

/// Zwicker loudness per ISO 532-1:2017 (method for stationary sounds, clause 5, and for
/// arbitrary time-varying sounds, clause 6). Inputs are sound pressure in pascals; the standard
/// works at 48 kHz and other rates are resampled first (libsoxr).
public enum ZwickerLoudness {
    public static let sampleRate = ThirdOctaveFilterBank.sampleRate
    /// Nominal centre frequencies of the 28 one-third-octave bands (Hz).
    public static let bandCentreFrequenciesHz = ISO532Tables.nominalCentreFrequenciesHz
    /// The critical-band rates at which specific loudness is given (Bark): 0.1, 0.2, …, 24.
    public static let barkAxis: [Double] = (1...ISO532Tables.barkStepCount).map { Double($0) * ISO532Tables.barkStep }

    /// Stationary loudness from 28 one-third-octave band levels, 25 Hz to 12.5 kHz
    /// (dB re 20 µPa, unweighted).
    public static func stationary(bandLevelsDB: [Double], field: SoundField = .free) throws -> ZwickerStationaryLoudness {
        guard bandLevelsDB.count == ISO532Tables.bandCount else {
            throw EarshotError.badInput(location: "band levels",
                                        "expected 28 one-third-octave levels (25 Hz to 12.5 kHz), got \(bandLevelsDB.count)")
        }
        if let i = bandLevelsDB.firstIndex(where: { !$0.isFinite }) {
            throw EarshotError.badInput(location: "band \(i + 1) (\(ISO532Tables.nominalCentreFrequenciesHz[i]) Hz)",
                                        "level is not a finite number")
        }
        var core = [Double](repeating: 0, count: ISO532Tables.coreBandCount)
        var specific = [Double](repeating: 0, count: ISO532Tables.barkStepCount)
        bandLevelsDB.withUnsafeBufferPointer { lv in
            core.withUnsafeMutableBufferPointer { CoreLoudness.compute(bandLevelsDB: lv.baseAddress!, field: field, into: $0.baseAddress!) }
        }
        let total = core.withUnsafeBufferPointer { c in
            specific.withUnsafeMutableBufferPointer { SpecificLoudnessPattern.compute(coreLoudness: c.baseAddress!, specific: $0.baseAddress!) }
        }
        return ZwickerStationaryLoudness(loudnessSone: total, specificLoudness: specific,
                                         bandLevelsDB: bandLevelsDB, field: field)
    }

    /// Stationary loudness of a signal: band levels are the mean-square outputs of the standard's
    /// one-third-octave filter bank over the signal after the first `skipSeconds` (which only
    /// run through the filters), then as `stationary(bandLevelsDB:field:)`.
    public static func stationary(pressurePa: [Float], sampleRate: Int, field: SoundField = .free,
                                  skipSeconds: Double = 0) throws -> ZwickerStationaryLoudness {
        let signal = try prepare(pressurePa, sampleRate: sampleRate)
        let skip = max(0, Int((skipSeconds * Double(Self.sampleRate)).rounded()))
        guard skip < signal.count else {
            throw EarshotError.badInput(location: "skip", "skipping \(skipSeconds) s leaves nothing of a \(Double(signal.count) / Double(Self.sampleRate)) s signal")
        }
        let bank = ThirdOctaveFilterBank()
        signal.withUnsafeBufferPointer { bank.accumulateMeanSquare($0.baseAddress!, count: $0.count, skip: skip) }
        let levels = bank.meanSquareIntensities().map { ThirdOctaveFilterBank.levelDB(intensity: $0) }
        return try stationary(bandLevelsDB: levels, field: field)
    }

    /// Time-varying loudness of a signal, one frame per 2 ms.
    public static func timeVarying(pressurePa: [Float], sampleRate: Int,
                                   field: SoundField = .free) throws -> ZwickerTimeVaryingLoudness {
        let signal = try prepare(pressurePa, sampleRate: sampleRate)
        let analyzer = ZwickerTimeVaryingAnalyzer(field: field)
        let expectedFrames = ((signal.count + 23) / 24 + 3) / 4
        var loudness: [Double] = []
        var specific: [Double] = []
        loudness.reserveCapacity(expectedFrames)
        specific.reserveCapacity(expectedFrames * ISO532Tables.barkStepCount)
        signal.withUnsafeBufferPointer { buf in
            analyzer.process(buf) { _, n, ns in
                loudness.append(n)
                specific.append(contentsOf: ns)
            }
        }
        return ZwickerTimeVaryingLoudness(field: field, loudnessSone: loudness, specificLoudness: specific)
    }

    /// Checks a pressure signal and brings it to 48 kHz.
    static func prepare(_ pressurePa: [Float], sampleRate: Int) throws -> [Float] {
        guard sampleRate > 0 else {
            throw EarshotError.badInput(location: "sample rate", "expected a positive sample rate, got \(sampleRate)")
        }
        guard !pressurePa.isEmpty else {
            throw EarshotError.badInput("the signal is empty; loudness needs at least one sample")
        }
        if let i = pressurePa.firstIndex(where: { !$0.isFinite }) {
            throw EarshotError.badInput(location: "sample \(i)", "sample is not a finite number")
        }
        return try AudioFile.resample(pressurePa, from: sampleRate, to: Self.sampleRate)
    }
}

extension ZwickerLoudness {
    /// Time-varying total loudness (sone, after temporal weighting, one value per 2 ms) of an
    /// audio file (channel mean, calibrated to pascals, at 48 kHz), read in blocks.
    public static func timeVaryingLoudness(path: String, calibration: PressureCalibration = .pascals,
                                           field: SoundField = .free) throws -> (loudnessSone: [Double], info: AudioFileInfo) {
        let analyzer = ZwickerTimeVaryingAnalyzer(field: field)
        var loudness: [Double] = []
        let info = try PressureFile.stream(path: path, calibration: calibration) { block in
            analyzer.process(block) { _, n, _ in loudness.append(n) }
        }
        return (loudness, info)
    }

    /// Stationary loudness of an audio file: mean-square band levels over the file after the
    /// first `skipSeconds`, then `stationary(bandLevelsDB:field:)`.
    public static func stationary(path: String, calibration: PressureCalibration = .pascals,
                                  field: SoundField = .free, skipSeconds: Double = 0)
        throws -> (loudness: ZwickerStationaryLoudness, info: AudioFileInfo) {
        let bank = ThirdOctaveFilterBank()
        var toSkip = max(0, Int((skipSeconds * Double(sampleRate)).rounded()))
        let info = try PressureFile.stream(path: path, calibration: calibration) { block in
            let skip = min(toSkip, block.count)
            bank.accumulateMeanSquare(block.baseAddress!, count: block.count, skip: skip)
            toSkip -= skip
        }
        guard bank.samplesAveraged > 0 else {
            throw EarshotError.badInput(file: path, location: "skip",
                                        "skipping \(skipSeconds) s leaves nothing of a \(info.durationSeconds) s file")
        }
        let levels = bank.meanSquareIntensities().map { ThirdOctaveFilterBank.levelDB(intensity: $0) }
        return (try stationary(bandLevelsDB: levels, field: field), info)
    }
}

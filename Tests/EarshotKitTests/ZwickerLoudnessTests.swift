import XCTest
@testable import EarshotKit

/// ISO 532-1:2017 Zwicker loudness: reference values, the parts of the method, streaming and input checks.
final class ZwickerLoudnessTests: XCTestCase {
    typealias Signals = PsychoacousticSignals

    // MARK: Reference values

    /// ISO 532-1 reference: a 1 kHz tone at 60 dB SPL in a free field is 4.019 sone (±5 %).
    func testStationaryOneKilohertzSixtyDBIsReferenceLoudness() throws {
        let tone = Signals.sine(frequencyHz: 1000, levelDBSPL: 60, seconds: 1)
        let result = try ZwickerLoudness.stationary(pressurePa: tone, sampleRate: 48_000)
        XCTAssertEqual(result.loudnessSone, 4.019, accuracy: 0.05 * 4.019)
        XCTAssertEqual(result.loudnessLevelPhon, 60, accuracy: 1)
        // The band levels the filter bank measured: the tone sits in the 1 kHz band.
        XCTAssertEqual(result.bandLevelsDB[16], 60, accuracy: 0.5)
        XCTAssertLessThan(result.bandLevelsDB[15], 50)
        XCTAssertLessThan(result.bandLevelsDB[17], 50)
    }

    /// The definition of the sone: a 1 kHz tone at 40 dB SPL is 1 sone (±5 %) and 40 phon (±1).
    func testFortyDBToneIsOneSone() throws {
        let result = try ZwickerLoudness.stationary(pressurePa: Signals.sine(frequencyHz: 1000, levelDBSPL: 40, seconds: 1),
                                                    sampleRate: 48_000)
        XCTAssertEqual(result.loudnessSone, 1, accuracy: 0.05)
        XCTAssertEqual(result.loudnessLevelPhon, 40, accuracy: 1)
        XCTAssertEqual(result.specificLoudness.count, 240)
    }

    /// Above about 40 phon, 10 dB more doubles loudness (±10 %).
    func testTenDBMoreDoublesLoudness() throws {
        var previous: Double?
        for level in stride(from: 50.0, through: 90, by: 10) {
            let n = try ZwickerLoudness.stationary(bandLevelsDB: Signals.singleBandLevels(centreHz: 1000, level: level)).loudnessSone
            if let previous { XCTAssertEqual(n / previous, 2, accuracy: 0.2, "at \(level) dB") }
            previous = n
        }
    }

    /// Time-varying method on a steady 1 kHz, 60 dB tone: after settling every frame is 4.019 sone ±5 %.
    func testTimeVaryingSteadyToneSettlesAtReferenceLoudness() throws {
        let tone = Signals.sine(frequencyHz: 1000, levelDBSPL: 60, seconds: 1)
        let result = try ZwickerLoudness.timeVarying(pressurePa: tone, sampleRate: 48_000)
        let settled = result.loudnessSone[150...]   // from 0.3 s
        XCTAssertEqual(settled.min()!, 4.019, accuracy: 0.05 * 4.019)
        XCTAssertEqual(settled.max()!, 4.019, accuracy: 0.05 * 4.019)
        XCTAssertEqual(result.summary(skipSeconds: 0.3).mean, 4.019, accuracy: 0.05 * 4.019)
    }

    /// A diffuse field raises the levels at 1 kHz by ΔL_DF = 3 dB (Table A.5), so loudness grows.
    func testDiffuseFieldIsLouderAtOneKilohertz() throws {
        let levels = Signals.singleBandLevels(centreHz: 1000, level: 60)
        let free = try ZwickerLoudness.stationary(bandLevelsDB: levels, field: .free).loudnessSone
        let diffuse = try ZwickerLoudness.stationary(bandLevelsDB: levels, field: .diffuse).loudnessSone
        let freeAt63 = try ZwickerLoudness.stationary(bandLevelsDB: Signals.singleBandLevels(centreHz: 1000, level: 63)).loudnessSone
        XCTAssertEqual(diffuse, freeAt63, accuracy: 1e-9)
        XCTAssertGreaterThan(diffuse, free * 1.15)
    }

    // MARK: Parts of the method

    func testBelowThresholdInQuietIsSilent() throws {
        let quiet = try ZwickerLoudness.stationary(bandLevelsDB: [Double](repeating: -10, count: 28))
        XCTAssertEqual(quiet.loudnessSone, 0)
        XCTAssertEqual(quiet.specificLoudness.max(), 0)
        let tv = try ZwickerLoudness.timeVarying(pressurePa: [Float](repeating: 0, count: 9600), sampleRate: 48_000)
        XCTAssertEqual(tv.loudnessSone.max(), 0)
    }

    /// The low-frequency weighting: a 50 Hz band at 60 dB is much softer than 1 kHz at 60 dB.
    func testLowFrequencyBandsAreWeightedDown() throws {
        let low = try ZwickerLoudness.stationary(bandLevelsDB: Signals.singleBandLevels(centreHz: 50, level: 60)).loudnessSone
        let mid = try ZwickerLoudness.stationary(bandLevelsDB: Signals.singleBandLevels(centreHz: 1000, level: 60)).loudnessSone
        XCTAssertGreaterThan(low, 0)
        XCTAssertLessThan(low, mid / 3)
    }

    /// The specific loudness pattern of one band: flat at the core loudness over the band, then
    /// the upper slope falls towards higher Bark; its sampled integral equals the total (±2 %).
    func testSpecificLoudnessPatternHasUpperSlopeAndIntegratesToTotal() throws {
        let result = try ZwickerLoudness.stationary(bandLevelsDB: Signals.singleBandLevels(centreHz: 1000, level: 70))
        let ns = result.specificLoudness
        let peak = ns.firstIndex(of: ns.max()!)!
        XCTAssertEqual(ZwickerLoudness.barkAxis[peak], 8.5, accuracy: 0.8)   // 1 kHz band: 7.9–9.2 Bark
        for i in (peak + 1)..<239 { XCTAssertLessThanOrEqual(ns[i + 1], ns[i] + 1e-12) }
        XCTAssertGreaterThan(ns[peak + 20], 0)                                 // the slope reaches 2 Bark up
        XCTAssertEqual(ns.reduce(0, +) * 0.1, result.loudnessSone, accuracy: 0.02 * result.loudnessSone)
    }

    /// The filter bank at 48 kHz puts a tone in its own band at its level (±0.5 dB) and well below it
    /// in the neighbours, from 25 Hz to 12.5 kHz.
    func testFilterBankCentresTonesInTheirBands() throws {
        for (band, centre) in [(0, 25.0), (8, 160.0), (16, 1000.0), (22, 4000.0), (27, 12500.0)] {
            let exact = 1000 * pow(10, Double(band - 16) / 10)
            let tone = Signals.sine(frequencyHz: exact, levelDBSPL: 70, seconds: 2)
            let bank = ThirdOctaveFilterBank()
            tone.withUnsafeBufferPointer { bank.accumulateMeanSquare($0.baseAddress!, count: $0.count, skip: 48_000) }
            let levels = bank.meanSquareIntensities().map { ThirdOctaveFilterBank.levelDB(intensity: $0) }
            XCTAssertEqual(levels[band], 70, accuracy: 0.5, "\(centre) Hz")
            if band > 0 { XCTAssertLessThan(levels[band - 1], 62, "below \(centre) Hz") }
            if band < 27 { XCTAssertLessThan(levels[band + 1], 62, "above \(centre) Hz") }
        }
    }

    /// Frame timing: frame k is at k·2 ms; a tone switched on at 0.5 s is silent before and loud
    /// within 100 ms after; n samples give ⌈⌈n/24⌉/4⌉ frames.
    func testFramesFollowOnsetInTime() throws {
        let tone = Signals.sine(frequencyHz: 1000, levelDBSPL: 60, seconds: 1, onsetSeconds: 0.5)
        let result = try ZwickerLoudness.timeVarying(pressurePa: tone, sampleRate: 48_000)
        XCTAssertEqual(result.frameCount, 500)
        XCTAssertEqual(result.loudnessSone[0..<249].max(), 0)       // up to 0.496 s
        XCTAssertGreaterThan(result.loudnessSone[300], 3.5)          // 0.6 s
        XCTAssertEqual(try ZwickerLoudness.timeVarying(pressurePa: [Float](repeating: 0, count: 97), sampleRate: 48_000).frameCount, 2)
    }

    /// After a tone stops (5-ms fade), loudness decays over tens of milliseconds rather than at once.
    func testLoudnessDecaysAfterOffset() throws {
        var tone = Signals.sine(frequencyHz: 1000, levelDBSPL: 70, seconds: 1)
        for i in 0..<240 { tone[24_000 + i] *= Float(0.5 + 0.5 * cos(Double.pi * Double(i) / 240)) }
        for i in 24_240..<tone.count { tone[i] = 0 }
        let n = try ZwickerLoudness.timeVarying(pressurePa: tone, sampleRate: 48_000).loudnessSone
        let steady = n[240]
        XCTAssertGreaterThan(n[260], 0.5 * steady)    // 15 ms after the fade began
        XCTAssertLessThan(n[260], 0.95 * steady)
        XCTAssertLessThan(n[400], 0.02 * steady)      // 300 ms after
    }

    // MARK: Streaming, rates, files

    func testBlockwiseFeedingGivesIdenticalFrames() throws {
        let x = Signals.bandNoise(lowHz: 200, highHz: 6000, levelDBSPL: 65, seconds: 0.7)
        let whole = try ZwickerLoudness.timeVarying(pressurePa: x, sampleRate: 48_000)
        let analyzer = ZwickerTimeVaryingAnalyzer()
        var loudness: [Double] = [], specific: [Double] = []
        var start = 0
        for size in [1, 23, 24, 25, 777, 5000, 10_001] + Array(repeating: 9000, count: 10) where start < x.count {
            let end = min(x.count, start + size)
            x[start..<end].withUnsafeBufferPointer { buf in
                analyzer.process(buf) { _, n, ns in loudness.append(n); specific.append(contentsOf: ns) }
            }
            start = end
        }
        XCTAssertEqual(start, x.count)
        XCTAssertEqual(loudness, whole.loudnessSone)
        XCTAssertEqual(specific, whole.specificLoudness)
    }

    /// 44.1 kHz input is resampled to 48 kHz: the 1 kHz, 60 dB tone is still 4.019 sone ±5 %.
    func testOtherSampleRatesAreResampled() throws {
        let tone = Signals.sine(frequencyHz: 1000, levelDBSPL: 60, seconds: 1, sampleRate: 44_100)
        let st = try ZwickerLoudness.stationary(pressurePa: tone, sampleRate: 44_100)
        XCTAssertEqual(st.loudnessSone, 4.019, accuracy: 0.05 * 4.019)
        let tv = try ZwickerLoudness.timeVarying(pressurePa: tone, sampleRate: 44_100)
        XCTAssertEqual(tv.frameCount, 500)
        XCTAssertEqual(tv.summary(skipSeconds: 0.3).mean, 4.019, accuracy: 0.05 * 4.019)
    }

    func testFullScaleCalibration() {
        // 94 dB SPL is 1.0024 Pa RMS; a full-scale sine has RMS 1/√2.
        XCTAssertEqual(PressureCalibration.fullScaleDBSPL(94).pascalsPerUnit, 1.002374 * 2.0.squareRoot(), accuracy: 1e-5)
        XCTAssertEqual(PressureCalibration.pascals.pascalsPerUnit, 1)
    }

    /// Files: channels are averaged, samples scaled by the calibration and resampled; a stereo
    /// 44.1 kHz file with the tone in both channels reads like the tone in memory, and with the
    /// tone in one channel only like the tone 6 dB down.
    func testFileReadingAveragesChannelsAndCalibrates() throws {
        let dir = NSTemporaryDirectory() + "earshot-zwicker-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        let fullScaleDB = 90.0
        let unit = PressureCalibration.fullScaleDBSPL(fullScaleDB).pascalsPerUnit
        let tone = Signals.sine(frequencyHz: 1000, levelDBSPL: 60, seconds: 1, sampleRate: 44_100)
        let samples = tone.map { Float(Double($0) / unit) }
        let both = dir + "/both.wav", left = dir + "/left.wav"
        try AudioFile.write(path: both, channels: [samples, samples], sampleRate: 44_100)
        try AudioFile.write(path: left, channels: [samples, [Float](repeating: 0, count: samples.count)], sampleRate: 44_100)

        let memory = try ZwickerLoudness.timeVarying(pressurePa: tone, sampleRate: 44_100)
        let (fromFile, info) = try ZwickerLoudness.timeVaryingLoudness(path: both, calibration: .fullScaleDBSPL(fullScaleDB))
        XCTAssertEqual(info.channels, 2)
        XCTAssertEqual(fromFile.count, memory.frameCount)
        XCTAssertEqual(TimeSeriesSummary(fromFile, from: 150).mean, memory.summary(skipSeconds: 0.3).mean, accuracy: 0.01)

        let (oneChannel, _) = try ZwickerLoudness.stationary(path: left, calibration: .fullScaleDBSPL(fullScaleDB))
        let sixDBDown = try ZwickerLoudness.stationary(pressurePa: Signals.sine(frequencyHz: 1000, levelDBSPL: 60 - 20 * log10(2), seconds: 1),
                                                       sampleRate: 48_000, skipSeconds: 0.2)
        XCTAssertEqual(oneChannel.loudnessSone, sixDBDown.loudnessSone, accuracy: 0.02 * sixDBDown.loudnessSone)
    }

    // MARK: Input checks

    func testBadInputIsReportedWithItsPlace() {
        var x = [Float](repeating: 0, count: 100)
        x[5] = .nan
        XCTAssertThrowsError(try ZwickerLoudness.timeVarying(pressurePa: x, sampleRate: 48_000)) { error in
            XCTAssertEqual((error as? EarshotError)?.location, "sample 5")
        }
        XCTAssertThrowsError(try ZwickerLoudness.timeVarying(pressurePa: [], sampleRate: 48_000))
        XCTAssertThrowsError(try ZwickerLoudness.stationary(pressurePa: [0.1], sampleRate: 0))
        XCTAssertThrowsError(try ZwickerLoudness.stationary(bandLevelsDB: [60, 60])) { error in
            XCTAssertEqual((error as? EarshotError)?.kind, .badInput)
            XCTAssertTrue(String(describing: error).contains("28"))
        }
        XCTAssertThrowsError(try ZwickerLoudness.stationary(pressurePa: [Float](repeating: 0.1, count: 4800),
                                                            sampleRate: 48_000, skipSeconds: 1))
        XCTAssertThrowsError(try ZwickerLoudness.timeVaryingLoudness(path: "/no/such/file.wav")) { error in
            XCTAssertEqual((error as? EarshotError)?.file, "/no/such/file.wav")
        }
    }
}

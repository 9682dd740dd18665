import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// The series statistics and the spectral-balance measure, on hand-made reports and signals.
final class SeriesReportTests: XCTestCase {
    var root = ""

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "earshot-series-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: root) }

    /// A report.json with the figures the series reads.
    func writeReport(_ name: String, lufs: Double, dialogue: Double, ratios: [Double?], tilt: Double) throws {
        try FileManager.default.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: true)
        let words = (0..<10).map { ReportJSONFixture.Word(index: $0, text: "w\($0)", sii: $0 < 3 ? 0.2 : 0.7, masked: $0 < 3, maskedBy: $0 < 3 ? "music" : nil) }
        let balance = JSONValue.object([("tiltDB", .num(tilt)), ("thirdOctaveBandsHz", .array([.num(100), .num(1000)])),
                                        ("thirdOctaveLevelsDB", .array([.num(-20 - tilt), .num(-30)]))])
        let report = ReportJSONFixture.text(scenarios: [("phone@bus", words)], integratedLUFS: lufs, dialogueIntegratedLUFS: dialogue,
                                            lineRatios: ratios, spectralBalance: balance)
        try AtomicFile.write(report, to: root + "/\(name)/report.json")
    }

    func testMediansSpreadsAndOutliers() throws {
        try writeReport("e1", lufs: -24.0, dialogue: -26, ratios: [6, 8, 10], tilt: -7)
        try writeReport("e2", lufs: -23.6, dialogue: -25.2, ratios: [5, nil, 7], tilt: -6.5)
        try writeReport("e3", lufs: -24.5, dialogue: -27.1, ratios: [2], tilt: -3.4)
        try writeReport("e4", lufs: -24.2, dialogue: -26, ratios: [], tilt: -10.1)
        let series = SeriesReport(folder: root, checked: ["e3", "e1", "e4", "e2"], failed: [("e5", "x: broken")], settings: .null)
        XCTAssertEqual(series.episodes.map(\.name), ["e1", "e2", "e3", "e4"])
        // Loudness: median of −24.5, −24.2, −24.0, −23.6 is −24.1; ±0.5 LU keeps all but none.
        XCTAssertEqual(series.loudness.median!, -24.1, accuracy: 1e-9)
        XCTAssertEqual(series.loudness.min, -24.5)
        XCTAssertEqual(series.loudness.max, -23.6)
        XCTAssertEqual(series.loudness.outliers, [], "−23.6 is exactly 0.5 LU from the median: inside")
        // Dialogue: median −26, e3 is 1.1 LU below.
        XCTAssertEqual(series.dialogueLevel.median, -26)
        XCTAssertEqual(series.dialogueLevel.outliers, ["e3"])
        // Dialogue/M&E: per-episode medians 8, 6, 2, none; series median 6; e3 is 4 LU off.
        XCTAssertEqual(series.episodes.map(\.dialogueToMusicAndEffectsLU), [8, 6, 2, nil])
        XCTAssertEqual(series.dialogueToMusicAndEffects.median, 6)
        XCTAssertEqual(series.dialogueToMusicAndEffects.outliers, ["e3"])
        // Tilt: median of −10.1, −7, −6.5, −3.4 is −6.75; e3 (+3.35) and e4 (−3.35) are out.
        XCTAssertEqual(series.spectralTilt.median!, -6.75, accuracy: 1e-9)
        XCTAssertEqual(series.spectralTilt.outliers, ["e3", "e4"])
        // Balance: each episode's two bands relative to their power sum, then the median.
        func balance(_ tilt: Double) -> [Double] {
            let total = 10 * log10(pow(10, (-20 - tilt) / 10) + pow(10, -3.0))
            return [-20 - tilt - total, -30 - total]
        }
        let balances = [-7, -6.5, -3.4, -10.1].map(balance)
        for (e, b) in zip(series.episodes, balances) {
            XCTAssertEqual(e.thirdOctaveBalanceDB[0], b[0], accuracy: 1e-4)
            XCTAssertEqual(e.thirdOctaveBalanceDB[1], b[1], accuracy: 1e-4)
        }
        for k in 0..<2 {
            let sorted = balances.map { $0[k] }.sorted()
            XCTAssertEqual(series.medianThirdOctaveBalanceDB[k], (sorted[1] + sorted[2]) / 2, accuracy: 1e-4)
        }
        XCTAssertEqual(series.failed.map(\.name), ["e5"])
        XCTAssertEqual(series.episodeCount, 5)
        let json = series.json().serialized()
        XCTAssertTrue(json.contains("\"outliers\": [\"e3\", \"e4\"]"), json)
    }

    func testAnUnreadableReportJoinsTheFailuresNamingTheFile() throws {
        try writeReport("e1", lufs: -24, dialogue: -26, ratios: [6], tilt: -7)
        let series = SeriesReport(folder: root, checked: ["e1", "gone"], failed: [], settings: .null)
        XCTAssertEqual(series.episodes.map(\.name), ["e1"])
        XCTAssertEqual(series.failed.map(\.name), ["gone"])
        XCTAssertTrue(series.failed[0].error.hasPrefix(root + "/gone/report.json"), series.failed[0].error)
    }

    /// White noise has equal power per hertz, so the tilt is the ratio of the two regions'
    /// bandwidths: (5623 − 1778) / (562 − 89) Hz, 9.1 dB. A full-scale 1 kHz sine reads 0 dB in
    /// its band.
    func testSpectralTiltOfWhiteNoiseIsTheBandwidthRatio() throws {
        var random = SeededRandom(seed: 9)
        let n = 48000 * 4
        let noise = (0..<n).map { _ in Float(0.1 * random.nextGaussian()) }
        let path = root + "/noise.wav"
        try AudioFile.write(path: path, channels: [noise, noise], sampleRate: 48000, format: .float32)
        let balance = try SpectralBalance.measure(ScenarioInputs(mix: path))
        let edges = { (lo: Double, hi: Double) in
            ThirdOctave.bandEdgesHz(centreHz: hi).highHz - ThirdOctave.bandEdgesHz(centreHz: lo).lowHz
        }
        let expected = 10 * log10(edges(2000, 5000) / edges(100, 500))
        XCTAssertEqual(expected, 9.1, accuracy: 0.05)
        XCTAssertEqual(try XCTUnwrap(balance.tiltDB), expected, accuracy: 0.3)
        XCTAssertEqual(balance.bandsHz.first, 50)
        XCTAssertEqual(balance.bandsHz.last, 16000)

        let sine = (0..<n).map { Float(sin(2 * Double.pi * 1000 * Double($0) / 48000)) }
        try AudioFile.write(path: path, channels: [sine, sine], sampleRate: 48000, format: .float32)
        let tone = try SpectralBalance.measure(ScenarioInputs(mix: path))
        let k = try XCTUnwrap(tone.bandsHz.firstIndex(of: 1000))
        XCTAssertEqual(tone.levelsDB[k], 0, accuracy: 0.1)
        XCTAssertLessThan(tone.levelsDB[k + 2], -40, "two bands away")
    }
}

import XCTest
@testable import EarshotKit

/// Zwicker loudness and DIN 45692 sharpness against MoSQITo 1.2.1 on the committed signals in
/// Fixtures/psychoacoustics (regenerate with Scripts/psychoacoustic_goldens.py).
///
/// Tolerances: stationary values ±5 % (MoSQITo's stationary method takes its one-third-octave
/// levels from IEC 61260-style Butterworth filters, Earshot from the ISO 532-1 filter bank);
/// time-varying loudness and sharpness (mean, max, N5) ±1 % (same filter bank and procedure;
/// MoSQITo also rounds each 0.5-ms total loudness to 0.001 sone).
final class PsychoacousticGoldenTests: XCTestCase {
    struct Golden: Decodable {
        var name: String
        var file: String
        var pascalsPerUnit: Double
        var sampleRate: Int
        var stationaryLoudnessSone: Double
        var stationaryLoudnessDiffuseSone: Double
        var timeVaryingLoudnessMeanSone: Double
        var timeVaryingLoudnessMaxSone: Double
        var timeVaryingLoudnessN5Sone: Double
        var stationarySharpnessAcum: Double
        var timeVaryingSharpnessMeanAcum: Double
        var timeVaryingSharpnessMaxAcum: Double
        var timeVaryingFrames: Int
    }

    struct Goldens: Decodable {
        var skipSeconds: Double
        var signals: [Golden]
    }

    static func fixturePath(_ name: String) throws -> String {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/psychoacoustics/" + name, withExtension: nil),
                                "missing fixture \(name)")
        return url.path
    }

    static func loadGoldens() throws -> Goldens {
        let data = try Data(contentsOf: URL(fileURLWithPath: try fixturePath("goldens.json")))
        return try JSONDecoder().decode(Goldens.self, from: data)
    }

    static func pressure(_ golden: Golden) throws -> [Float] {
        let (samples, rate) = try AudioFile.readMono(path: try fixturePath(golden.file))
        XCTAssertEqual(rate, golden.sampleRate)
        return samples.map { Float(Double($0) * golden.pascalsPerUnit) }
    }

    func testAgainstMoSQITo() throws {
        let goldens = try Self.loadGoldens()
        XCTAssertGreaterThanOrEqual(goldens.signals.count, 8)
        var rows: [String] = []
        for g in goldens.signals {
            let x = try Self.pressure(g)
            let st = try ZwickerLoudness.stationary(pressurePa: x, sampleRate: g.sampleRate)
            let stDiffuse = try ZwickerLoudness.stationary(pressurePa: x, sampleRate: g.sampleRate, field: .diffuse)
            let tv = try ZwickerLoudness.timeVarying(pressurePa: x, sampleRate: g.sampleRate)
            let sharp = DINSharpness.timeVarying(tv)
            let summary = sharp.summary(skipSeconds: goldens.skipSeconds)
            let stSharp = DINSharpness.stationary(st)
            let stationary = 0.05, timeVarying = 0.01
            let checks: [(String, Double, Double, Double)] = [
                ("N stationary free", st.loudnessSone, g.stationaryLoudnessSone, stationary),
                ("N stationary diffuse", stDiffuse.loudnessSone, g.stationaryLoudnessDiffuseSone, stationary),
                ("N tv mean", summary.loudness.mean, g.timeVaryingLoudnessMeanSone, timeVarying),
                ("N tv max", summary.loudness.maximum, g.timeVaryingLoudnessMaxSone, timeVarying),
                ("N tv N5", summary.loudness.exceeded5Percent, g.timeVaryingLoudnessN5Sone, timeVarying),
                ("S stationary", stSharp, g.stationarySharpnessAcum, stationary),
                ("S tv mean", summary.sharpness.mean, g.timeVaryingSharpnessMeanAcum, timeVarying),
                ("S tv max", summary.sharpness.maximum, g.timeVaryingSharpnessMaxAcum, timeVarying),
            ]
            XCTAssertEqual(summary.sharpness.frames, g.timeVaryingFrames, g.name)
            for (label, mine, ref, tolerance) in checks {
                XCTAssertEqual(mine, ref, accuracy: tolerance * ref, "\(g.name): \(label)")
                rows.append(String(format: "| %@ | %@ | %.4f | %.4f | %+.2f %% |",
                                   g.name, label, ref, mine, 100 * (mine - ref) / ref))
            }
        }
        print(rows.joined(separator: "\n"))
    }
}

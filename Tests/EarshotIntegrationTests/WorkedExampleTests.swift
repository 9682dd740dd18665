import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// The README's worked example: the bundled scene (Examples/demo-scene) delivered twice at the
/// micro-drama platforms' −24 LUFS, once with the dialogue 8 LU over the M&E (inside the mobile
/// 6–10 LU of the domain notes; elderly TV viewers judge the background too loud below about
/// 6 phon, Komori et al. 2010) and once with it 3 LU under, word timings given, checked on the
/// default scenarios. What a mixer must be told: the good balance costs next to no words
/// anywhere and none in the studio; the bad one loses intelligibility on every scenario the
/// place does not already decide; and no device needs full volume for a −24 LUFS programme in
/// a quiet room.
final class WorkedExampleTests: XCTestCase {
    static let programmeLUFS = -24.0

    /// Writes the scene's dialogue and M&E with the dialogue `balanceLU` over the M&E and their
    /// sum at `programmeLUFS`; returns the inputs and the folder to remove.
    static func delivery(balanceLU: Double) throws -> (inputs: ScenarioInputs, folder: String) {
        let demo = (TestPackage.root.path + "/Examples/demo-scene")
        let dialogue = try AudioFile.readPlanar(path: demo + "/dialogue.flac").channels
        let me = try AudioFile.readPlanar(path: demo + "/me.flac").channels
        let d = try SceneFiles.scale(dialogue, toLUFS: -30)
        let m = try SceneFiles.scale(me, toLUFS: -30 - balanceLU)
        let mixGainDB = programmeLUFS - (try SceneFiles.integratedLUFS(SceneFiles.add(d, m)))
        let g = Float(pow(10, mixGainDB / 20))
        let dOut = d.map { $0.map { $0 * g } }, mOut = m.map { $0.map { $0 * g } }
        let folder = NSTemporaryDirectory() + "earshot-worked-\(balanceLU)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, channels) in [("dialogue", dOut), ("me", mOut), ("mix", SceneFiles.add(dOut, mOut))] {
            let writer = try AudioFileWriter(path: folder + "/\(name).wav", sampleRate: 48000, channels: 2, format: .float32)
            try writer.write(channels)
            try writer.finish()
        }
        return (ScenarioInputs(mix: folder + "/mix.wav", dialogue: folder + "/dialogue.wav", me: folder + "/me.wav"), folder)
    }

    static func check(_ inputs: ScenarioInputs) throws -> CheckReport {
        let settings = CheckSettings(scenarios: CheckSettings.defaultScenarios, wordsPath: (TestPackage.root.path + "/Examples/demo-scene") + "/words.json")
        return try CheckRunner.run(inputs: inputs, settings: settings, catalog: try ProfileCatalog.standard(environment: [:]))
    }

    /// One line per scenario, as the README's table shows it.
    static func rows(_ report: CheckReport) -> String {
        report.scenarios.map { s in
            let n = s.words?.count ?? 0
            return String(format: "%@  volume %.0f %%  masked by mix %d/%d (%.0f %%)  lost to situation %d  SII %.2f",
                          s.id, s.volumePercent, s.maskedByMix, n, 100 * Double(s.maskedByMix) / Double(max(n, 1)), s.maskedBySituation, s.sii ?? .nan)
        }.joined(separator: "\n")
    }

    func testTheWellBalancedDeliveryKeepsItsWordsAndTheBadOneLosesThemOnMostScenarios() throws {
        let good = try Self.delivery(balanceLU: 8)
        defer { try? FileManager.default.removeItem(atPath: good.folder) }
        let bad = try Self.delivery(balanceLU: -3)
        defer { try? FileManager.default.removeItem(atPath: bad.folder) }
        let goodReport = try Self.check(good.inputs), badReport = try Self.check(bad.inputs)
        let detail = "dialogue +8 LU over the M&E:\n\(Self.rows(goodReport))\ndialogue 3 LU under the M&E:\n\(Self.rows(badReport))"
        print(detail)
        XCTAssertEqual(try XCTUnwrap(goodReport.loudness.integratedLUFS), Self.programmeLUFS, accuracy: 0.1)
        XCTAssertEqual(try XCTUnwrap(badReport.loudness.integratedLUFS), Self.programmeLUFS, accuracy: 0.1)
        // At 3 LU under, the words themselves mostly survive for a normal-hearing listener: the
        // per-word model puts half the words of sentences at about −7 dB SNR in speech-shaped
        // noise (OLSA, `WordTransferFunction`), and this M&E is a music bed with effects. What
        // the bad balance costs is the margin: the scenario's SII falls on every scenario the
        // place does not already decide, and it never keeps more words than the good one.
        var lowerIndex = 0
        for (g, b) in zip(goodReport.scenarios, badReport.scenarios) {
            let words = Double(try XCTUnwrap(g.words).count)
            XCTAssertGreaterThan(words, 30)
            XCTAssertLessThanOrEqual(Double(g.maskedByMix) / words, 0.05, "\(g.id): the well-balanced mix costs at most 5 % of the words\n\(detail)")
            XCTAssertGreaterThanOrEqual(b.maskedByMix + b.maskedBySituation, g.maskedByMix + g.maskedBySituation, "\(g.id)\n\(detail)")
            if try XCTUnwrap(g.sii) - XCTUnwrap(b.sii) >= 0.1 { lowerIndex += 1 }
        }
        XCTAssertGreaterThanOrEqual(lowerIndex, 4, "the bad balance costs at least 0.1 of SII on four of six scenarios\n\(detail)")
        let studio = try XCTUnwrap(goodReport.scenarios.first { $0.device.id == "studio-reference" && $0.environment.id == "quiet-room" })
        XCTAssertEqual(studio.maskedWords, 0, "nothing is masked on the studio reference in the quiet room\n\(detail)")
    }

    /// No stock device needs full volume for a −24 LUFS programme (its dialogue as the good
    /// delivery has it) in the quiet room; a fixed phone at full volume in the quiet room does
    /// not fall short of the listener's level either.
    func testNoStockDeviceNeedsFullVolumeInAQuietRoomAtMinus24LUFS() throws {
        let good = try Self.delivery(balanceLU: 8)
        defer { try? FileManager.default.removeItem(atPath: good.folder) }
        let dialogueLUFS = try XCTUnwrap(try ProgrammeAnalysis.analyse(good.inputs).dialogueLoudness?.integratedLUFS)
        let catalog = try ProfileCatalog.standard(environment: [:])
        let quiet = try catalog.environment("quiet-room")
        for id in catalog.devices.keys.sorted() {
            let device = try DeviceModel(profile: try catalog.device(id))
            let percent = ListenerVolume.percent(device: device, environment: quiet, programmeLUFS: dialogueLUFS)
            XCTAssertLessThan(percent, 100, "\(id) in the quiet room at −24 LUFS (dialogue \(dialogueLUFS) LUFS)")
        }
    }
}

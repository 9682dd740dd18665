import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// The per-word verdict against published speech-in-noise data for normal-hearing listeners
/// (README "How a word is judged"; `WordIntelligibilityModel`). Speech at 65 dB SPL delivered flat
/// (studio reference, quiet room), a masker at each SNR, the share of words flagged masked.
///
/// The published points: in stationary speech-shaped noise half the words of sentences are
/// understood at −7.1 dB SNR (OLSA, word-scored; Wagener, Brand & Kollmeier 1999) and half the
/// sentences at −2.92 dB (HINT; Nilsson, Soli & Sullivan 1994); the psychometric slope is
/// 15-17 %/dB, so +6 dB is near-perfect and −12 dB near-nothing. Interrupting the noise at 10 Hz
/// releases normal-hearing listeners from masking by about 8 dB (Bacon, Opie & Montoya, J. Speech
/// Lang. Hear. Res. 41, 549-563, 1998);
/// a many-talker babble's envelope is too shallow to give much release.
final class WordCalibrationTests: XCTestCase {
    static let natural = Result { try SpeechInNoise.natural() }
    static let synthetic = SpeechInNoise.synthetic()

    private func talkers() throws -> [(String, SpeechInNoise)] {
        [("natural speech", try Self.natural.get()), ("synthetic talker", Self.synthetic)]
    }

    func testStationarySpeechShapedNoiseFlagsWordsWhereListenersLoseThem() throws {
        for (name, talker) in try talkers() {
            XCTAssertGreaterThanOrEqual(talker.words.count, 30, name)
            let at6 = try talker.flaggedFraction(masker: .stationary, snrDB: 6)
            let at0 = try talker.flaggedFraction(masker: .stationary, snrDB: 0)
            let atMinus12 = try talker.flaggedFraction(masker: .stationary, snrDB: -12)
            XCTAssertLessThanOrEqual(at6, 0.05, "\(name): words flagged at +6 dB SNR")
            XCTAssertLessThanOrEqual(at0, 0.20, "\(name): words flagged at 0 dB SNR")
            XCTAssertGreaterThanOrEqual(atMinus12, 0.80, "\(name): words flagged at −12 dB SNR")
            let half = try XCTUnwrap(talker.halfFlaggedSNR(masker: .stationary), name)
            XCTAssert((-9.0 ... -2.0).contains(half), "\(name): half the words flagged at \(half) dB SNR, not within −9…−2 dB")
        }
    }

    func testInterruptedNoiseReleasesMaskingByAtLeastFiveDB() throws {
        for (name, talker) in try talkers() {
            let stationary = try XCTUnwrap(talker.halfFlaggedSNR(masker: .stationary), name)
            // nil: fewer than half the words are flagged even at −40 dB SNR. Without forward
            // masking the model overestimates the release (README, "Known limitation"); the
            // assertion below still fails if gating stops helping by 5 dB.
            if let interrupted = try talker.halfFlaggedSNR(masker: .interrupted) {
                XCTAssertLessThanOrEqual(interrupted, stationary - 5, "\(name): release from masking \(stationary - interrupted) dB")
            }
            XCTAssertLessThan(try talker.flaggedFraction(masker: .interrupted, snrDB: stationary - 5), 0.5, name)
        }
    }

    func testBabbleEnvelopeNoiseMasksLikeStationaryNoise() throws {
        for (name, talker) in try talkers() {
            let stationary = try XCTUnwrap(talker.halfFlaggedSNR(masker: .stationary), name)
            let babble = try XCTUnwrap(talker.halfFlaggedSNR(masker: .babbleEnvelope), name)
            XCTAssertLessThanOrEqual(abs(babble - stationary), 2, "\(name): stationary \(stationary) dB, babble envelope \(babble) dB")
        }
    }

    /// ANSI S3.5-1997 puts "good" communication above an SII of 0.6-0.75; where the scenario's
    /// long-term SII is at least 0.6, nearly every word is understood.
    func testHighLongTermSIIFlagsAtMostTenPercentOfWords() throws {
        for (name, talker) in try talkers() {
            var checked = 0
            for snr in stride(from: 12.0, through: -12, by: -3) {
                let (verdicts, sii) = try talker.scenario(masker: .stationary, snrDB: snr)
                guard sii >= 0.6 else { continue }
                checked += 1
                let flagged = Double(verdicts.filter(\.masked).count) / Double(verdicts.count)
                XCTAssertLessThanOrEqual(flagged, 0.10, "\(name): long-term SII \(sii) at \(snr) dB SNR")
            }
            XCTAssertGreaterThanOrEqual(checked, 3, name)
        }
    }

    /// The flagged share never falls as the SNR falls, for every masker. With
    /// EARSHOT_CALIBRATION_CSV set, also writes the curves (for Scripts/plot_word_calibration.py).
    func testFlaggedShareRisesAsTheSNRFalls() throws {
        var csv = "talker,masker,snrDB,flaggedFraction,atRiskFraction\n"
        for (name, talker) in try talkers() {
            for masker in SpeechInNoise.Masker.allCases {
                var previous = 0.0
                for snr in stride(from: 9.0, through: -30, by: -3) {
                    let verdicts = try talker.verdicts(masker: masker, snrDB: snr)
                    let flagged = Double(verdicts.filter(\.masked).count) / Double(verdicts.count)
                    let atRisk = Double(verdicts.filter(\.atRisk).count) / Double(verdicts.count)
                    XCTAssertGreaterThanOrEqual(flagged, previous - 0.05, "\(name), \(masker.rawValue) at \(snr) dB SNR")
                    previous = max(previous, flagged)
                    csv += "\(name),\(masker.rawValue),\(snr),\(String(format: "%.4f", flagged)),\(String(format: "%.4f", atRisk))\n"
                }
            }
        }
        if let path = ProcessInfo.processInfo.environment["EARSHOT_CALIBRATION_CSV"] {
            try csv.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }
}

/// Dialogue alone in a quiet room at the listener's volume (the level chosen in quiet: 50 dB(A)
/// from a loudspeaker, van Heusden et al. 1979; about 61 dB(A) on earbuds, Fligor & Ives), and
/// at 62 dB SPL (ANSI S3.5-1997 Table 3 normal vocal effort, 62.35 dB SPL overall, where
/// conversational speech is fully intelligible to normal-hearing listeners): on every stock
/// device, no word is flagged.
final class QuietRoomWordTests: XCTestCase {
    func testDialogueAloneInAQuietRoomLosesNoWordOnAnyStockDevice() throws {
        let catalog = try ProfileCatalog.standard(environment: [:])
        let devices = catalog.devices.keys.sorted()
        XCTAssertGreaterThanOrEqual(devices.count, 6)
        let words = SyntheticTalker.layout([
            (0.4, [.init("where", nil, [.e]), .init("were", nil, [.o]), .init("you", nil, [.u]), .init("last", nil, [.a], .s), .init("night", nil, [.a, .i], .t)]),
            (2.5, [.init("I", nil, [.a]), .init("told", .t, [.o]), .init("you", nil, [.u]), .init("not", nil, [.o], .t), .init("to", .t, [.u]), .init("go", nil, [.o])]),
            (5.0, [.init("but", nil, [.a], .t), .init("you", nil, [.u]), .init("never", nil, [.e, .a], seconds: 0.35), .init("fit", .f, [.i], .t)]),
        ])
        let files = try SceneFiles(seconds: 7)
        defer { files.remove() }
        let voice = SyntheticTalker.render(words, seconds: 7)
        let dialogue = try SceneFiles.scale([voice, voice], toLUFS: -23)
        let silence = [[Float]](repeating: [Float](repeating: 0, count: files.frames), count: 2)
        let inputs = ScenarioInputs(dialogue: try files.write("dialogue", dialogue), me: try files.write("me", silence))
        let report = try SceneFiles.check(inputs, words: try files.writeWords(words), scenarios: devices.map { ($0, "quiet-room") })
        for scenario in report.scenarios {
            let judged = try XCTUnwrap(scenario.words).filter { !$0.tooShortToJudge }
            XCTAssertEqual(judged.count, words.count, scenario.id)
            let flagged = judged.filter(\.masked).map { "\($0.text) (\(String(format: "%.2f", $0.heardProbability)))" }
            XCTAssertEqual(flagged, [], "\(scenario.id): flagged")
        }
        // At 62 dB(A) at the ear, each device at the volume that gives it.
        let lufs = try XCTUnwrap(report.programme.dialogueLoudness?.integratedLUFS)
        for id in devices {
            let device = try DeviceModel(profile: try catalog.device(id))
            let atFull = SpeechLevelAtEar.atFullVolumeDBA(device: device.profile, speechOffsetDB: device.speechOffsetDB, programmeLUFS: lufs)
            guard atFull >= 62 else { continue }
            let percent = device.profile.volumePercent(forGainDB: 62 - atFull)
            let at62 = try SceneFiles.check(inputs, words: try files.writeWords(words), scenarios: [(id, "quiet-room")], volumePercent: percent)
            let flagged = try XCTUnwrap(at62.scenarios[0].words).filter { !$0.tooShortToJudge && $0.masked }.map(\.text)
            XCTAssertEqual(flagged, [], "\(id) at 62 dB(A) (\(percent) %): flagged")
        }
    }
}

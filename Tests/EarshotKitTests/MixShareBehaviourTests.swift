import XCTest
@testable import EarshotKit

/// The mix's share on whole checks (BehaviourScenes, stock profiles, real scenario ids): a badly
/// balanced delivery costs words the mix could keep, while the words the place takes are the
/// same whatever the balance; and the blame follows the share.
final class MixShareBehaviourTests: XCTestCase {
    typealias Scene = BehaviourScene
    static let studio = CheckBehaviourTests.studio
    static let earbudsOnBus = CheckBehaviourTests.earbudsOnBus
    static let phoneOnBus = CheckBehaviourTests.phoneOnBus

    static func table(_ words: [WordMasking]) -> String {
        words.map { w in
            String(format: "%d %@ sii %.2f without the mix %.2f %@", w.index, w.text, w.sii, w.siiWithoutMix,
                   !w.masked ? "clear" : (w.maskedWithoutMix ? "lost to the situation (" : "masked by the mix (") + (w.maskedBy?.rawValue ?? "?") + ")")
        }.joined(separator: "\n")
    }

    /// Every masked word is blamed on what its share says: the mix's cost on a stem of the mix,
    /// the situation's on the environment or the device.
    func assertBlameFollowsTheShare(_ report: CheckReport, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        for s in report.scenarios {
            for w in s.words ?? [] where w.masked {
                let kind = w.maskedBy
                if w.maskedWithoutMix {
                    XCTAssertTrue(kind == .environment || kind == .device, "\(label) \(s.id): '\(w.text)' is lost even without the mix but blamed on \(kind?.rawValue ?? "nothing")", file: file, line: line)
                } else {
                    XCTAssertTrue(kind?.isPartOfTheMix == true, "\(label) \(s.id): '\(w.text)' is heard without the mix but blamed on \(kind?.rawValue ?? "nothing")", file: file, line: line)
                }
            }
            XCTAssertEqual(s.maskedByMix + s.maskedBySituation, s.maskedWords, "\(label) \(s.id)", file: file, line: line)
        }
    }

    /// The same scene delivered twice — dialogue 8 LU over the M&E (inside the mobile 6–10 LU)
    /// and 9 LU under it — on in-box earbuds on a bus and on the studio reference: the badly
    /// balanced delivery costs more words on both, while the words lost to the situation (the
    /// whispered line on the bus) are the same in both. The listener sets the volume by the
    /// dialogue, so both deliveries play at the same volume. (At 3 LU under, the normal words
    /// stay above the half-heard point: listeners get half the words of sentences at about
    /// −7 dB SNR, `WordTransferFunction`.)
    func testABadlyBalancedMixCostsMoreWordsWhileTheSituationTakesTheSame() throws {
        let good = try Scene.whisperedLine(dialogueOverMusicAndEffectsLU: 8)
        defer { good.remove() }
        let bad = try Scene.whisperedLine(dialogueOverMusicAndEffectsLU: -9)
        defer { bad.remove() }
        let goodReport = try good.check([Self.earbudsOnBus, Self.studio])
        let badReport = try bad.check([Self.earbudsOnBus, Self.studio])
        var detail = ""
        for (label, report) in [("+8 LU", goodReport), ("-3 LU", badReport)] {
            for s in report.scenarios { detail += "\(label) \(s.id) at \(s.volumePercent) %:\n\(Self.table(s.words ?? []))\n" }
        }
        XCTAssertGreaterThan(badReport.scenarios.map(\.maskedByMix).reduce(0, +), goodReport.scenarios.map(\.maskedByMix).reduce(0, +),
                             "the bad balance costs more words\n\(detail)")
        for (g, b) in zip(goodReport.scenarios, badReport.scenarios) {
            XCTAssertEqual(g.id, b.id)
            XCTAssertEqual(g.volumePercent, b.volumePercent, "the listener sets the volume by the dialogue\n\(detail)")
            XCTAssertGreaterThanOrEqual(b.maskedByMix, g.maskedByMix, "\(g.id): the bad balance never costs fewer words\n\(detail)")
            XCTAssertEqual(Double(b.maskedBySituation), Double(g.maskedBySituation), accuracy: 1,
                           "\(g.id): the situation takes about the same words whatever the balance\n\(detail)")
        }
        let goodBus = try XCTUnwrap(goodReport.scenarios.first { $0.device.id == Self.earbudsOnBus.device })
        let badBus = try XCTUnwrap(badReport.scenarios.first { $0.device.id == Self.earbudsOnBus.device })
        for words in [goodBus.words, badBus.words] {
            for w in try XCTUnwrap(words) where Scene.whisperedWords.contains(w.index) {
                XCTAssertTrue(w.maskedWithoutMix, "the bus takes whispered '\(w.text)' whatever the mix\n\(detail)")
                XCTAssertEqual(w.maskedBy, .environment, "whispered '\(w.text)'\n\(detail)")
            }
        }
        // The good balance keeps the normal words in the studio.
        let goodStudio = try XCTUnwrap(goodReport.scenarios.first { $0.device.id == Self.studio.device })
        XCTAssertEqual(goodStudio.maskedBySituation, 0, detail)
        assertBlameFollowsTheShare(goodReport, "+8 LU")
        assertBlameFollowsTheShare(badReport, "-9 LU")
    }

    /// A loud M&E (3 LU over the dialogue) under the lines in a quiet room takes the whispered
    /// words, and they are the mix's — blamed on the M&E, never on the room or the studio
    /// monitors. The same lines on the budget phone on a bus are mostly lost even without the mix
    /// (the phone at full volume cannot lift the dialogue over the bus): the situation's, blamed
    /// on the bus or the phone, never on the M&E, loud as it is; the few words the M&E tips
    /// over are the mix's, and blamed on it.
    func testLossesUnderALoudMixInAQuietRoomAreTheMixsAndOnAPhoneOnABusTheSituations() throws {
        let scene = try Scene.whisperedLine(dialogueOverMusicAndEffectsLU: -3)
        defer { scene.remove() }
        let report = try scene.check([Self.studio, Self.phoneOnBus])
        let studio = try XCTUnwrap(report.scenarios.first { $0.device.id == Self.studio.device })
        let phone = try XCTUnwrap(report.scenarios.first { $0.device.id == Self.phoneOnBus.device })
        let detail = "\(studio.id):\n\(Self.table(studio.words ?? []))\n\(phone.id) at \(phone.volumePercent) %:\n\(Self.table(phone.words ?? []))"
        for w in try XCTUnwrap(studio.words) {
            if Scene.whisperedWords.contains(w.index) {
                XCTAssertTrue(w.masked, "whispered '\(w.text)' under the loud M&E in the quiet room\n\(detail)")
            }
            if w.masked {
                XCTAssertFalse(w.maskedWithoutMix, "'\(w.text)' in the quiet room\n\(detail)")
                XCTAssertEqual(w.maskedBy, .me, "'\(w.text)' in the quiet room\n\(detail)")
            }
        }
        XCTAssertEqual(studio.maskedBySituation, 0, detail)
        let phoneWords = try XCTUnwrap(phone.words)
        for w in phoneWords where Scene.whisperedWords.contains(w.index) {
            XCTAssertTrue(w.maskedWithoutMix, "whispered '\(w.text)': the bus takes it without the mix\n\(detail)")
        }
        XCTAssertGreaterThanOrEqual(phone.maskedBySituation, phone.maskedByMix, "on the bus the situation takes more than the mix\n\(detail)")
        assertBlameFollowsTheShare(report, "-3 LU")

        // The report carries the share and the dB the dialogue lacks where the phone is the limit.
        let json = try JSONSerialization.jsonObject(with: Data(report.json().serialized().utf8)) as? [String: Any]
        let scenarios = try XCTUnwrap(json?["scenarios"] as? [[String: Any]])
        let phoneSummary = try XCTUnwrap(scenarios.first { $0["id"] as? String == phone.id }?["summary"] as? [String: Any])
        XCTAssertEqual(phoneSummary["maskedByMix"] as? Int, phone.maskedByMix)
        XCTAssertEqual(phoneSummary["maskedBySituation"] as? Int, phone.maskedBySituation)
        let shortfall = try XCTUnwrap(phoneSummary["dialogueShortfallDB"] as? Double)
        XCTAssertEqual(shortfall, try XCTUnwrap(report.dialogueShortfallDB(phone)), accuracy: 0.01)
        let summary = report.summary()
        let row = try XCTUnwrap(summary.components(separatedBy: "\n").first { $0.hasPrefix(phone.id + " ") }, summary)
        XCTAssertTrue(row.contains(" \(phone.maskedByMix)/\(phoneWords.count) "), "masked by the mix first: \(row)")
        XCTAssertTrue(row.contains("  \(phone.maskedBySituation) ("), "the words lost to the situation, by what: \(row)")
        let html = report.html()
        XCTAssertTrue(html.contains(" · \(phone.maskedBySituation) lost to the situation ("), "the matrix gives the situation as context")
        if phone.volumePercent >= 100 && shortfall > ReportThresholds.levelShortfallWarnDB {
            XCTAssertTrue(html.contains("dB short at full volume)"), "with the dB the dialogue lacks")
        }
    }
}

import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// Behavioural tests of `earshot check` on scenes with known truth (BehaviourScenes): the
/// stock profiles, the real scenario ids, and for each behaviour the case that must be flagged
/// and the contrast that must not.
final class CheckBehaviourTests: XCTestCase {
    typealias Scene = BehaviourScene

    static let studio = (device: "studio-reference", environment: "quiet-room")
    static let phoneOnBus = (device: "phone-budget-speaker", environment: "commute-bus")
    static let earbudsOnBus = (device: "earbuds-wired-inbox", environment: "commute-bus")

    static func table(_ words: [WordMasking]) -> String {
        words.map { w in
            String(format: "%d %@ sii %.3f %@%@", w.index, w.text, w.sii, w.masked ? "masked by " : "clear",
                   w.masked ? (w.maskedBy?.rawValue ?? "?") : "")
                + " [" + w.siiByMasker.sorted { $0.key < $1.key }.map { String(format: "%@ %.2f", $0.key.rawValue, $0.value) }.joined(separator: ", ") + "]"
        }.joined(separator: "\n")
    }

    func only(_ report: CheckReport, file: StaticString = #filePath, line: UInt = #line) throws -> (ScenarioResult, [WordMasking]) {
        XCTAssertEqual(report.scenarios.count, 1, file: file, line: line)
        let scenario = try XCTUnwrap(report.scenarios.first, file: file, line: line)
        return (scenario, try XCTUnwrap(scenario.words, file: file, line: line))
    }

    /// The earbuds on the bus and the studio in the quiet room, each at the listener's volume;
    /// the listener turns the earbuds up on the bus.
    func busAndStudio(_ scene: Scene, file: StaticString = #filePath, line: UInt = #line) throws
        -> (ScenarioResult, [WordMasking], ScenarioResult, [WordMasking]) {
        let report = try scene.check([Self.earbudsOnBus, Self.studio])
        XCTAssertEqual(report.scenarios.count, 2, file: file, line: line)
        let bus = try XCTUnwrap(report.scenarios.first { $0.device.id == Self.earbudsOnBus.device }, file: file, line: line)
        let studio = try XCTUnwrap(report.scenarios.first { $0.device.id == Self.studio.device }, file: file, line: line)
        XCTAssertGreaterThan(bus.volumePercent, studio.volumePercent, "a listener on the bus turns the earbuds up", file: file, line: line)
        return (bus, try XCTUnwrap(bus.words, file: file, line: line), studio, try XCTUnwrap(studio.words, file: file, line: line))
    }

    /// (a) A loud effects burst (debris and glass, 11 LU above the dialogue for 1.6 s) over four
    /// words. On wired in-box earbuds on a bus those words are the ones the scenario threatens,
    /// and the burst is what threatens them; the rest of the dialogue survives the bus. In the
    /// studio the same words stay intelligible.
    ///
    /// The burst does not mask them outright: it sits mostly above 2.5 kHz and the bus mostly
    /// below 1 kHz, so the 0.5-2.5 kHz core of the speech band survives both, and the words'
    /// index (about 0.36) is what stationary speech-shaped noise gives at about −4 dB SNR, where
    /// listeners still get about nine words in ten (OLSA word-scored SRT −7.1 dB, 17.1 %/dB;
    /// `WordTransferFunction`). An earlier version of this test expected them masked; that
    /// verdict was stricter than listeners are.
    ///
    /// Why earbuds and not `phone-budget-speaker@commute-bus`: at −23 LUFS the budget phone
    /// speaker puts the dialogue near 61 dB(A) against a 76 dB(A) bus, so the bus alone puts most
    /// words at risk (SII ≈ 0.2, see `testPhoneSpeakerOnTheBusPutsMostWordsAtRiskAndTheLossesAreTheBuss`)
    /// and little else can be "what masks" them. And no phone-only effect could make the burst
    /// worse on the phone than in the studio: a device's linear response scales dialogue and
    /// effects alike, and the phone's mono fold-down lowers a wide burst by 3 dB against the
    /// centred dialogue. A burst that out-masks the bus on the phone masks the studio too.
    ///
    /// What makes the bus scenario differ from the studio is the bus itself: it takes the low
    /// half of the speech band (its noise falls about 5 dB per octave above 250 Hz), the burst
    /// the upper half. Either alone leaves the words intelligible; together they do not. The
    /// earbuds play at the listener's choice on the bus (`ListenerVolume`), louder than in the
    /// studio's quiet room.
    func testLoudEffectsBurstMasksTheWordsUnderItOnTheBusButNotInTheStudio() throws {
        let scene = try Scene.effectsBurst()
        defer { scene.remove() }
        XCTAssertLessThan(SceneFiles.peakDBFS(try AudioFile.readPlanar(path: scene.inputs.paths[.effects]!).channels), -1,
                          "the burst is loud but not clipped")
        let (bus, busWords, studio, studioWords) = try busAndStudio(scene)
        let detail = "\(bus.id):\n\(Self.table(busWords))\n\(studio.id) at \(studio.volumePercent) %:\n\(Self.table(studioWords))"
        XCTAssertEqual(busWords.count, Scene.confrontation.count)
        for w in busWords {
            if Scene.burstWords.contains(w.index) {
                // The burst, not the bus, dominates: alone it leaves the lower SII.
                XCTAssertLessThan(try XCTUnwrap(w.siiByMasker[.effects]), try XCTUnwrap(w.siiByMasker[.environment]))
                XCTAssertLessThan(w.sii, 0.42, "'\(w.text)'\n\(detail)")
                let clearest = busWords.filter { !Scene.burstWords.contains($0.index) }.map(\.heardProbability).min()!
                XCTAssertLessThan(w.heardProbability, clearest, "'\(w.text)' is more at risk than any word outside the burst\n\(detail)")
            } else {
                XCTAssertFalse(w.masked, "'\(w.text)' is outside the burst\n\(detail)")
            }
        }
        for w in studioWords {
            XCTAssertFalse(w.masked, "'\(w.text)' in the studio\n\(detail)")
            if Scene.burstWords.contains(w.index) {
                // The burst is there in the studio too: it costs these words, but not enough to
                // mask them.
                XCTAssertLessThan(w.sii, 0.75, "'\(w.text)'\n\(detail)")
            } else {
                XCTAssertGreaterThan(w.sii, 0.9, "'\(w.text)'\n\(detail)")
            }
        }
    }

    /// The budget phone speaker on a bus cannot lift a −23 LUFS dialogue over the bus: the
    /// listener turns it up to the level people choose in that noise (about 61 dB(A), van
    /// Heusden et al. 1979), some 15 dB under the bus's A-weighted level, and most words — under
    /// the effects burst or not — are at risk; the masked ones are the bus's, or, for a word under
    /// the burst that would be heard without it, the effects'.
    func testPhoneSpeakerOnTheBusPutsMostWordsAtRiskAndTheLossesAreTheBuss() throws {
        let scene = try Scene.effectsBurst()
        defer { scene.remove() }
        let (phone, words) = try only(try scene.check([Self.phoneOnBus]))
        let detail = "\(phone.id) at \(phone.volumePercent) %:\n\(Self.table(words))"
        XCTAssertGreaterThanOrEqual(words.filter(\.atRisk).count * 2, words.count, "most words are at risk\n\(detail)")
        XCTAssertGreaterThan(words.filter(\.masked).count, 0, detail)
        for w in words {
            if w.masked {
                // Lost even without the mix: the bus's. Heard without it: the burst tipped it over.
                XCTAssertEqual(w.maskedBy, w.maskedWithoutMix ? .environment : .effects, "'\(w.text)'\n\(detail)")
                if !w.maskedWithoutMix { XCTAssertTrue(Scene.burstWords.contains(w.index), "only the burst tips a word over: '\(w.text)'\n\(detail)") }
            }
            XCTAssertLessThan(w.sii, 0.35, "'\(w.text)'\n\(detail)")
            XCTAssertLessThan(try XCTUnwrap(w.siiByMasker[.environment]), try XCTUnwrap(w.siiByMasker[.effects]), "'\(w.text)'\n\(detail)")
        }
        // The burst still costs the words under it something.
        let under = words.filter { Scene.burstWords.contains($0.index) }.map(\.sii)
        let others = words.filter { !Scene.burstWords.contains($0.index) }.map(\.sii)
        XCTAssertLessThan(under.reduce(0, +) / Double(under.count), others.reduce(0, +) / Double(others.count) - 0.03, detail)
    }

    /// (b) A sub-bass hit (50→40 Hz, peak −6 dBFS) drives the budget phone's cone past its
    /// excursion limit: a high LF risk with an event at the hit (±50 ms) and none elsewhere, while
    /// the studio monitors (excursion limit far above full scale) stay at no risk.
    func testSubBassHitRaisesThePhonesLowFrequencyRiskAtItsTime() throws {
        let scene = try Scene.bassHit()
        defer { scene.remove() }
        let report = try scene.check([Self.phoneOnBus, Self.studio])
        let phone = try XCTUnwrap(report.scenarios.first { $0.device.id == Self.phoneOnBus.device }).lowFrequency
        let studio = try XCTUnwrap(report.scenarios.first { $0.device.id == Self.studio.device }).lowFrequency
        let detail = "phone \(phone)\nstudio \(studio)"
        XCTAssertGreaterThanOrEqual(phone.riskScore, 0.5, detail)
        XCTAssertGreaterThan(phone.peakExcursionRatio, 1.2, detail)
        let first = try XCTUnwrap(phone.events.first, detail)
        XCTAssertEqual(first.startSeconds, Scene.bassHitSeconds, accuracy: 0.05, detail)
        for e in phone.events {
            XCTAssertTrue(e.startSeconds >= Scene.bassHitSeconds - 0.05 && e.endSeconds <= Scene.bassHitSeconds + 0.8,
                          "an excursion event away from the hit: \(e)")
        }
        // Most of what the phone is asked to play is below its usable low cut (400 Hz).
        XCTAssertGreaterThan(phone.energyShareBelowLowCut, 0.3, detail)
        XCTAssertLessThan(studio.riskScore, 0.05, detail)
        XCTAssertTrue(studio.events.isEmpty, detail)
        XCTAssertLessThan(studio.peakExcursionRatio, 0.1, detail)
    }

    /// (c) One /s/ of the talker (word 7) has 10 dB more from 6 to 10 kHz than the talker's other
    /// six. It is flagged, on its own word, and it is the only one that sticks out of the
    /// talker's sibilants — on the flat studio reference and through the phone's rising treble
    /// alike. In the studio it is the only harsh one; the phone's treble (7–10 dB up at 4–8 kHz)
    /// raises every sibilant against normal speech's peaks and makes it sharper, so the phone
    /// flags every sibilant the studio flags, and maybe more.
    func testBoostedSibilantIsFlaggedOnItsWordAndTheTalkersOtherSibilantsAreNot() throws {
        let scene = try Scene.boostedSibilant()
        defer { scene.remove() }
        let report = try scene.check([Self.studio, Self.phoneOnBus])
        let sibilantWords = Set(Scene.sibilantLines.indices.filter { Scene.sibilantLines[$0].hasSibilant })
        XCTAssertEqual(sibilantWords.count, 7)
        var sharpnessByStart: [String: [Double: Double]] = [:]
        var overPeakByStart: [String: [Double: Double]] = [:]
        var harshWords: [String: Set<Int>] = [:]
        for scenario in report.scenarios {
            let sibilance = try XCTUnwrap(scenario.sibilance)
            let detail = "\(scenario.id):\n" + sibilance.events.map {
                String(format: "%.3f–%.3f word %@ relative %+.1f dB sharpness %@ %@", $0.startSeconds, $0.endSeconds, "\($0.wordIndex ?? -1)",
                       $0.relativeExcessDB, $0.sharpnessAcum.map { String(format: "%.2f acum", $0) } ?? "-", $0.harsh ? "HARSH" : "")
            }.joined(separator: "\n")
            // Every sibilant word is found.
            XCTAssertTrue(sibilantWords.isSubset(of: Set(sibilance.events.compactMap(\.wordIndex))), detail)
            let boosted = sibilance.events.filter { $0.wordIndex == Scene.boostedWord }
            XCTAssertEqual(boosted.count, 1, detail)
            XCTAssertTrue(boosted.allSatisfy(\.harsh), detail)
            XCTAssertGreaterThanOrEqual(boosted.first?.relativeExcessDB ?? 0, 6, detail)
            for e in sibilance.events where e.wordIndex != Scene.boostedWord {
                XCTAssertLessThan(e.relativeExcessDB, 3, "only the boosted /s/ sticks out\n\(detail)")
                XCTAssertLessThan(e.sharpnessAcum ?? 0, boosted.first?.sharpnessAcum ?? 0, "the boosted /s/ is the sharpest\n\(detail)")
            }
            if scenario.device.id == Self.studio.device {
                XCTAssertEqual(sibilance.events.filter(\.harsh).map(\.wordIndex), [Scene.boostedWord], detail)
            }
            for e in sibilance.events {
                if let s = e.sharpnessAcum { sharpnessByStart[scenario.device.id, default: [:]][e.startSeconds] = s }
                overPeakByStart[scenario.device.id, default: [:]][e.startSeconds] = e.overSpeechPeakDB
            }
            harshWords[scenario.device.id] = Set(sibilance.events.filter(\.harsh).compactMap(\.wordIndex))
        }
        let studioHarsh = try XCTUnwrap(harshWords[Self.studio.device]), phoneHarsh = try XCTUnwrap(harshWords[Self.phoneOnBus.device])
        XCTAssertTrue(studioHarsh.isSubset(of: phoneHarsh), "studio \(studioHarsh.sorted()), phone \(phoneHarsh.sorted())")
        let studioOver = try XCTUnwrap(overPeakByStart[Self.studio.device]), phoneOver = try XCTUnwrap(overPeakByStart[Self.phoneOnBus.device])
        for (start, x) in studioOver {
            XCTAssertGreaterThan(try XCTUnwrap(phoneOver[start], "event at \(start) s on the phone"), x, "the phone's treble raises the /s/ at \(start) s")
        }
        let studio = try XCTUnwrap(sharpnessByStart[Self.studio.device]), phone = try XCTUnwrap(sharpnessByStart[Self.phoneOnBus.device])
        XCTAssertGreaterThanOrEqual(studio.count, 7)
        for (start, s) in studio {
            XCTAssertGreaterThan(try XCTUnwrap(phone[start], "event at \(start) s on the phone"), s, "the phone's treble sharpens the /s/ at \(start) s")
        }
    }

    /// (d) A whispered line (20 dB under the others) on in-box earbuds on a bus is taken by the
    /// bus — masked, by the environment — while the normal lines around it survive; in the
    /// studio the whisper is heard. The earbuds play at the listener's choice (see (a)).
    func testWhisperedLineIsLostToTheBusWhileTheNormalLinesAreNot() throws {
        let scene = try Scene.whisperedLine()
        defer { scene.remove() }
        let (bus, busWords, studio, studioWords) = try busAndStudio(scene)
        let detail = "\(bus.id):\n\(Self.table(busWords))\n\(studio.id) at \(studio.volumePercent) %:\n\(Self.table(studioWords))"
        for w in busWords {
            if Scene.whisperedWords.contains(w.index) {
                XCTAssertTrue(w.masked, "whispered '\(w.text)'\n\(detail)")
                XCTAssertEqual(w.maskedBy, .environment, "whispered '\(w.text)'\n\(detail)")
                XCTAssertLessThan(w.sii, 0.3, "whispered '\(w.text)'\n\(detail)")
                XCTAssertGreaterThan(try XCTUnwrap(w.siiByMasker[.me]), 0.6, "the quiet M&E alone leaves the whisper\n\(detail)")
            } else {
                XCTAssertFalse(w.masked, "normal '\(w.text)'\n\(detail)")
            }
        }
        for w in studioWords where Scene.whisperedWords.contains(w.index) {
            XCTAssertFalse(w.masked, "whispered '\(w.text)' in the studio\n\(detail)")
        }
        XCTAssertEqual(studioWords.filter(\.masked).count, 0, detail)
    }
}

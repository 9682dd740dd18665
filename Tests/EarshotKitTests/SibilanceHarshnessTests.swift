import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// `SibilanceAnalyzer` on a synthetic talker (SyntheticTalker) played flat at a conversational
/// level: identical sibilants get identical verdicts, and weak events are described but not
/// measured for sharpness.
final class SibilanceHarshnessTests: XCTestCase {
    typealias Word = SyntheticTalker.Word

    /// Runs the analyzer the way `earshot check` does: candidates from the stem, measured again
    /// on the same signal at the ear (here: the stem itself at `levelDBSPL` of RMS over speech).
    func analyse(_ words: [Word], seconds: Double, levelDBSPL: Double = 65) throws -> SibilanceHarshness {
        var voice = SyntheticTalker.render(words, seconds: seconds)
        let speech = voice.filter { abs($0) > 1e-3 }
        let rms = TestSignals.rms(speech[...])
        let gain = Float(20e-6 * pow(10, levelDBSPL / 20) / rms)
        voice = voice.map { $0 * gain }
        let stem = try SibilanceTrackBuilder()
        stem.consume(voice)
        let timings = words.enumerated().map { i, w in
            WordTiming(index: i, text: w.text, startSeconds: w.startSeconds, endSeconds: w.endSeconds, estimated: false)
        }
        let analyzer = try SibilanceAnalyzer(candidates: SibilantCandidates.find(in: stem.track), words: timings)
        for start in stride(from: 0, to: voice.count, by: 8192) { analyzer.consume(Array(voice[start..<min(voice.count, start + 8192)])) }
        return analyzer.finish()
    }

    /// Six bright /s/ of one kind (10 dB more at 6–10 kHz than a plain /s/, on every one): none
    /// sticks out of the others, all are sharp and all pierce. Every one is measured, and they
    /// share one verdict — harsh, over normal speech's peak in a sibilant band — whatever side of
    /// the talker's median their excess falls on by a few tenths of a dB.
    func testIdenticalSibilantsGetTheSameVerdict() throws {
        let bright = SyntheticTalker.Consonant.s(boostDB: 10)
        let words = SyntheticTalker.layout([
            (0.3, [Word("so", bright, [.o]), Word("see", bright, [.i]), Word("sun", bright, [.a])]),
            (1.8, [Word("sip", bright, [.i]), Word("set", bright, [.e], .t), Word("sob", bright, [.o])]),
        ])
        let result = try analyse(words, seconds: 3.5)
        let onS = result.events.filter { e in words.indices.contains(e.wordIndex ?? -1) && e.startSeconds < words[e.wordIndex!].startSeconds + 0.05 }
        let detail = result.events.map { String(format: "word %@ rel %+.2f over peak %+.1f sharp %@ %@", "\($0.wordIndex ?? -1)", $0.relativeExcessDB, $0.overSpeechPeakDB,
                                                $0.sharpnessAcum.map { String(format: "%.2f", $0) } ?? "-", $0.harsh ? "harsh" : "") }.joined(separator: "\n")
        XCTAssertEqual(Set(onS.compactMap(\.wordIndex)), Set(0..<6), detail)
        for e in onS {
            XCTAssertLessThan(abs(e.relativeExcessDB), 3, detail)
            let sharpness = try XCTUnwrap(e.sharpnessAcum, "every sibilant of the talker is measured\n\(detail)")
            XCTAssertGreaterThanOrEqual(sharpness, 4, detail)
            XCTAssertGreaterThanOrEqual(e.overSpeechPeakDB, SibilanceHarshness.harshOverSpeechPeakDB, detail)
            XCTAssertTrue(e.harsh, detail)
        }
    }

    /// The talker of the behavioural scenes (BehaviourScene.sibilantLines) with every /s/
    /// plain: all measured, none harsh; its /t/ bursts, far weaker than its sibilants (more than
    /// 6 dB under the median excess), are left unmeasured.
    func testPlainSibilantsAreNotHarshAndWeakEventsAreNotMeasured() throws {
        let words = BehaviourScene.sibilantLines.map { w -> Word in
            var plain = w
            if w.onset?.isSibilant == true { plain.onset = .s }
            return plain
        }
        let result = try analyse(words, seconds: 6)
        let detail = result.events.map { String(format: "word %@ rel %+.2f over peak %+.1f sharp %@ %@", "\($0.wordIndex ?? -1)", $0.relativeExcessDB, $0.overSpeechPeakDB,
                                                $0.sharpnessAcum.map { String(format: "%.2f", $0) } ?? "-", $0.harsh ? "harsh" : "") }.joined(separator: "\n")
        XCTAssertGreaterThanOrEqual(result.events.count, 6, detail)
        XCTAssertTrue(result.events.contains { $0.relativeExcessDB < -SibilanceAnalyzer.weakBelowMedianDB }, "a weak event (a /t/)\n\(detail)")
        for e in result.events {
            XCTAssertFalse(e.harsh, detail)
            if e.relativeExcessDB < -SibilanceAnalyzer.weakBelowMedianDB {
                XCTAssertNil(e.sharpnessAcum, detail)
            } else {
                XCTAssertNotNil(e.sharpnessAcum, detail)
                XCTAssertLessThan(e.sharpnessAcum ?? 9, 4, detail)
            }
        }
    }
}

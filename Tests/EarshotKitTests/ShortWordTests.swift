import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// Words too short to be words: line-cue words placed by estimate never go under the 100 ms
/// floor (or, when the cue cannot hold them at the floor, share it evenly), and a word from any
/// timing file too short for the per-word masking to judge is reported as such, not masked.
final class ShortWordTests: WordTimingTestCase {
    typealias Burst = SyntheticSpeech.Burst
    let floor = LineCuePlacement.minimumWordSeconds

    func assertInOrderInside(_ words: [WordTiming], from start: Double, to end: Double, file: StaticString = #filePath, line: UInt = #line) {
        for (k, w) in words.enumerated() {
            XCTAssertGreaterThanOrEqual(w.startSeconds, start - 1e-9, "\(w.text) starts before its cue", file: file, line: line)
            XCTAssertLessThanOrEqual(w.endSeconds, end + 1e-9, "\(w.text) ends after its cue", file: file, line: line)
            if k > 0 { XCTAssertLessThanOrEqual(words[k - 1].endSeconds, w.startSeconds + 1e-9, "\(w.text) overlaps", file: file, line: line) }
        }
    }

    /// "I called." with a 40 ms "I" before a long word: the energy alone would give "I" a frame
    /// or two (about 10 ms); the floor gives it 100 ms, and "called" keeps its burst.
    func testAShortWordOfALineCueGetsAtLeastTheFloor() throws {
        let bursts = [Burst(start: 1.00, end: 1.04), Burst(start: 1.06, end: 1.70)]
        let x = SyntheticSpeech.signal(seconds: 3, sampleRate: 16000, bursts: bursts)
        let envelope = SpeechEnvelope(samples: x, sampleRate: 16000)
        let srt = "1\n00:00:00,900 --> 00:00:02,000\nI called.\n"
        let t = try WordTimingReader.read(path: try write("i.srt", srt), programmeSeconds: 3, dialogueEnvelope: envelope)
        XCTAssertEqual(texts(t), ["I", "called"])
        for w in t.words { XCTAssertGreaterThanOrEqual(w.durationSeconds, floor - 1e-9, "\(w.text): \(w.startSeconds)–\(w.endSeconds)") }
        assertInOrderInside(t.words, from: 0.9, to: 2.0)
        XCTAssertEqual(t.words[0].startSeconds, 1.0, accuracy: 0.02, "I starts where the speech does")
        XCTAssertEqual(t.words[1].endSeconds, 1.7, accuracy: 0.02, "called ends where the speech does")
    }

    /// Speech too short for three words at the floor (150 ms) in a one-second cue: the speech is
    /// widened around its middle into the cue's pauses, 300 ms, every word at least the floor.
    func testSpeechTooShortForItsWordsIsWidenedIntoTheCuesPauses() throws {
        let x = SyntheticSpeech.signal(seconds: 3, sampleRate: 16000, bursts: [Burst(start: 1.40, end: 1.55)])
        let envelope = SpeechEnvelope(samples: x, sampleRate: 16000)
        let srt = "1\n00:00:01,000 --> 00:00:02,000\nwe were here\n"
        let t = try WordTimingReader.read(path: try write("w.srt", srt), programmeSeconds: 3, dialogueEnvelope: envelope)
        XCTAssertEqual(texts(t), ["we", "were", "here"])
        for w in t.words { XCTAssertGreaterThanOrEqual(w.durationSeconds, floor - 1e-9, w.text) }
        assertInOrderInside(t.words, from: 1.0, to: 2.0)
        XCTAssertEqual(t.words[0].startSeconds, 1.475 - 0.15, accuracy: 0.02, "centred on the speech")
        XCTAssertEqual(t.words[2].endSeconds, 1.475 + 0.15, accuracy: 0.02, "centred on the speech")
        for w in t.words { XCTAssertEqual(w.durationSeconds, floor, accuracy: 1e-9, "widened just enough: \(w.text) at the floor") }
    }

    /// Five words in a 300 ms cue cannot all have 100 ms: they share the cue evenly (60 ms each),
    /// inside it — with the dialogue envelope and without.
    func testACueTooShortForItsWordsAtTheFloorIsSharedEvenly() throws {
        let x = SyntheticSpeech.signal(seconds: 2, sampleRate: 16000, bursts: [Burst(start: 0.95, end: 1.35)])
        let envelope = SpeechEnvelope(samples: x, sampleRate: 16000)
        let srt = "1\n00:00:01,000 --> 00:00:01,300\nso you are not in\n"
        for env in [envelope, nil] {
            let t = try WordTimingReader.read(path: try write("s.srt", srt), programmeSeconds: 2, dialogueEnvelope: env)
            XCTAssertEqual(texts(t), ["so", "you", "are", "not", "in"])
            let starts = [1.0, 1.06, 1.12, 1.18, 1.24]
            for (w, start) in zip(t.words, starts) {
                XCTAssertEqual(w.startSeconds, start, accuracy: 1e-9, "\(w.text), envelope: \(env != nil)")
                XCTAssertEqual(w.endSeconds, start + 0.06, accuracy: 1e-9, "\(w.text), envelope: \(env != nil)")
            }
        }
    }

    /// A TextGrid word of 10 ms inside "said", under the effects burst in the loud room where
    /// its neighbours are masked: reported too short to judge (no SII, not masked) in the
    /// result, report.json (valid against the schema), words.csv, the HTML report and the summary
    /// counts.
    func testATenMillisecondTextGridWordIsTooShortToJudgeNotMasked() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let scene = try CheckScene(workspace)
        var intervals: [WordTimingFormatTests.Interval] = []
        var t = 0.0
        for w in CheckScene.words {
            if w.start > t { intervals.append((t, w.start, "")) }
            if w.text == "said" {
                intervals += [(w.start, 2.60, "said"), (2.60, 2.61, "we"), (2.61, w.end, "so")]
            } else {
                intervals.append((w.start, w.end, w.text))
            }
            t = w.end
        }
        intervals.append((t, CheckScene.seconds, ""))
        let grid = WordTimingFormatTests.textGrid(long: true, xmax: CheckScene.seconds, tiers: [.intervals("words", intervals)])
        let path = try write("scene.TextGrid", grid)
        let report = try CheckRunner.run(inputs: try scene.writeStemsAndMix(),
                                         settings: scene.settings(words: path, scenarios: [(CheckScene.device, "loud-test")]),
                                         catalog: try scene.catalog())
        let words = try XCTUnwrap(report.scenarios.first?.words)
        let we = try XCTUnwrap(words.first { $0.text == "we" })
        XCTAssertEqual(we.endSeconds - we.startSeconds, 0.01, accuracy: 1e-9)
        XCTAssertTrue(we.tooShortToJudge)
        XCTAssertFalse(we.masked)
        XCTAssertNil(we.maskedBy)
        XCTAssertTrue(we.sii.isNaN)
        // The neighbours are judged, and the loud room with the effects burst masks them: "not
        // masked" above is not for want of a masker.
        let said = try XCTUnwrap(words.first { $0.text == "said" })
        XCTAssertFalse(said.tooShortToJudge)
        XCTAssertTrue(said.masked, "SII \(said.sii)")
        XCTAssertEqual(words.filter(\.tooShortToJudge).map(\.text), ["we"])
        XCTAssertEqual(report.scenarios[0].tooShortWords, 1)
        XCTAssertEqual(report.scenarios[0].maskedWords, words.filter { $0.masked }.count)

        let text = report.json().serialized()
        let node = try JSONDocument.parse(text, file: "report.json")
        XCTAssertEqual(try TestPackage.schemaValidator().validate(node).map(\.description), [])
        let index = String(we.index)
        func bool(_ n: JSONNode?) -> Bool? { if case .bool(let b)? = n?.value { return b }; return nil }
        XCTAssertEqual(bool(node.node(at: ["scenarios", "0", "words", index, "tooShortToJudge"])), true)
        XCTAssertTrue(node.node(at: ["scenarios", "0", "words", index, "sii"])?.isNull ?? false)
        XCTAssertEqual(bool(node.node(at: ["scenarios", "0", "words", index, "masked"])), false)
        XCTAssertEqual(node.node(at: ["scenarios", "0", "summary", "tooShortToJudge"])?.number, 1)

        let html = report.html()
        XCTAssertEqual(html.components(separatedBy: ">too short</td>").count - 1, 1, "one cell of the HTML word table")
        XCTAssertTrue(html.contains("too short to judge</title>"), "the timeline tooltip")
        XCTAssertTrue(html.contains("; 1 too short to judge"), "the matrix's masked-words cell")

        let csv = Exports.wordsCSV(report).components(separatedBy: "\n")
        XCTAssertTrue(csv[0].hasSuffix(",masked,atRisk,maskedBy,maskedWithoutMix,siiWithoutMix,tooShortToJudge"), csv[0])
        let row = try XCTUnwrap(csv.first { $0.contains(",we,") })
        XCTAssertTrue(row.hasSuffix(",,,false,false,,false,,true"), row)
    }
}

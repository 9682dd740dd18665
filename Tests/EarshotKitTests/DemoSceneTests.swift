import XCTest
@testable import EarshotKit

/// Checks the committed example scene (Examples/demo-scene, made by
/// Scripts/make_example_scene.py): the stems and the mix line up and add up, and the word
/// timings are usable.
final class DemoSceneTests: XCTestCase {
    static var sceneDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Examples/demo-scene").path
    }

    static func readAll(_ name: String) throws -> (source: AudioSource, block: StereoBlock) {
        let source = try AudioSource(path: sceneDirectory + "/" + name)
        var left: [Float] = [], right: [Float] = []
        while true {
            let b = try source.read(65536)
            if b.frames == 0 { break }
            left += b.left; right += b.right
        }
        return (source, StereoBlock(left: left, right: right))
    }

    func testMixIsDialoguePlusME() throws {
        let (dSource, dialogue) = try Self.readAll("dialogue.flac")
        let (mSource, me) = try Self.readAll("me.flac")
        let (xSource, mix) = try Self.readAll("mix.flac")
        for s in [dSource, mSource, xSource] {
            XCTAssertEqual(s.info.sampleRate, 48000, s.info.path)
            XCTAssertEqual(s.info.channels, 2, s.info.path)
            XCTAssertEqual(s.info.frames, dSource.info.frames, "\(s.info.path) length")
        }
        XCTAssertEqual(dialogue.frames, dSource.info.frames)
        XCTAssertEqual(me.frames, dialogue.frames)
        XCTAssertEqual(mix.frames, dialogue.frames)
        let scene = try Self.sceneJSON()
        XCTAssertEqual(dSource.info.frames, try XCTUnwrap(scene["frames"] as? Int))
        XCTAssertEqual(dSource.info.durationSeconds, 30, accuracy: 2, "about 30 s")
        var worst: Float = 0
        for i in 0..<mix.frames {
            worst = max(worst, abs(mix.left[i] - dialogue.left[i] - me.left[i]),
                        abs(mix.right[i] - dialogue.right[i] - me.right[i]))
        }
        XCTAssertLessThanOrEqual(worst, 1e-5, "mix − (dialogue + me)")
        // The stems are not empty: the check above would pass trivially on silence.
        XCTAssertGreaterThan(dialogue.left.map(abs).max()!, 0.1)
        XCTAssertGreaterThan(me.left.map(abs).max()!, 0.1)
        XCTAssertEqual(dialogue.left, dialogue.right, "dialogue is centred")
    }

    static func sceneJSON() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: sceneDirectory + "/scene.json"))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// scene.json's events lie inside the audio and the crash overlaps words of its line.
    func testSceneEventsAreInsideTheAudio() throws {
        let scene = try Self.sceneJSON()
        let duration = try AudioFileReader(path: Self.sceneDirectory + "/mix.flac").info.durationSeconds
        let events = try XCTUnwrap(scene["events"] as? [[String: Any]])
        XCTAssertEqual(Set(events.compactMap { $0["type"] as? String }),
                       ["music-bed", "sibilant-line", "effects-burst", "spotlight", "sub-bass-hit"])
        for e in events {
            let start = try XCTUnwrap((e["start"] as? NSNumber)?.doubleValue)
            let end = try XCTUnwrap((e["end"] as? NSNumber)?.doubleValue)
            XCTAssertTrue(0 <= start && start < end && end <= duration + 0.001, "\(e)")
        }
        let crash = try XCTUnwrap(events.first { $0["type"] as? String == "effects-burst" })
        XCTAssertFalse(try XCTUnwrap(crash["overlapsWords"] as? [[String: Any]]).isEmpty)
    }

    func testWordTimingsAreOrderedAndInsideTheAudio() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.sceneDirectory + "/words.json"))
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let segments = try XCTUnwrap(root["segments"] as? [[String: Any]])
        XCTAssertEqual(segments.count, 10)
        let duration = try AudioFileReader(path: Self.sceneDirectory + "/mix.flac").info.durationSeconds
        var previousEnd = 0.0
        var count = 0
        for segment in segments {
            let words = try XCTUnwrap(segment["words"] as? [[String: Any]])
            XCTAssertFalse(words.isEmpty)
            let text = try XCTUnwrap(segment["text"] as? String)
            XCTAssertEqual(words.compactMap { $0["word"] as? String }.joined(separator: " "), text)
            for w in words {
                let start = try XCTUnwrap((w["start"] as? NSNumber)?.doubleValue)
                let end = try XCTUnwrap((w["end"] as? NSNumber)?.doubleValue)
                XCTAssertGreaterThanOrEqual(start, previousEnd, "\(w)")
                XCTAssertGreaterThan(end, start, "\(w)")
                XCTAssertLessThanOrEqual(end, duration)
                previousEnd = end
                count += 1
            }
        }
        XCTAssertEqual(count, 44)
    }

    /// The words start where the dialogue stem starts sounding: the sample just before each
    /// word's start is quiet, the word itself is not.
    func testWordStartsMatchTheDialogueStem() throws {
        let (_, dialogue) = try Self.readAll("dialogue.flac")
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.sceneDirectory + "/words.json"))
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        for segment in try XCTUnwrap(root["segments"] as? [[String: Any]]) {
            for w in try XCTUnwrap(segment["words"] as? [[String: Any]]) {
                let start = Int(((w["start"] as! NSNumber).doubleValue * 48000).rounded())
                let end = Int(((w["end"] as! NSNumber).doubleValue * 48000).rounded())
                let before = dialogue.left[max(0, start - 480)..<max(0, start - 48)].map(abs).max() ?? 0
                let inside = dialogue.left[start..<end].map(abs).max()!
                XCTAssertLessThan(before, 0.01 * inside, "silence before \(w["word"]!)")
                XCTAssertGreaterThan(inside, 0.05, "\(w["word"]!) is audible")
            }
        }
    }

    /// The scene is delivered like a micro-drama episode: mix near −24 LUFS (±0.5 LU here),
    /// true peak under −2 dBTP, dialogue louder than the M&E bed.
    func testSceneLoudness() throws {
        let mix = try LoudnessMeter.measure(file: Self.sceneDirectory + "/mix.flac")
        XCTAssertEqual(try XCTUnwrap(mix.integratedLUFS), -24, accuracy: 0.5)
        XCTAssertLessThan(try XCTUnwrap(mix.truePeakDBTP), -2)
        let dialogue = try LoudnessMeter.measure(file: Self.sceneDirectory + "/dialogue.flac")
        let me = try LoudnessMeter.measure(file: Self.sceneDirectory + "/me.flac")
        XCTAssertGreaterThan(try XCTUnwrap(dialogue.integratedLUFS), try XCTUnwrap(me.integratedLUFS))
    }
}

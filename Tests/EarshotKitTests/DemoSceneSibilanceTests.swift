import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// Sibilance on the committed example scene (Examples/demo-scene): an espeak-ng voice, not the
/// synthetic talker the sibilance tests are written around. Its line 4 ("She saw your car on
/// Sixth Street. Stop these stories.") is boosted +8 dB around 6–10 kHz in the dialogue stem
/// (scene.json's "sibilant-line" event); the other lines are as espeak-ng speaks them.
final class DemoSceneSibilanceTests: XCTestCase {
    func testBoostedLinePiercesInTheStudioAndThePhoneFlagsEverythingTheStudioDoes() throws {
        let dir = DemoSceneTests.sceneDirectory
        let inputs = ScenarioInputs(mix: dir + "/mix.flac", dialogue: dir + "/dialogue.flac", me: dir + "/me.flac")
        let report = try SceneFiles.check(inputs, words: dir + "/words.json",
                                          scenarios: [("studio-reference", "quiet-room"), ("phone-budget-speaker", "commute-bus")])
        let events = try XCTUnwrap(DemoSceneTests.sceneJSON()["events"] as? [[String: Any]])
        let line = try XCTUnwrap(events.first { $0["type"] as? String == "sibilant-line" })
        let boostedWords = Set(try XCTUnwrap(line["words"] as? [[String: Any]]).compactMap { $0["index"] as? Int })
        XCTAssertEqual(boostedWords.count, 10)
        var harshByDevice: [String: Set<Double>] = [:]
        for scenario in report.scenarios {
            let sibilance = try XCTUnwrap(scenario.sibilance)
            let detail = "\(scenario.id):\n" + sibilance.events.map {
                String(format: "%.2f word %@ over peak %+.1f dB at %.0f Hz %@", $0.startSeconds, "\($0.wordIndex ?? -1)",
                       $0.overSpeechPeakDB, $0.peakBandHz, $0.harsh ? "HARSH" : "")
            }.joined(separator: "\n")
            harshByDevice[scenario.device.id] = Set(sibilance.events.filter(\.harsh).map(\.startSeconds))
            guard scenario.device.id == "studio-reference" else { continue }
            let inLine = sibilance.events.filter { boostedWords.contains($0.wordIndex ?? -1) }
            let elsewhere = sibilance.events.filter { !boostedWords.contains($0.wordIndex ?? -1) }
            XCTAssertGreaterThanOrEqual(inLine.count, 8, detail)
            XCTAssertGreaterThanOrEqual(Double(inLine.filter(\.harsh).count) / Double(inLine.count), 0.6, detail)
            XCTAssertGreaterThanOrEqual(elsewhere.count, 20, detail)
            XCTAssertLessThanOrEqual(Double(elsewhere.filter(\.harsh).count) / Double(elsewhere.count), 0.10, detail)
        }
        let studio = try XCTUnwrap(harshByDevice["studio-reference"]), phone = try XCTUnwrap(harshByDevice["phone-budget-speaker"])
        XCTAssertTrue(studio.isSubset(of: phone), "studio \(studio.sorted()), phone \(phone.sorted())")
    }
}

import XCTest
@testable import EarshotKit

/// The episode name `earshot check` names its default report folder after.
final class EpisodeNameTests: XCTestCase {
    func testTrailingStemWordsAreRemoved() {
        let cases = [
            ("/deliveries/ep01_mix.wav", "ep01"),
            ("/deliveries/EP01 Dialogue.wav", "EP01"),
            ("/deliveries/ep01-dx.flac", "ep01"),
            ("/deliveries/S01E03_ME.wav", "S01E03"),
            ("/deliveries/S01E03_M&E.wav", "S01E03"),
            ("/deliveries/ep01.mix.wav", "ep01"),
            ("/deliveries/ep01_dx_mix.wav", "ep01"),
            ("/deliveries/Heartbreak Hotel ep12 - full mix.aiff", "Heartbreak Hotel ep12"),
        ]
        for (path, expected) in cases { XCTAssertEqual(EpisodeName.of(path: path), expected, path) }
    }

    func testStemWordsInsideTheNameStay() {
        let cases = [
            ("/d/final_mix_v2.wav", "final_mix_v2"),
            ("/d/remix.wav", "remix"),
            ("/d/mixdown.wav", "mixdown"),
            ("/d/me_and_you_ep3.wav", "me_and_you_ep3"),
        ]
        for (path, expected) in cases { XCTAssertEqual(EpisodeName.of(path: path), expected, path) }
    }

    func testAFileNamedOnlyForItsStemTakesItsFolderName() {
        XCTAssertEqual(EpisodeName.of(path: "/series/s01/ep01/mix.wav"), "ep01")
        XCTAssertEqual(EpisodeName.of(path: "/series/s01/ep02/Dialogue.flac"), "ep02")
        XCTAssertEqual(EpisodeName.of(path: "/series/ep03/_mix.wav"), "ep03")
        XCTAssertEqual(EpisodeName.of(path: "/series/ep04/dx_me.wav"), "ep04")
    }

    func testTheMixNamesTheEpisodeElseTheDialogue() {
        XCTAssertEqual(EpisodeName.of(ScenarioInputs(mix: "/a/ep05_mix.wav", dialogue: "/b/ep05_v2_dx.wav", me: "/b/ep05_me.wav")), "ep05")
        XCTAssertEqual(EpisodeName.of(ScenarioInputs(dialogue: "/b/ep06_dx.wav", me: "/b/other_me.wav")), "ep06")
        XCTAssertEqual(EpisodeName.of(ScenarioInputs(dialogue: "/b/ep07/dx.wav", music: "/b/ep07/music.wav", effects: "/b/ep07/fx.wav")), "ep07")
    }
}

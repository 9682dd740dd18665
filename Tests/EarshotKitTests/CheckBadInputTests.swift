import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// `CheckRunner.run` on inputs that are wrong: each fails with a bad-input error naming the
/// file and the place, and no report comes back.
final class CheckBadInputTests: XCTestCase {
    var workspace: TestWorkspace!
    var scene: CheckScene!

    override func setUpWithError() throws {
        workspace = try TestWorkspace()
        scene = try CheckScene(workspace)
    }

    override func tearDown() { workspace.remove() }

    /// Runs the check expecting an `EarshotError`; returns it.
    func checkError(_ inputs: ScenarioInputs, words: String? = nil,
                    scenarios: [(device: String, environment: String)] = [(CheckScene.device, "quiet-test")],
                    file: StaticString = #filePath, line: UInt = #line) throws -> EarshotError {
        do {
            let report = try CheckRunner.run(inputs: inputs, settings: scene.settings(words: words, scenarios: scenarios), catalog: try scene.catalog())
            XCTFail("expected an error, got a report with \(report.scenarios.count) scenarios", file: file, line: line)
            throw NoError()
        } catch let error as EarshotError {
            return error
        }
    }

    struct NoError: Error {}

    /// A WhisperX file with one word per line: `words` as (text, start, end); the first word is
    /// on line 3.
    func writeWords(_ words: [(String, Double, Double)], name: String = "bad-words.json") throws -> String {
        let lines = words.map { "  {\"word\": \"\($0.0)\", \"start\": \($0.1), \"end\": \($0.2)}" }
        return try scene.writeText(name, "{\"segments\": [{\"words\": [\n\n" + lines.joined(separator: ",\n") + "\n]}]}\n")
    }

    func assertTimingError(_ words: String, location: String, contains expected: String,
                           file: StaticString = #filePath, line: UInt = #line) throws {
        let error = try checkError(try scene.writeStemsAndMix(), words: words, file: file, line: line)
        XCTAssertEqual(error.kind, .badInput, file: file, line: line)
        XCTAssertEqual(error.file, words, file: file, line: line)
        XCTAssertEqual(error.location, location, "\(error)", file: file, line: line)
        XCTAssertTrue(error.message.contains(expected), "'\(error.message)' should say '\(expected)'", file: file, line: line)
    }

    func testWordAfterTheEndOfTheAudio() throws {
        try assertTimingError(try writeWords([("here", 1.0, 1.4), ("late", 4.2, 4.5)]), location: "line 4",
                              contains: "word 'late' starts at 4.200 s (00:00:04.200), at or after the end of the programme (4.000 s")
        try assertTimingError(try writeWords([("long", 3.5, 4.8)]), location: "line 3",
                              contains: "word 'long' ends at 4.800 s (00:00:04.800), more than 0.5 s after the end of the programme")
    }

    func testNegativeTime() throws {
        try assertTimingError(try writeWords([("early", -0.5, 0.2), ("fine", 1.0, 1.3)]), location: "line 3",
                              contains: "word 'early' starts at -0.500 s, before the start of the programme; times must not be negative")
    }

    func testOverlappingWords() throws {
        try assertTimingError(try writeWords([("one", 1.0, 1.5), ("two", 1.3, 1.8)]), location: "line 4",
                              contains: "word 'two' (1.300–1.800 s) overlaps word 'one' at line 3 (1.000–1.500 s) by 0.200 s")
    }

    func testEndBeforeStart() throws {
        try assertTimingError(try writeWords([("backwards", 2.0, 1.5)]), location: "line 3",
                              contains: "word 'backwards' ends at 1.500 s (00:00:01.500), before it starts at 2.000 s")
    }

    func testEmptyAndMalformedTimingFiles() throws {
        // Only a mix: the timing file is checked all the same (and the runs are quick).
        let inputs = ScenarioInputs(mix: try scene.writeAudio("mix-only", CheckScene.sum(CheckScene.dialogue(), CheckScene.music())))
        for (name, text, location, expected) in [
            ("empty.json", "", nil, "the file is empty"),
            ("blank.srt", "\n  \n", nil, "the file is empty"),
            ("cut.json", "{\"segments\": [{\"words\": [\n  {\"word\": \"a\", \"start\": 1.0,\n", "line 3, column 1", "malformed JSON"),
            ("bad.srt", "1\n00:00:01,000 --> 00:00:0x,500\nhello\n", "line 2", "malformed timestamp"),
            ("notes.txt", "some notes about the scene\n", nil, "unrecognised word-timing format"),
        ] as [(String, String, String?, String)] {
            let path = try scene.writeText(name, text)
            let error = try checkError(inputs, words: path)
            XCTAssertEqual(error.kind, .badInput, name)
            XCTAssertEqual(error.file, path, name)
            if let location { XCTAssertEqual(error.location, location, "\(name): \(error)") }
            XCTAssertTrue(error.message.contains(expected), "\(name): '\(error.message)' should say '\(expected)'")
        }
        let missing = workspace.path("missing.json")
        let error = try checkError(inputs, words: missing)
        XCTAssertEqual(error.file, missing)
        XCTAssertTrue(error.message.contains("no such file"), error.description)
    }

    /// The dialogue stem 10 ms late (or early) against the mix: the offset and the stem are named,
    /// rather than only "the stems do not add up".
    func testDialogueStemNotLinedUpWithTheMix() throws {
        let inputs = try scene.writeStemsAndMix()
        let dialogue = CheckScene.dialogue()
        let shift = 480  // 10 ms
        for (late, shifted) in [(true, [Float](repeating: 0, count: shift) + dialogue.dropLast(shift)),
                                (false, Array(dialogue.dropFirst(shift)) + [Float](repeating: 0, count: shift))] {
            var moved = inputs
            moved.paths[.dialogue] = try scene.writeAudio(late ? "dialogue-late" : "dialogue-early", shifted)
            let error = try checkError(moved, words: try scene.writeWords())
            XCTAssertEqual(error.kind, .badInput)
            XCTAssertEqual(error.file, moved.paths[.dialogue])
            XCTAssertTrue(error.message.contains("the dialogue stem does not line up with the mix: it is 10.0 ms \(late ? "later" : "earlier") than the mix"),
                          error.description)
        }
    }

    func testStemsThatDoNotAddUpToTheMix() throws {
        let inputs = try scene.writeStemsAndMix()
        var wrong = inputs
        // An M&E from another version: the effects without the music.
        wrong.paths[.me] = try scene.writeAudio("me-other-version", CheckScene.effects())
        let error = try checkError(wrong, words: try scene.writeWords())
        XCTAssertEqual(error.kind, .badInput)
        XCTAssertEqual(error.file, inputs.paths[.mix])
        XCTAssertTrue(error.message.contains("the stems do not add up to the mix"), error.description)
    }

    func testStemOfAnotherLength() throws {
        var inputs = try scene.writeStemsAndMix()
        inputs.paths[.dialogue] = try scene.writeAudio("dialogue-short", Array(CheckScene.dialogue().dropLast(4800)))
        let error = try checkError(inputs)
        XCTAssertEqual(error.kind, .badInput)
        XCTAssertEqual(error.file, inputs.paths[.dialogue])
        XCTAssertTrue(error.message.contains("has 187200 samples (3.900 s)"), error.description)
        XCTAssertTrue(error.message.contains("stems and mix must have the same length"), error.description)
    }

    func testUnknownDeviceOrEnvironment() throws {
        let inputs = try scene.writeStemsAndMix()
        for (scenario, expected) in [
            (("no-such-phone", "quiet-test"), "unknown device 'no-such-phone'; known devices: test-speaker"),
            ((CheckScene.device, "no-such-room"), "unknown environment 'no-such-room'; known environments: loud-test, quiet-test"),
            (("quiet-test", "loud-test"), "'quiet-test' is an environment, not a device"),
        ] {
            let error = try checkError(inputs, scenarios: [scenario])
            XCTAssertEqual(error.kind, .badInput)
            XCTAssertTrue(error.message.contains(expected), "'\(error)' should say '\(expected)'")
        }
    }

    func testNoInputIsAUsageError() throws {
        let error = try checkError(ScenarioInputs())
        XCTAssertEqual(error.kind, .usage)
        XCTAssertTrue(error.message.hasPrefix("no input"), error.description)
    }
}

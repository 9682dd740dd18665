import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// `earshot check` as a user runs it: the built `earshot` binary (which `swift test` builds with
/// the tests) on the synthetic scene. Bad input gives one line on stderr naming the file and
/// the documented exit code, and leaves the output folder's report.json as it was.
final class CheckCommandTests: XCTestCase {
    var workspace: TestWorkspace!
    var scene: CheckScene!

    override func setUpWithError() throws {
        workspace = try TestWorkspace()
        scene = try CheckScene(workspace)
    }

    override func tearDown() { workspace.remove() }

    /// The `earshot` binary of this build: beside the test bundle (same configuration), else
    /// `.build/debug/earshot` under the package root.
    static func earshotBinary() throws -> URL {
        var folders: [URL] = []
        if let executable = Bundle.main.executableURL { folders.append(executable.deletingLastPathComponent()) }
        folders.append(Bundle(for: CheckCommandTests.self).bundleURL.deletingLastPathComponent())
        folders.append(TestPackage.root.appendingPathComponent(".build/debug"))
        for folder in folders {
            let candidate = folder.appendingPathComponent("earshot")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        XCTFail("no earshot binary in \(folders.map(\.path)); `swift test` builds it with the tests")
        throw CocoaError(.fileNoSuchFile)
    }

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `earshot check` with the test profiles as the only stock profiles.
    func check(_ arguments: [String]) throws -> Outcome {
        let run = try EarshotRun.run(try Self.earshotBinary(), ["check"] + arguments, in: workspace.root, scratch: workspace.root,
                                     environment: ["EARSHOT_STOCK_PROFILES": workspace.path("profiles"), "EARSHOT_PROFILES": nil])
        return Outcome(status: run.status, stdout: run.stdout, stderr: run.stderr)
    }

    /// An output folder holding a report.json from an earlier run.
    func outFolderWithEarlierReport(_ name: String) throws -> (folder: String, report: String) {
        let folder = workspace.path(name)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let report = folder + "/report.json"
        try "{\"earlier\": true}\n".write(toFile: report, atomically: true, encoding: .utf8)
        return (folder, report)
    }

    func inputArguments(_ inputs: ScenarioInputs) -> [String] {
        ScenarioInputs.Role.allCases.flatMap { role in inputs.paths[role].map { ["--\(role.rawValue)", $0] } ?? [] }
    }

    /// Runs a failing check and verifies the exit code, the one-line message and the folder.
    func assertFails(_ arguments: [String], status: Int32, mentions expected: [String], out name: String,
                     file: StaticString = #filePath, line: UInt = #line) throws {
        let (folder, report) = try outFolderWithEarlierReport(name)
        let fresh = workspace.path(name + "-new")
        for (outFolder, hadReport) in [(folder, true), (fresh, false)] {
            let result = try check(arguments + ["--out", outFolder])
            XCTAssertEqual(result.status, status, result.stderr, file: file, line: line)
            XCTAssertEqual(result.stdout, "", file: file, line: line)
            XCTAssertTrue(result.stderr.hasPrefix("earshot: error: "), result.stderr, file: file, line: line)
            XCTAssertEqual(result.stderr.filter { $0 == "\n" }.count, 1, "one line: \(result.stderr)", file: file, line: line)
            for text in expected { XCTAssertTrue(result.stderr.contains(text), "'\(result.stderr)' should name \(text)", file: file, line: line) }
            let left = (try? FileManager.default.contentsOfDirectory(atPath: outFolder)) ?? []
            if hadReport {
                XCTAssertEqual(left, ["report.json"], "nothing else is left in the output folder", file: file, line: line)
                XCTAssertEqual(try String(contentsOfFile: report, encoding: .utf8), "{\"earlier\": true}\n",
                               "the earlier report.json is untouched", file: file, line: line)
            } else {
                XCTAssertEqual(left, [], "no report.json written", file: file, line: line)
                XCTAssertFalse(FileManager.default.fileExists(atPath: outFolder), "no empty output folder left behind", file: file, line: line)
            }
        }
    }

    func testWordsOutsideTheAudio() throws {
        let inputs = try scene.writeStemsAndMix()
        let words = try scene.writeText("late-words.json", "{\"segments\": [{\"words\": [\n  {\"word\": \"late\", \"start\": 4.2, \"end\": 4.5}\n]}]}\n")
        try assertFails(inputArguments(inputs) + ["--words", words, "--scenario", "test-speaker@quiet-test"], status: 1,
                        mentions: [words + ": line 2: word 'late' starts at 4.200 s"], out: "late")
    }

    func testMalformedWords() throws {
        let inputs = ScenarioInputs(mix: try scene.writeAudio("mix-only", CheckScene.sum(CheckScene.dialogue(), CheckScene.music())))
        let words = try scene.writeText("cut.json", "{\"segments\": [\n")
        try assertFails(inputArguments(inputs) + ["--words", words, "--scenario", "test-speaker@quiet-test"], status: 1,
                        mentions: [words + ": line 2, column 1: malformed JSON"], out: "malformed")
    }

    func testDialogueOffsetFromTheMix() throws {
        var inputs = try scene.writeStemsAndMix()
        let dialogue = CheckScene.dialogue()
        inputs.paths[.dialogue] = try scene.writeAudio("dialogue-late", [Float](repeating: 0, count: 480) + dialogue.dropLast(480))
        try assertFails(inputArguments(inputs) + ["--scenario", "test-speaker@quiet-test"], status: 1,
                        mentions: [inputs.paths[.dialogue]! + ": the dialogue stem does not line up with the mix: it is 10.0 ms later"], out: "offset")
    }

    func testStemsThatDoNotAddUp() throws {
        var inputs = try scene.writeStemsAndMix()
        inputs.paths[.me] = try scene.writeAudio("me-other-version", CheckScene.effects())
        try assertFails(inputArguments(inputs) + ["--scenario", "test-speaker@quiet-test"], status: 1,
                        mentions: [inputs.paths[.mix]! + ": the stems do not add up to the mix"], out: "sum")
    }

    func testUnknownDevice() throws {
        let inputs = try scene.writeStemsAndMix()
        try assertFails(inputArguments(inputs) + ["--scenario", "no-such-phone@quiet-test"], status: 1,
                        mentions: ["unknown device 'no-such-phone'; known devices: test-speaker"], out: "device")
        try assertFails(inputArguments(inputs) + ["--device", "test-speaker", "--environment", "no-such-room"], status: 1,
                        mentions: ["unknown environment 'no-such-room'"], out: "environment")
    }

    func testBadScenarioSyntax() throws {
        let inputs = try scene.writeStemsAndMix()
        for bad in ["test-speaker", "test-speaker@", "@quiet-test", "a@b@c"] {
            try assertFails(inputArguments(inputs) + ["--scenario", bad], status: 2,
                            mentions: ["--scenario '\(bad)' must be DEVICE@ENVIRONMENT"], out: "syntax")
        }
        try assertFails(inputArguments(inputs) + ["--device", "test-speaker"], status: 2,
                        mentions: ["give both --device and --environment"], out: "half")
    }

    func testOutputFolderThatCannotBeMade() throws {
        let inputs = try scene.writeStemsAndMix()
        let blocker = try scene.writeText("not-a-folder", "a file where the output folder's parent should be\n")
        let result = try check(inputArguments(inputs) + ["--scenario", "test-speaker@quiet-test", "--out", blocker + "/out"])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(result.stderr, "earshot: error: \(blocker)/out: cannot create the output folder (Not a directory)\n")
    }

    /// A good run: report.json is written, --json prints the same bytes, and it matches the schema.
    func testReportWrittenAndValid() throws {
        let inputs = try scene.writeStemsAndMix()
        let (folder, report) = try outFolderWithEarlierReport("good")
        let result = try check(inputArguments(inputs) + ["--words", try scene.writeWords(), "--scenario", "test-speaker@loud-test",
                                                         "--out", folder, "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        let written = try String(contentsOfFile: report, encoding: .utf8)
        XCTAssertEqual(written, result.stdout)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).sorted(),
                       ["flagged-words.audacity.txt", "flagged-words.reaper.csv", "flagged-words.srt", "report.html", "report.json", "words.csv"],
                       "the report, the HTML page and the exports, and no temporary files")
        XCTAssertEqual(try TestPackage.schemaValidator().validate(jsonText: written).map(\.description), [])
        let node = try JSONDocument.parse(written, file: report)
        XCTAssertEqual(node.node(at: ["scenarios", "0", "id"])?.string, "test-speaker@loud-test")
        XCTAssertEqual(node.node(at: ["input", "mix"])?.string, "mix.wav")
        XCTAssertEqual(node.node(at: ["scenarios", "0", "words"])?.array?.count, CheckScene.words.count)
    }

    /// Same inputs, same bytes: two separate `earshot check` processes write byte-identical
    /// report.json, report.html and exports (seeded environment noise, stable ordering, no
    /// clock or path in the output).
    func testTwoRunsWriteByteIdenticalReports() throws {
        let inputs = try scene.writeStemsAndMix()
        let words = try scene.writeWords()
        var outputs: [[String: Data]] = []
        for run in ["first", "second"] {
            let folder = workspace.path("determinism-" + run)
            let result = try check(inputArguments(inputs) + ["--words", words, "--scenario", "test-speaker@loud-test",
                                                             "--scenario", "test-speaker@quiet-test", "--out", folder])
            XCTAssertEqual(result.status, 0, result.stderr)
            var files: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
                files[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
            }
            outputs.append(files)
        }
        XCTAssertEqual(outputs[0].keys.sorted(), outputs[1].keys.sorted())
        XCTAssertTrue(outputs[0].keys.contains("report.json") && outputs[0].keys.contains("report.html"))
        for name in outputs[0].keys.sorted() {
            XCTAssertTrue(outputs[0][name] == outputs[1][name], "\(name) differs between two runs on the same inputs")
        }
    }
}

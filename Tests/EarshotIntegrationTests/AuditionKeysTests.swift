import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// `earshot audition` driven through a pseudo-terminal, as a mixer drives it: keys typed, the
/// status line read back, a private PulseAudio server playing.
final class AuditionKeysTests: XCTestCase {
    var fixture: AuditionFixture!

    override func setUpWithError() throws { fixture = try AuditionFixture() }
    override func tearDown() { fixture?.remove() }

    var executable: String {
        let bundle = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent()
        return bundle.appendingPathComponent("earshot").path
    }

    static func word(_ index: Int, _ text: String, _ start: Double, _ end: Double, maskedBy: String?) -> [String: Any] {
        ["index": index, "text": text, "startSeconds": start, "endSeconds": end, "estimated": false, "sii": maskedBy == nil ? 0.8 : 0.2,
         "masked": maskedBy != nil, "maskedBy": maskedBy ?? NSNull()]
    }

    /// A report.json with what the typed reader needs (the schema's required fields that
    /// audition reads) and these scenarios' words.
    static func report(_ scenarios: [(id: String, words: [[String: Any]])]) -> [String: Any] {
        [
            "schemaVersion": "1",
            "input": ["durationSeconds": AuditionFixture.seconds],
            "settings": ["volume": "fixed", "volumePercent": 100, "maskedBelowHeardProbability": 0.45],
            "loudness": ["platforms": [Any](), "lines": [Any]()],
            "scenarios": scenarios.map { s -> [String: Any] in
                let parts = s.id.split(separator: "@").map(String.init)
                return ["id": s.id, "device": parts[0], "environment": parts[1], "volumePercent": 100,
                        "intelligibility": [String: Any](), "lowFrequency": [String: Any](), "sibilance": [String: Any](),
                        "words": s.words, "summary": ["maskedWords": s.words.filter { $0["masked"] as? Bool == true }.count, "totalWords": s.words.count]]
            },
        ]
    }

    /// A report for the fixture's two scenarios. In dull@quiet "bravo" (0.9 s) and "charlie"
    /// (1.3 s) are masked; in tinny@quiet "bravo" and "echo" (3.2 s).
    func writeReport() throws -> String {
        func scenario(_ id: String, masked: [String: String]) -> (id: String, words: [[String: Any]]) {
            let words = [(0, "alpha", 0.2, 0.45), (1, "bravo", 0.9, 1.05), (2, "charlie", 1.3, 1.5), (3, "delta", 1.7, 2.0), (4, "echo", 3.2, 3.5)]
            return (id, words.map { Self.word($0.0, $0.1, $0.2, $0.3, maskedBy: masked[$0.1]) })
        }
        let report = Self.report([scenario("dull@quiet", masked: ["bravo": "environment", "charlie": "music"]),
                                  scenario("tinny@quiet", masked: ["bravo": "effects", "echo": "device"])])
        let path = fixture.workspace.path("report.json")
        try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys]).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The issue: paused a fraction of a second in, with masked words 0.9 and 1.3 s in, `n`
    /// answered "no flagged word after here" (or skipped to the second), because any word within
    /// a second of the position counted as already reached. Now n/p step through the masked
    /// words of the scenario heard, and the status line names each.
    func testNextAndPreviousFlaggedWordThroughATerminal() throws {
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: executable), "earshot must be built beside the tests: \(executable)")
        let server = try TestPulseServer(for: self)
        let terminal = try PseudoTerminal()
        var environment = ProcessInfo.processInfo.environment
        environment["PULSE_SERVER"] = server.address
        let run = try SpawnedProcess(
            executable: executable,
            arguments: ["audition", "--mix", fixture.inputs.paths[.mix]!, "--profiles", fixture.workspace.path("profiles"),
                        "--scenario", "dull@quiet", "--scenario", "tinny@quiet", "--report", try writeReport(),
                        "--sink", TestPulseServer.sinkName],
            environment: environment, stderrPath: terminal.slavePath, stdinPath: terminal.slavePath)
        addTeardownBlock { run.kill() }
        let running = { run.isRunning }
        func after(_ keys: String, expect text: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
            let mark = terminal.mark
            terminal.type(keys)
            let status = terminal.waitFor(text, after: mark, timeout: 10, while: running)
            let tail = String(terminal.text.suffix(600)).replacingOccurrences(of: "\r", with: "\n")
            return try XCTUnwrap(status, "after '\(keys)' no status line with \(text); last output:\n\(tail)", file: file, line: line)
        }

        XCTAssertNotNil(terminal.waitFor("▶ [1] dull@quiet", timeout: 120, while: running), "playback did not start: \(terminal.text)")
        _ = try after(" ", expect: "❚❚ [1] dull@quiet")   // paused within the first second

        var status = try after("n", expect: "next flagged word: \"bravo\"")
        XCTAssertTrue(status.contains("at 00:00:00:22 (0.90 s)"), status)
        status = try after("n", expect: "next flagged word: \"charlie\"")
        XCTAssertTrue(status.contains("[1] dull@quiet") && status.contains("(1.30 s)"), status)
        status = try after("n", expect: "no flagged word after here")
        XCTAssertTrue(status.contains("[1] dull@quiet"), "echo is masked in scenario 2 only: \(status)")
        // Scenario 2 from charlie: its own masked words, forward and back.
        status = try after("2n", expect: "next flagged word: \"echo\"")
        XCTAssertTrue(status.contains("[2] tinny@quiet") && status.contains("(3.20 s)"), status)
        status = try after("p", expect: "previous flagged word: \"bravo\"")
        XCTAssertTrue(status.contains("[2] tinny@quiet"), status)

        terminal.type("q")
        XCTAssertEqual(run.waitUntilExit(timeout: 10), 0, terminal.text.suffix(400).description)
    }

    /// A word too short to judge, read from report.json, says so on the status line — not
    /// "clear", which would claim it was heard and judged.
    func testAWordTooShortToJudgeSaysSoOnTheStatusLine() throws {
        var short = Self.word(0, "we", 1.0, 1.01, maskedBy: nil)
        short["sii"] = NSNull()
        short["tooShortToJudge"] = true
        let json = Self.report([("dull@quiet", [short, Self.word(1, "were", 1.01, 1.4, maskedBy: nil)])])
        let report = try ReportDocument.decode(try JSONSerialization.data(withJSONObject: json), file: "report.json")
        let words = try AuditionWords(report: report, scenarioIDs: ["dull@quiet"], file: "report.json")
        XCTAssertEqual(words.byScenario[0].map(\.tooShortToJudge), [true, false])
        let session = AuditionSession(material: try fixture.material(), source: .scenario(0), startFrame: 0)
        let controller = AuditionController(session: session, words: words)
        session.seek(toFrame: 48_240)   // 1.005 s
        XCTAssertTrue(controller.statusLine().contains("\"we\" too short to judge"), controller.statusLine())
        session.seek(toFrame: 57_600)   // 1.2 s
        XCTAssertTrue(controller.statusLine().contains("\"were\" clear (SII 0.80)"), controller.statusLine())
    }
}

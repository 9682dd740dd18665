import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// `earshot audition` as a process (the binary built beside the tests), for what only the
/// command does: its messages, its exit codes, and how fast it exits when the server dies.
final class AuditionCommandTests: XCTestCase {
    var fixture: AuditionFixture!

    override func setUpWithError() throws { fixture = try AuditionFixture() }
    override func tearDown() { fixture?.remove() }

    /// The `earshot` executable SwiftPM builds next to the test bundle.
    var executable: String {
        let bundle = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent()
        return bundle.appendingPathComponent("earshot").path
    }

    /// Starts `earshot audition` on the fixture (stdin /dev/null: not a terminal).
    /// `volume` nil: the listener's choice.
    func launch(_ extra: [String], server: String, volume: String? = "100") throws -> SpawnedProcess {
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: executable), "earshot must be built beside the tests: \(executable)")
        var environment = ProcessInfo.processInfo.environment
        environment["PULSE_SERVER"] = server
        let run = try SpawnedProcess(executable: executable,
                          arguments: ["audition", "--mix", fixture.inputs.paths[.mix]!, "--profiles", fixture.workspace.path("profiles"),
                                      "--scenario", "dull@quiet", "--scenario", "tinny@quiet"] + (volume.map { ["--volume", $0] } ?? []) + extra,
                          environment: environment, stderrPath: fixture.workspace.path("stderr-\(UUID().uuidString.prefix(6)).txt"))
        addTeardownBlock { run.kill() }
        return run
    }

    func testWithoutATerminalItSaysSoAndPlaysOnce() throws {
        let server = try TestPulseServer(for: self)
        let run = try launch(["--sink", TestPulseServer.sinkName], server: server.address)
        XCTAssertEqual(run.waitUntilExit(), 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("standard input is not a terminal, so there are no keys: playing once"), run.stderr)
        XCTAssertTrue(run.stderr.contains("earshot: dull@quiet: volume 100 % (fixed, not the listener's choice)"), run.stderr)
    }

    func testWithoutAVolumeEachScenarioPlaysAtTheListenersChoiceAndSaysSo() throws {
        let server = try TestPulseServer(for: self)
        let run = try launch(["--sink", TestPulseServer.sinkName, "--from", "0", "--to", "0.5"], server: server.address, volume: nil)
        XCTAssertEqual(run.waitUntilExit(), 0, run.stderr)
        for id in ["dull@quiet", "tinny@quiet"] {
            XCTAssertTrue(run.stderr.contains("earshot: \(id): volume ") && run.stderr.contains("% (listener's choice: dialogue"), run.stderr)
        }
    }

    func testNoServerExitsWithTheFix() throws {
        let started = Date()
        let run = try launch([], server: "unix:/no/such/socket")
        XCTAssertEqual(run.waitUntilExit(), 1)
        XCTAssertTrue(run.stderr.contains("earshot: error: cannot connect to a PulseAudio server at unix:/no/such/socket (from PULSE_SERVER): Connection refused"), run.stderr)
        XCTAssertTrue(run.stderr.contains("pulseaudio --start"), run.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "no render before the server is found")
    }

    func testServerDeathDuringPlaybackExitsNonZeroWithinASecond() throws {
        let server = try TestPulseServer(for: self)
        let run = try launch(["--sink", TestPulseServer.sinkName, "--from", "0", "--to", "4"], server: server.address)
        XCTAssertTrue(server.waitForSound(timeout: 20), "playback did not start: \(run.stderr)")
        let killed = Date()
        server.crash()
        let status = run.waitUntilExit(timeout: 5)
        let seconds = Date().timeIntervalSince(killed)
        XCTAssertEqual(status, 1, "earshot must exit with 1 (nil: it hung) after the server died")
        XCTAssertTrue(run.stderr.contains("earshot: error: the PulseAudio server went away during playback"), run.stderr)
        XCTAssertLessThan(seconds, 1.0)
        print(String(format: "earshot audition exited %.0f ms after its server was killed", seconds * 1000))
    }
}

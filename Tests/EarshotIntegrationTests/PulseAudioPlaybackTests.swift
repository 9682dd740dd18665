import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// Audition against a real PulseAudio server started by each test: what is played is recorded
/// from the null sink's monitor with `PulseRecorder` and compared with the renders.
final class PulseAudioPlaybackTests: XCTestCase {
    var fixture: AuditionFixture!

    override func setUpWithError() throws { fixture = try AuditionFixture() }
    override func tearDown() { fixture?.remove() }

    /// Plays `session` to the test sink while recording its monitor; returns the recording
    /// (left channel) and the player (for its latency figures).
    func playAndRecord(_ session: AuditionSession, server: TestPulseServer,
                       during: ((PulsePlayer) -> Void)? = nil) throws -> (recording: [Float], recorder: PulseRecorder, player: PulsePlayer) {
        let connection = try PulseConnection(server: server.address)
        let recorder = try PulseRecorder(connection: connection, source: server.monitor)
        // Let the recording run before playback starts, so it holds the very first frame played.
        while recorder.frames < 4800 { usleep(10_000) }
        let player = try PulsePlayer(connection: connection, sink: TestPulseServer.sinkName)
        try player.start(session)
        during?(player)
        let deadline = Date(timeIntervalSinceNow: 30)
        while try !player.waitUntilDone(timeout: 0.1) {
            XCTAssertLessThan(Date(), deadline, "playback did not end")
            if Date() > deadline { break }
        }
        usleep(100_000)   // the monitor's last fragment
        let recording = recorder.stop().left
        player.stop()
        return (recording, recorder, player)
    }

    func testPlayedAudioMatchesTheRenderAndAScriptedSwitchLandsOnTimeWithoutAJump() throws {
        let server = try TestPulseServer(for: self)
        let material = try fixture.material()
        let rate = AuditionFixture.rate
        let from = rate / 2, to = 3 * rate, switchAt = 7 * rate / 4
        let session = AuditionSession(material: material, source: .scenario(0), startFrame: from, endFrame: to, stopsAtEnd: true)
        session.schedule(switchTo: .scenario(1), atFrame: switchAt)
        let (recording, _, player) = try playAndRecord(session, server: server)
        let a = AuditionSignals.heard(material, scenario: 0, from: from, count: to - from)
        let b = AuditionSignals.heard(material, scenario: 1, from: from, count: to - from)
        let s = switchAt - from

        // Align on 0.5 s of the first source (after the start fade).
        let probe = Array(a[4800..<28800])
        let lag = AuditionSignals.lag(of: probe, in: recording, maxLag: recording.count - probe.count) - 4800
        guard lag >= 0, recording.count >= lag + (to - from) else { return XCTFail("recording \(recording.count) frames, lag \(lag): the excerpt is not all there") }
        let played = Array(recording[lag..<min(recording.count, lag + to - from)])

        // What arrived is the render: correlation ≥ 0.99 on each side of the switch.
        let before = AuditionSignals.correlation(played[4800..<(s - 4800)], a[4800..<(s - 4800)])
        let after = AuditionSignals.correlation(played[(s + 4800)..<(played.count - 4800)], b[(s + 4800)..<(played.count - 4800)])
        XCTAssertGreaterThanOrEqual(before, 0.99)
        XCTAssertGreaterThanOrEqual(after, 0.99)

        // The switch lands within ±20 ms of its scripted time (the crossfade's midpoint is 5 ms after it).
        let found = try XCTUnwrap(AuditionSignals.switchFrame(recording: played, a: a, b: b))
        let errorMs = (found - Double(s)) / Double(rate) * 1000
        XCTAssertLessThanOrEqual(abs(errorMs), 20)

        // No step around the switch larger than the signals' own steps.
        let natural = max(AuditionSignals.maxJump(played, (s - 14400)..<(s - 960)), AuditionSignals.maxJump(played, (s + 1440)..<(s + 14400)))
        let around = AuditionSignals.maxJump(played, (s - 960)..<(s + 1440))
        XCTAssertLessThanOrEqual(around, natural)

        let latency = try XCTUnwrap(player.measuredLatencySeconds)
        XCTAssertLessThanOrEqual(latency.median, 0.050, "key-to-sound: the stream's buffered audio plus the sink's latency")
        print(String(format: "audition over PulseAudio: correlation %.5f / %.5f, switch error %+.2f ms, max jump %.5f around the switch vs %.5f in the signals, stream latency median %.1f ms (max %.1f ms), %d underflows",
                     before, after, errorMs, around, natural, latency.median * 1000, latency.max * 1000, player.underflows))
    }

    func testKeyToSoundLatencyMeasuredAtTheSink() throws {
        let server = try TestPulseServer(for: self)
        let material = try fixture.material()
        let rate = AuditionFixture.rate
        let session = AuditionSession(material: material, source: .scenario(0), startFrame: 0, endFrame: 3 * rate, stopsAtEnd: true)
        var pressed: UInt64 = 0
        let (recording, recorder, _) = try playAndRecord(session, server: server) { _ in
            usleep(1_200_000)
            pressed = DispatchTime.now().uptimeNanoseconds
            session.select(.scenario(1))   // what the "2" key does
        }
        // Where the switch is in the recording: align on the first source, then find the crossover.
        let a = AuditionSignals.heard(material, scenario: 0, from: 0, count: 3 * rate)
        let b = AuditionSignals.heard(material, scenario: 1, from: 0, count: 3 * rate)
        let probe = Array(a[4800..<28800])
        let lag = AuditionSignals.lag(of: probe, in: recording, maxLag: recording.count - probe.count) - 4800
        print("recorded \(recording.count) frames, lag \(lag)")
        guard lag >= 0 && lag + 2 * rate < recording.count else { return XCTFail("recording \(recording.count) frames, lag \(lag)") }
        let n = min(recording.count - lag, a.count)
        let played = Array(recording[lag..<(lag + n)])
        let found = try XCTUnwrap(AuditionSignals.switchFrame(recording: played, a: Array(a[0..<n]), b: Array(b[0..<n])))
        let heard = try XCTUnwrap(recorder.captureUptimeNanoseconds(ofFrame: lag + Int(found)))
        let latencyMs = (Double(heard) - Double(pressed)) / 1e6
        XCTAssertGreaterThan(latencyMs, 0, "heard after the key")
        XCTAssertLessThanOrEqual(latencyMs, 50, "key-to-sound latency at the sink")
        print(String(format: "audition key-to-sound latency at the sink: %.1f ms (to the crossfade's midpoint)", latencyMs))
    }

    func testServerDeathDuringPlaybackIsReportedWithinASecond() throws {
        let server = try TestPulseServer(for: self)
        let material = try fixture.material()
        let session = AuditionSession(material: material, source: .scenario(0), startFrame: 0, stopsAtEnd: true)
        let connection = try PulseConnection(server: server.address)
        let player = try PulsePlayer(connection: connection, sink: TestPulseServer.sinkName)
        try player.start(session)
        XCTAssertFalse(try player.waitUntilDone(timeout: 0.5))
        let killed = Date()
        server.crash()
        var caught: Error?
        do {
            while try !player.waitUntilDone(timeout: 0.05) {
                if Date().timeIntervalSince(killed) > 5 { break }
            }
        } catch {
            caught = error
        }
        let seconds = Date().timeIntervalSince(killed)
        let error = try XCTUnwrap(caught as? EarshotError, "playback must fail, not finish or hang")
        XCTAssertEqual(error.kind, .environment)
        XCTAssertTrue(error.message.contains("went away"), error.message)
        XCTAssertLessThan(seconds, 1.0)
        print(String(format: "audition: server killed, playback error after %.0f ms: %@", seconds * 1000, error.message))
    }

    func testNoServerSaysHowToGetOne() throws {
        let started = Date()
        XCTAssertThrowsError(try PulseConnection(server: "unix:/no/such/socket")) { error in
            let e = error as! EarshotError
            XCTAssertEqual(e.kind, .environment)
            XCTAssertTrue(e.message.contains("cannot connect to a PulseAudio server at unix:/no/such/socket"), e.message)
            XCTAssertTrue(e.message.contains("pulseaudio --start") && e.message.contains("PULSE_SERVER"), e.message)
        }
        setenv("PULSE_SERVER", "unix:/no/such/socket", 1)
        defer { unsetenv("PULSE_SERVER") }
        XCTAssertThrowsError(try PulseConnection()) { error in
            XCTAssertTrue("\(error)".contains("unix:/no/such/socket (from PULSE_SERVER)"), "\(error)")
            XCTAssertTrue("\(error)".contains("Connection refused"), "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 2, "fails fast")
    }

    func testAMissingSinkIsNamed() throws {
        let server = try TestPulseServer(for: self)
        let connection = try PulseConnection(server: server.address)
        let player = try PulsePlayer(connection: connection, sink: "no_such_sink")
        let session = AuditionSession(material: try fixture.material(range: 0..<48000), stopsAtEnd: true)
        XCTAssertThrowsError(try player.start(session)) { error in
            XCTAssertTrue("\(error)".contains("no sink named 'no_such_sink'"), "\(error)")
        }
    }
}

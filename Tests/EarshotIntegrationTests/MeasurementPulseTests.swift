import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// `earshot measure` against a real PulseAudio server started by these tests (one for the
/// class, killed when the class ends): the stimulus is played on the server's null sink and
/// recorded from its monitor, which returns what was played — a straight wire, or whatever the
/// playback transform makes of the stimulus. A second null sink runs at 44.1 kHz.
final class MeasurementPulseTests: XCTestCase {
    var workspace: TestWorkspace!
    override func setUpWithError() throws { workspace = try TestWorkspace() }
    override func tearDown() { workspace.remove() }

    nonisolated(unsafe) private static var shared: TestPulseServer?

    override class func tearDown() {
        shared?.kill()
        shared = nil
        super.tearDown()
    }

    /// The class's server, started by the first test that needs it.
    func startServer() throws -> TestPulseServer {
        if let server = Self.shared { return server }
        let server = try TestPulseServer(for: nil, extraModules: ["module-null-sink sink_name=earshot_44k rate=44100 format=float32le channels=2"])
        Self.shared = server
        return server
    }

    func session(_ server: TestPulseServer, source: String? = nil) throws -> MeasurementSession {
        MeasurementSession(connection: try PulseConnection(server: server.address), sink: TestPulseServer.sinkName,
                           source: source ?? server.monitor)
    }

    func testTheMonitorOfANullSinkMeasuresAsACleanImpulse() throws {
        let server = try startServer()
        let plan = try MeasurementFixtures.plan(sweeps: 1, tone: 0)
        let m = try session(server).measureDevice(plan: plan)
        // Everything outside the main tap (the single peak sample) at least 40 dB down.
        let (outside, _) = MeasurementFixtures.outsideMainTapDB(m.impulseResponse, halfWidth: 0)
        XCTAssertLessThanOrEqual(outside, -40)
        let peak = Double(m.impulseResponse.map(abs).max()!)
        XCTAssertEqual(20 * log10(peak), 0, accuracy: 0.05, "the wire's gain is 0 dB")
        XCTAssertGreaterThan(m.averagedSNRDB, 60)
        print(String(format: "null-sink loopback: largest sample outside the main tap %.1f dB re the peak; peak %.3f dB; SNR %.1f dB; IR peak to noise %.1f dB",
                     outside, 20 * log10(peak), m.averagedSNRDB, m.peakToNoiseDB))
    }

    func testThroughTheStockPhoneProfileTheResponseMatchesItsRenderChain() throws {
        let server = try startServer()
        let catalog = try ProfileCatalog(roots: [try ProfileCatalog.stockProfilesFolder(environment: [:])])
        let phone = try DeviceModel(profile: try catalog.device("phone-budget-speaker"))
        // −20 dBFS keeps the phone's bass compressor (−12 dBFS) and limiter (−3 dBFS) idle, so
        // the render chain is linear and its response is its impulse response.
        let plan = try MeasurementFixtures.plan(sweeps: 1, gap: 0.4, tone: 0, level: -20)
        var settings = MeasurementAnalysisSettings()
        settings.irWindowSeconds = 0.25
        let m = try session(server).measureDevice(plan: plan, transform: DeviceRenderTransform(device: phone), settings: settings)
        let centres = ThirdOctave.nominalCentresHz.filter { $0 >= 100 && $0 <= 10000 }
        let measured = MeasurementFixtures.thirdOctaveReOneKHz(m.impulseResponse, centres: centres)
        let truth = MeasurementFixtures.thirdOctaveReOneKHz(phone.impulseResponse, centres: centres)
        var worst = 0.0
        for (f, (a, b)) in zip(centres, zip(measured, truth)) {
            XCTAssertEqual(a, b, accuracy: 0.5, "third-octave band \(f) Hz re 1 kHz")
            worst = max(worst, abs(a - b))
        }
        print(String(format: "through phone-budget-speaker over PulseAudio: largest third-octave deviation %.3f dB from 100 Hz to 10 kHz (response spans %.1f dB)",
                     worst, (truth.max()! - truth.min()!)))
    }

    func testAKnownPolynomialDistortionIsRecoveredAsHarmonicLevels() throws {
        let server = try startServer()
        let polynomial = PolynomialDistortion(a2: 0.1, a3: 0.2)
        let plan = try MeasurementFixtures.plan(sweeps: 1, tone: 0, level: -6)
        let m = try session(server).measureDevice(plan: plan, transform: polynomial)
        let a = pow(10, plan.levelDBFS / 20)
        let expected2 = polynomial.expectedSecondHarmonicDB(amplitude: a), expected3 = polynomial.expectedThirdHarmonicDB(amplitude: a)
        var worst = 0.0
        for f in [60.0, 100, 200, 500, 1000, 2000, 5000] {
            let h2 = m.harmonics.harmonicLevelDB(order: 2, excitationHz: f), h3 = m.harmonics.harmonicLevelDB(order: 3, excitationHz: f)
            XCTAssertEqual(h2, expected2, accuracy: 1, "2nd harmonic at \(f) Hz")
            XCTAssertEqual(h3, expected3, accuracy: 1, "3rd harmonic at \(f) Hz")
            worst = max(worst, abs(h2 - expected2), abs(h3 - expected3))
        }
        print(String(format: "polynomial over PulseAudio: H2 expected %.2f dB, H3 %.2f dB; largest error %.3f dB", expected2, expected3, worst))
    }

    func testFaultsAreRefusedSayingWhatToChange() throws {
        let server = try startServer()
        // No such source (the microphone is not plugged in).
        XCTAssertThrowsError(try session(server, source: "no_such_mic").preflight()) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("no source named 'no_such_mic'") && message.contains("pactl list short sources"), message)
        }
        // Sink and source at different rates.
        XCTAssertThrowsError(try session(server, source: "earshot_44k.monitor").preflight()) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("the sink 'earshot_test' runs at 48000 Hz but the source 'earshot_44k.monitor' at 44100 Hz"), message)
            XCTAssertTrue(message.contains("set the source 'earshot_44k.monitor' to 48000 Hz to match the sink"), message)
        }
        let s = try session(server)
        let devices = try s.preflight()
        XCTAssertEqual(devices.source.sampleRate, 48000)
        XCTAssertEqual(devices.sink?.sampleRate, 48000)
        // Clipping: the sweep at −6 dBFS doubled reaches +0 dBFS at the sink.
        let plan = try MeasurementFixtures.plan(seconds: 0.5, sweeps: 1, gap: 0.2, tone: 0, level: -6)
        do {
            let message = "\(try XCTUnwrap(Self.refusal { _ = try s.measureDevice(plan: plan, transform: GainTransform(gain: 2)) }))"
            XCTAssertTrue(message.contains("clipped") && message.contains("during sweep 1 at -6.0 dBFS"), message)
            XCTAssertTrue(message.contains("lower the microphone's input gain or the device's volume"), message)
        }
        // Too little SNR: a −40 dBFS sweep in noise of RMS 0.05 (−23 dB re a full-scale sine).
        var quiet = plan
        quiet.levelDBFS = -40
        do {
            let message = "\(try XCTUnwrap(Self.refusal { _ = try s.measureDevice(plan: quiet, transform: AddedNoise(rms: 0.05)) }))"
            XCTAssertTrue(message.contains("signal-to-noise ratio") && message.contains("below the 20 dB needed"), message)
            XCTAssertTrue(message.contains("move the microphone closer"), message)
        }
    }

    /// The error a measurement is refused with. A run over a real server can starve when the
    /// machine is busy, and the session then rightly refuses it ("playback ran dry"); such runs
    /// are tried again (three times at most), so that the fault under test is what is judged.
    /// Nil when the measurement was not refused.
    static func refusal(_ measure: () throws -> Void) -> Error? {
        var last: Error?
        for _ in 0..<3 {
            do { try measure(); return nil } catch {
                last = error
                if !"\(error)".contains("playback ran dry") { return error }
            }
        }
        return last
    }

    func testAnEnvironmentRecordingIsCalibratedAndWritten() throws {
        let server = try startServer()
        let connection = try PulseConnection(server: server.address)
        // Seeded noise plays on the sink while the monitor is recorded as "the room".
        let noise = TestSignals.noise(seconds: 3, rms: 0.05, seed: 11)
        let player = try PulsePlayer(connection: connection, sink: TestPulseServer.sinkName, latencyMilliseconds: 100)
        try player.start(StimulusProducer(noise, channels: .both))
        usleep(300_000)
        let s = MeasurementSession(connection: connection, sink: nil, source: server.monitor)
        try s.preflight(playsOnSink: false)
        let recording = try s.record(seconds: 1.5)
        player.stop()
        let calibration = MicrophoneCalibration(fullScaleDBSPL: 100, method: "given")
        let m = try EnvironmentAnalysis.analyse(recording: recording, sampleRate: 48000, calibration: calibration)
        // The noise's own A-weighted level, computed offline: the recording is the same noise.
        let expected = LevelCalibration.aWeightedLevelDBFS(Array(noise[48000..<120000]), sampleRate: 48000) + 100
        XCTAssertEqual(m.levelDBA, expected, accuracy: 0.3)
        XCTAssertLessThanOrEqual(m.l90DBA, m.l50DBA)
        XCTAssertLessThanOrEqual(m.l50DBA, m.l10DBA)
        var d = MeasuredEnvironmentDescription(id: "test-room", name: "Test room", measuredBy: "Test Runner", date: "2026-01-02",
                                               microphone: "monitor", location: "a null sink", sourceName: server.monitor)
        d.licence = "test data"
        let folder = try MeasuredEnvironmentProfile.write(m, d, parent: workspace.path("out"))
        guard case .environment(let env) = try ProfileLoader.load(folder: folder) else { return XCTFail("not an environment") }
        XCTAssertEqual(env.provenance.kind, .measured)
        XCTAssertEqual(env.spectrum.count, 29)
        let rendered = try EnvironmentNoise(profile: env)
        var left: [Float] = []
        for _ in 0..<3 { left += rendered.next(48000).left }
        XCTAssertEqual(20 * log10(EnvironmentNoise.aWeightedRMS(left, sampleRate: 48000) / 20e-6), env.levelDBA, accuracy: 0.5)
        print(String(format: "environment over PulseAudio: LAeq %.2f dB(A), expected %.2f", m.levelDBA, expected))
    }

    /// Runs the built `earshot` with the test server as PULSE_SERVER; returns exit status and stderr.
    func earshot(_ arguments: [String], server: TestPulseServer) throws -> (status: Int32, stderr: String) {
        var environment = ProcessInfo.processInfo.environment
        environment["PULSE_SERVER"] = server.address
        let process = try SpawnedProcess(executable: try CheckCommandTests.earshotBinary().path, arguments: arguments,
                                         environment: environment, stderrPath: workspace.path("stderr-\(UUID().uuidString.prefix(6)).txt"))
        let status = try XCTUnwrap(process.waitUntilExit(timeout: 60), "earshot did not finish")
        return (status, process.stderr)
    }

    func testMeasureDeviceOnTheCommandLineWritesAProfileThatValidates() throws {
        let server = try startServer()
        let out = workspace.path("measured")
        let run = try earshot(["measure", "device", "--sink", TestPulseServer.sinkName, "--source", server.monitor,
                               "--name", "loopback", "--out", out, "--by", "Test Runner", "--date", "2026-01-02",
                               "--microphone", "null-sink monitor", "--distance-cm", "35", "--volume-step", "15 of 15",
                               "--tone-spl", "88", "--sweeps", "1", "--sweep-seconds", "1", "--gap-seconds", "0.3",
                               "--tone-seconds", "0.3", "--steps", "-6", "--level", "-12"], server: server)
        XCTAssertEqual(run.status, 0, run.stderr)
        let validate = try earshot(["devices", "validate", out + "/loopback"], server: server)
        XCTAssertEqual(validate.status, 0, validate.stderr)
        guard case .device(let p) = try ProfileLoader.load(folder: out + "/loopback") else { return XCTFail("not a device") }
        XCTAssertEqual(p.provenance.kind, .measured)
        XCTAssertEqual(p.provenance.date, "2026-01-02")
        XCTAssertTrue(p.provenance.summary.contains("15 of 15") && p.provenance.rig?.contains("null-sink monitor at 35 cm") == true)
        // The tone at −12 dBFS read 88 dB SPL: 100 dB SPL for full scale at 100 % volume.
        XCTAssertEqual(p.level.sensitivityDBSPL, 100, accuracy: 0.15)
        // Usage errors exit with 2 and say what to do; a missing source exits with 1 and names it.
        let bad = try earshot(["measure", "device", "--source", server.monitor, "--name", "Bad Name", "--out", out, "--by", "x", "--microphone", "m"], server: server)
        XCTAssertEqual(bad.status, 2, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("is not a profile id"), bad.stderr)
        let missing = try earshot(["measure", "device", "--source", "no_mic", "--name", "x", "--out", out, "--by", "x", "--microphone", "m", "--tone-spl", "90"], server: server)
        XCTAssertEqual(missing.status, 1, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("no source named 'no_mic'"), missing.stderr)
    }
}

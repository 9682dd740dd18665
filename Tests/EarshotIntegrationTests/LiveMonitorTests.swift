import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// `earshot monitor` as a process against a private PulseAudio server the test starts: a file
/// is played into one null sink (`earshot_test`), the monitor captures that sink's monitor and
/// plays into a second (`earshot_out`); both monitors are recorded.
final class LiveMonitorTests: XCTestCase {
    static let rate = AudioSource.processingRate
    static let outputSink = "earshot_out"
    static let outputModule = "module-null-sink sink_name=earshot_out rate=48000 format=float32le channels=2"
    static let stemsSink = "earshot_stems"
    static let stemsModule = "module-null-sink sink_name=earshot_stems rate=48000 format=float32le channels=4 channel_map=front-left,front-right,rear-left,rear-right"
    var workspace: TestWorkspace!

    override func setUpWithError() throws { workspace = try TestWorkspace() }
    override func tearDown() { workspace?.remove() }

    var executable: String {
        URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent().appendingPathComponent("earshot").path
    }

    func environment(_ server: TestPulseServer) -> [String: String] {
        var e = ProcessInfo.processInfo.environment
        e["PULSE_SERVER"] = server.address
        return e
    }

    /// Starts `earshot` with `arguments`; stdout and stderr go to files in the workspace.
    func launch(_ arguments: [String], server: TestPulseServer, stdin: String = "/dev/null", stderr: String? = nil) throws -> (run: SpawnedProcess, stdout: String) {
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: executable), "earshot must be built beside the tests: \(executable)")
        let tag = UUID().uuidString.prefix(6)
        let out = workspace.path("stdout-\(tag).txt")
        let run = try SpawnedProcess(executable: executable, arguments: arguments, environment: environment(server),
                                     stderrPath: stderr ?? workspace.path("stderr-\(tag).txt"), stdoutPath: out, stdinPath: stdin)
        addTeardownBlock { run.kill() }
        return (run, out)
    }

    /// Plays `file` into `sink` with paplay (a separate client, as a DAW would be). `realtime`:
    /// with real-time scheduling, as a DAW's audio engine runs.
    func play(_ file: String, into sink: String, server: TestPulseServer, realtime: Bool = false, channelMap: String? = nil) throws -> SpawnedProcess {
        let run = try SpawnedProcess(executable: "/usr/bin/paplay", arguments: ["-d", sink, "--latency-msec=20"] + (channelMap.map { ["--channel-map=\($0)"] } ?? []) + [file],
                                     environment: environment(server))
        addTeardownBlock { run.kill() }
        if realtime {
            var parameters = sched_param(sched_priority: 5)
            XCTAssertEqual(sched_setscheduler(run.pid, SCHED_RR, &parameters), 0, "real-time scheduling for the player")
        }
        return run
    }

    func waitFor(_ text: String, in path: String, timeout: Double, while running: SpawnedProcess) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            if ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").contains(text) { return true }
            if !running.isRunning { return false }
            usleep(20_000)
        }
        return false
    }

    /// A noise-like programme (seeded noise through a gentle low-pass, so it has the weight of
    /// music), stereo, `seconds` long, at about −20 dBFS RMS.
    func programme(seconds: Double, seed: UInt64 = 5) throws -> String {
        let n = Int(seconds * Double(Self.rate))
        var random = SeededRandom(seed: seed)
        var left = [Float](repeating: 0, count: n), right = left
        var l: Float = 0, r: Float = 0
        for i in 0..<n {
            l = 0.9 * l + 0.1 * random.nextUnitVarianceUniform()
            r = 0.9 * r + 0.1 * random.nextUnitVarianceUniform()
            left[i] = 0.4 * l; right[i] = 0.4 * r
        }
        let path = workspace.path("programme-\(seed).wav")
        try AudioFile.write(path: path, channels: [left, right], sampleRate: Self.rate, format: .float32)
        return path
    }

    func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any], String(decoding: data, as: UTF8.self))
    }

    /// Records both sinks' monitors while `earshot monitor` (with `arguments` after its source
    /// and sink) captures the first sink's monitor and `file` is played into `playInto`:
    /// returns the two recordings (left channel), their recorders (for capture times) and
    /// where the monitor's --json went, and what it said on stderr.
    func monitorWhilePlaying(_ file: String, playInto: String = TestPulseServer.sinkName, source: String? = nil, _ arguments: [String],
                             server: TestPulseServer) throws -> (input: [Float], output: [Float], recordIn: PulseRecorder, recordOut: PulseRecorder, stdout: String, stderr: String) {
        let connection = try PulseConnection(server: server.address)
        let recordIn = try PulseRecorder(connection: connection, source: server.monitor)
        let recordOut = try PulseRecorder(connection: connection, source: Self.outputSink + ".monitor")
        while recordIn.frames < 4800 || recordOut.frames < 4800 { usleep(10_000) }
        let (run, stdout) = try launch(["monitor", "--source", source ?? server.monitor, "--sink", Self.outputSink] + arguments, server: server)
        XCTAssertTrue(waitFor("playback settled", in: run.stderrPath, timeout: 15, while: run), run.stderr)
        let player = try play(file, into: playInto, server: server)
        XCTAssertEqual(player.waitUntilExit(timeout: 20), 0)
        XCTAssertEqual(run.waitUntilExit(timeout: 20), 0, run.stderr)
        usleep(100_000)
        return (recordIn.stop().left, recordOut.stop().left, recordIn, recordOut, stdout, run.stderr)
    }

    /// `earshot render` of `file` in `scenario` at `volume`, environment off: the at-ear total
    /// minus its environment stem (left channel).
    func renderWithoutEnvironment(_ file: String, scenario: String, volume: String = "60") throws -> [Float] {
        let rendered = workspace.path("render.wav")
        let render = try EarshotRun.run(URL(fileURLWithPath: executable), ["render", "--mix", file, "--scenario", scenario, "--volume", volume,
                                                                           "--stems", "--out", rendered], in: workspace.root, scratch: workspace.root)
        XCTAssertEqual(render.status, 0, render.stderr)
        let total = try AudioFile.readPlanar(path: rendered).channels[0]
        let environment = try AudioFile.readPlanar(path: workspace.path("render.environment.wav")).channels[0]
        return zip(total, environment).map { $0 - $1 }
    }

    // MARK: - What arrives is the render, and how late

    func testWhatArrivesIsTheRenderAndSourceToSinkLatencyIsAtMost40ms() throws {
        let server = try TestPulseServer(for: self, extraModules: [Self.outputModule], realtime: true)
        let file = try programme(seconds: 6)
        let recordPath = workspace.path("played.wav")
        let scenario = "phone-budget-speaker@quiet-room"
        let (input, output, recordIn, recordOut, stdout, _) = try monitorWhilePlaying(file, ["--scenario", scenario, "--volume", "60", "--no-environment",
                                                                                          "--seconds", "10", "--json", "--record", recordPath], server: server)
        let expected = try renderWithoutEnvironment(file, scenario: scenario)

        // Where the programme is in each recording.
        let source = try AudioFile.readPlanar(path: file).channels[0]
        let probe = 2 * Self.rate..<(3 * Self.rate)
        let inAt = AuditionSignals.lag(of: Array(source[probe]), in: input, maxLag: input.count - probe.count) - probe.lowerBound
        let outAt = AuditionSignals.lag(of: Array(expected[probe]), in: output, maxLag: output.count - probe.count) - probe.lowerBound
        XCTAssertGreaterThanOrEqual(inAt, 0); XCTAssertGreaterThanOrEqual(outAt, 0)
        guard inAt >= 0, outAt >= 0, outAt + 5 * Self.rate < output.count else { return XCTFail("programme not found: in \(inAt), out \(outAt), \(output.count) frames") }
        let window = (Self.rate / 2)..<(5 * Self.rate + Self.rate / 2)
        let arrived = Array(output[(outAt + window.lowerBound)..<(outAt + window.upperBound)])
        let correlation = AuditionSignals.correlation(arrived[...], expected[window])
        XCTAssertGreaterThanOrEqual(correlation, 0.99)

        // Source-to-sink latency: when the programme's frame reached the first sink's monitor
        // and when its render reached the second's.
        let tIn = try XCTUnwrap(recordIn.captureUptimeNanoseconds(ofFrame: inAt + Self.rate))
        let tOut = try XCTUnwrap(recordOut.captureUptimeNanoseconds(ofFrame: outAt + Self.rate))
        let latencyMs = (Double(tOut) - Double(tIn)) / 1e6
        XCTAssertGreaterThan(latencyMs, 0)
        XCTAssertLessThanOrEqual(latencyMs, 40, "source-to-sink latency at the default settings")

        // --record wrote what was played.
        let recorded = try AudioFile.readPlanar(path: recordPath).channels[0]
        let recAt = AuditionSignals.lag(of: Array(expected[probe]), in: recorded, maxLag: recorded.count - probe.count) - probe.lowerBound
        XCTAssertGreaterThanOrEqual(recAt, 0)
        let recordedCorrelation = recAt >= 0 && recAt + window.upperBound <= recorded.count
            ? AuditionSignals.correlation(recorded[(recAt + window.lowerBound)..<(recAt + window.upperBound)], expected[window]) : 0
        XCTAssertGreaterThanOrEqual(recordedCorrelation, 0.99)

        let summary = try json(stdout)
        let latency = try XCTUnwrap(summary["latency"] as? [String: Any])
        XCTAssertEqual(latency["processingMilliseconds"] as? Double, 5, "the stock phone's 5 ms limiter lookahead; the convolution adds none")
        let scenarios = try XCTUnwrap(summary["scenarios"] as? [[String: Any]])
        XCTAssertEqual(scenarios.first?["id"] as? String, scenario)
        XCTAssertNotNil((summary["cpu"] as? [String: Any])?["coreShare"] as? Double)
        print(String(format: "earshot monitor: correlation with the render %.5f (recorded file %.5f), source-to-sink latency %.1f ms measured at the sinks' monitors, "
                     + "reported %@ ms, processing %@ ms, underruns %@, CPU %@", correlation, recordedCorrelation, latencyMs,
                     "\(latency["sourceToSinkMilliseconds"] ?? "nil")", "\(latency["processingMilliseconds"] ?? "nil")", "\(summary["underruns"] ?? "nil")",
                     "\((summary["cpu"] as? [String: Any])?["coreShare"] ?? "nil")"))
    }

    /// Impulses through a private server at the default settings: each click's arrival at the
    /// first sink's monitor and, through the first scenario, at the second's.
    func testImpulsesTakeAtMost40msFromSourceToSink() throws {
        let server = try TestPulseServer(for: self, extraModules: [Self.outputModule], realtime: true)
        let n = 6 * Self.rate
        var clicks = [Float](repeating: 0, count: n)
        let at = (0..<8).map { Self.rate + $0 * Self.rate / 2 }
        for k in at { clicks[k] = 0.5 }
        let file = workspace.path("clicks.wav")
        try AudioFile.write(path: file, channels: [clicks, clicks], sampleRate: Self.rate, format: .float32)
        let (input, output, recordIn, recordOut, stdout, _) = try monitorWhilePlaying(file, ["--scenario", "phone-budget-speaker@quiet-room", "--volume", "60",
                                                                                          "--no-environment", "--seconds", "9", "--json"], server: server)
        /// Onsets: the first sample above a fifth of the recording's peak, then the next after 0.25 s.
        func onsets(_ x: [Float]) -> [Int] {
            let threshold = 0.2 * (x.map(abs).max() ?? 0)
            var found: [Int] = []
            var i = 0
            while i < x.count {
                if abs(x[i]) > threshold && threshold > 0 { found.append(i); i += Self.rate / 4 } else { i += 1 }
            }
            return found
        }
        let ins = onsets(input), outs = onsets(output)
        XCTAssertEqual(ins.count, at.count, "clicks at the first sink's monitor")
        XCTAssertEqual(outs.count, at.count, "clicks at the second sink's monitor")
        var latencies: [Double] = []
        for (a, b) in zip(ins, outs) {
            guard let tIn = recordIn.captureUptimeNanoseconds(ofFrame: a), let tOut = recordOut.captureUptimeNanoseconds(ofFrame: b) else { continue }
            latencies.append((Double(tOut) - Double(tIn)) / 1e6)
        }
        let sorted = latencies.sorted()
        let median = try XCTUnwrap(sorted.isEmpty ? nil : sorted[sorted.count / 2])
        XCTAssertGreaterThan(median, 0)
        XCTAssertLessThanOrEqual(median, 40, "source-to-sink latency at the default settings: \(latencies)")
        let summary = try json(stdout)
        print(String(format: "earshot monitor, impulses: source-to-sink latency median %.1f ms (%@ ms), the tool reports %@ ms",
                     median, latencies.map { String(format: "%.1f", $0) }.joined(separator: ", "),
                     "\((summary["latency"] as? [String: Any])?["sourceToSinkMilliseconds"] ?? "nil")"))
    }

    /// A source at 44.1 kHz is converted (by the server's resampler) and still arrives as the
    /// render, without dropouts.
    func testASourceAtAnotherRateIsConverted() throws {
        let server = try TestPulseServer(for: self, extraModules: [Self.outputModule,
            "module-null-sink sink_name=earshot_44k rate=44100 format=float32le channels=2"], realtime: true)
        let file = try programme(seconds: 5)
        let scenario = "phone-budget-speaker@quiet-room"
        let (_, output, _, _, stdout, log) = try monitorWhilePlaying(file, playInto: "earshot_44k", source: "earshot_44k.monitor",
                                                                     ["--scenario", scenario, "--volume", "60", "--no-environment", "--seconds", "8", "--json"], server: server)
        XCTAssertTrue(log.contains("runs at 44100 Hz: the PulseAudio server converts it to 48 kHz"), log)
        let expected = try renderWithoutEnvironment(file, scenario: scenario)
        let probe = 2 * Self.rate..<(3 * Self.rate)
        let outAt = AuditionSignals.lag(of: Array(expected[probe]), in: output, maxLag: output.count - probe.count) - probe.lowerBound
        guard outAt >= 0, outAt + 4 * Self.rate < output.count else { return XCTFail("programme not found at \(outAt)") }
        let window = (Self.rate / 2)..<(4 * Self.rate)
        let correlation = AuditionSignals.correlation(output[(outAt + window.lowerBound)..<(outAt + window.upperBound)], expected[window])
        XCTAssertGreaterThanOrEqual(correlation, 0.99)
        let summary = try json(stdout)
        XCTAssertEqual(summary["sourceSampleRate"] as? Int, 44100)
        XCTAssertEqual(summary["underruns"] as? Int, 0)
        print(String(format: "earshot monitor, 44.1 kHz source converted: correlation with the render %.5f, underruns %@, resyncs %@", correlation, "\(summary["underruns"] ?? "nil")", "\(summary["resyncs"] ?? "nil")"))
    }

    // MARK: - Keys

    func testKeysSwitchWithoutAGapOrAClick() throws {
        let server = try TestPulseServer(for: self, extraModules: [Self.outputModule], realtime: true)
        let file = try programme(seconds: 14, seed: 8)
        let connection = try PulseConnection(server: server.address)
        let recordOut = try PulseRecorder(connection: connection, source: Self.outputSink + ".monitor")
        while recordOut.frames < 4800 { usleep(10_000) }
        let terminal = try PseudoTerminal()
        let (run, stdout) = try launch(["monitor", "--source", server.monitor, "--sink", Self.outputSink, "--scenario", "phone-budget-speaker@quiet-room",
                                        "--scenario", "laptop-speakers@quiet-room", "--volume", "60", "--no-environment", "--json"],
                                       server: server, stdin: terminal.slavePath, stderr: terminal.slavePath)
        XCTAssertNotNil(terminal.waitFor("playback settled", timeout: 15, while: { run.isRunning }), terminal.text)
        let player = try play(file, into: TestPulseServer.sinkName, server: server)
        usleep(3_000_000)
        var pressed: [(key: String, uptime: UInt64)] = []
        for key in ["2", "0", "e", "1"] {
            let mark = terminal.mark
            terminal.type(key)
            pressed.append((key, DispatchTime.now().uptimeNanoseconds))
            let wanted = ["2": "[2] laptop-speakers@quiet-room", "0": "[0] bypass", "e": "env on", "1": "[1] phone-budget-speaker"][key]!
            XCTAssertNotNil(terminal.waitFor(wanted, after: mark, timeout: 3, while: { run.isRunning }), "after \(key): \(terminal.text.suffix(400))")
            usleep(1_500_000)
        }
        terminal.type("q")
        XCTAssertEqual(run.waitUntilExit(timeout: 10), 0, terminal.text.suffix(600).description)
        player.kill()
        let recording = recordOut.stop().left
        let timeline = recordOut.captureTimeline
        // Each switch: no silence and no step beyond the signals' own, around the moment it
        // was heard (the key plus up to 60 ms).
        for (key, uptime) in pressed {
            guard let entry = timeline.first(where: { $0.uptimeNanoseconds >= uptime }) else { return XCTFail("no recording after key \(key)") }
            let frame = entry.frame
            let around = (frame - Self.rate / 20)..<(frame + Self.rate / 10)
            let natural = max(AuditionSignals.maxJump(recording, (frame - Self.rate)..<(frame - Self.rate / 10)),
                              AuditionSignals.maxJump(recording, (frame + Self.rate / 5)..<(frame + Self.rate)))
            let jump = AuditionSignals.maxJump(recording, around)
            let zeros = MonitorScenes.longestZeroRun(recording, around)
            XCTAssertLessThanOrEqual(zeros, 2, "key \(key): a gap")
            // A click (a gap, or a jump between unaligned signals) is a step of the signal's own
            // amplitude, several times its largest sample-to-sample step; the margin is for the
            // spread of that largest step between stretches of noise.
            XCTAssertLessThanOrEqual(jump, natural * 1.25, "key \(key): a click")
            print(String(format: "monitor key %@: largest step %.5f around the switch vs %.5f in the signals, longest zero run %d", key, jump, natural, zeros))
        }
        let summary = try json(stdout)
        let scenarios = try XCTUnwrap(summary["scenarios"] as? [[String: Any]])
        XCTAssertGreaterThan(scenarios[1]["heardSeconds"] as? Double ?? 0, 1, "scenario 2 was heard")
        XCTAssertGreaterThan(summary["bypassHeardSeconds"] as? Double ?? 0, 1, "bypass was heard")
    }

    // MARK: - Losing the server, the source; a source the layout cannot take

    func testServerKilledExitsWith1WithinASecond() throws {
        let server = try TestPulseServer(for: self, extraModules: [Self.outputModule], realtime: true)
        let (run, _) = try launch(["monitor", "--source", server.monitor, "--sink", Self.outputSink, "--scenario", "phone-budget-speaker@quiet-room"], server: server)
        XCTAssertTrue(waitFor("playback settled", in: run.stderrPath, timeout: 15, while: run), run.stderr)
        usleep(300_000)
        let killed = Date()
        server.crash()
        let status = run.waitUntilExit(timeout: 5)
        let seconds = Date().timeIntervalSince(killed)
        XCTAssertEqual(status, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("earshot: error: the PulseAudio server went away"), run.stderr)
        XCTAssertLessThan(seconds, 1.0)
        print(String(format: "earshot monitor exited %.0f ms after its server was killed", seconds * 1000))
    }

    func testLosingTheSourceExitsWith1NamingIt() throws {
        let server = try TestPulseServer(for: self, extraModules: [Self.outputModule, "module-null-sink sink_name=earshot_daw rate=48000 format=float32le channels=2"])
        let (run, _) = try launch(["monitor", "--source", "earshot_daw.monitor", "--sink", Self.outputSink, "--scenario", "phone-budget-speaker@quiet-room"], server: server)
        XCTAssertTrue(waitFor("monitoring earshot_daw.monitor", in: run.stderrPath, timeout: 15, while: run), run.stderr)
        let unloaded = Date()
        let pactl = try SpawnedProcess(executable: "/usr/bin/pactl", arguments: ["unload-module", "module-null-sink"], environment: environment(server))
        _ = pactl.waitUntilExit(timeout: 5)
        let status = run.waitUntilExit(timeout: 5)
        XCTAssertEqual(status, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("lost the source 'earshot_daw.monitor'") || run.stderr.contains("lost the sink 'earshot_out'"), run.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(unloaded), 1.5)
    }

    func testASourceTheLayoutCannotTakeIsRefusedNamingTheFix() throws {
        let server = try TestPulseServer(for: self)
        let (run, _) = try launch(["monitor", "--source", server.monitor, "--layout", "dialogue+me", "--scenario", "phone-budget-speaker@quiet-room"], server: server)
        XCTAssertEqual(run.waitUntilExit(timeout: 15), 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("has 2 channels; --layout dialogue+me needs 4"), run.stderr)
        XCTAssertTrue(run.stderr.contains("module-null-sink sink_name=earshot_stems channels=4"), run.stderr)
        let (missing, _) = try launch(["monitor", "--source", "no_such.monitor"], server: server)
        XCTAssertEqual(missing.waitUntilExit(timeout: 15), 1, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("no source named 'no_such.monitor'"), missing.stderr)
        let (loop, _) = try launch(["monitor", "--source", server.monitor, "--sink", TestPulseServer.sinkName], server: server)
        XCTAssertEqual(loop.waitUntilExit(timeout: 15), 1, loop.stderr)
        XCTAssertTrue(loop.stderr.contains("is the monitor of the sink the monitor would play to ('earshot_test'): give --sink"), loop.stderr)
    }

    // MARK: - Real time under load

    func testSixtySecondsWithBothCoresBusyHaveNoUnderrunsOrOverruns() throws {
        let server = try TestPulseServer(for: self, extraModules: [Self.outputModule], realtime: true)
        let connection = try PulseConnection(server: server.address)
        let keepAlive = try PulseRecorder(connection: connection, source: Self.outputSink + ".monitor")
        while keepAlive.frames < 4800 { usleep(10_000) }
        let file = try programme(seconds: 66, seed: 12)
        let (run, stdout) = try launch(["monitor", "--source", server.monitor, "--sink", Self.outputSink, "--scenario", "phone-budget-speaker@commute-bus",
                                        "--scenario", "laptop-speakers@cafe-babble", "--seconds", "62", "--json"], server: server)
        XCTAssertTrue(waitFor("playback settled", in: run.stderrPath, timeout: 15, while: run), run.stderr)
        let player = try play(file, into: TestPulseServer.sinkName, server: server, realtime: true)
        // Another process keeps both cores busy for the whole run.
        let busy = try (0..<2).map { _ in
            try SpawnedProcess(executable: "/bin/sh", arguments: ["-c", "while :; do :; done"], environment: [:])
        }
        defer { busy.forEach { $0.kill() } }
        XCTAssertEqual(run.waitUntilExit(timeout: 90), 0, run.stderr)
        busy.forEach { $0.kill() }
        player.kill()
        keepAlive.stop()
        let summary = try json(stdout)
        XCTAssertEqual(summary["underruns"] as? Int, 0, run.stderr)
        XCTAssertEqual(summary["overruns"] as? Int, 0, run.stderr)
        XCTAssertEqual(summary["resyncs"] as? Int, 0, run.stderr)
        XCTAssertGreaterThanOrEqual(summary["value"] as? Double ?? 0, 60)
        print("earshot monitor, 60 s with both cores busy: underruns \(summary["underruns"] ?? "nil"), overruns \(summary["overruns"] ?? "nil"), resyncs \(summary["resyncs"] ?? "nil"), realtime \(summary["realtimeScheduling"] ?? "nil"), CPU \((summary["cpu"] as? [String: Any])?["coreShare"] ?? "nil")")
    }

    // MARK: - The masking meter

    func testMeterLosesTheLineUnderALoudMEAndNotTheCleanOne() throws {
        let server = try TestPulseServer(for: self, extraModules: [Self.outputModule, Self.stemsModule])
        let channels = MonitorScenes.meterScene().channels
        let seconds = Double(channels[0].count) / Double(Self.rate)
        let file = workspace.path("stems.wav")
        try AudioFile.write(path: file, channels: channels, sampleRate: Self.rate, format: .float32)
        let meterPath = workspace.path("meter.jsonl")
        let (run, _) = try launch(["monitor", "--source", Self.stemsSink + ".monitor", "--sink", Self.outputSink, "--layout", "dialogue+me",
                                   "--scenario", "studio-reference@quiet-room", "--volume", "70", "--no-environment",
                                   "--meter-json", meterPath, "--seconds", String(seconds + 4), "--json"], server: server)
        XCTAssertTrue(waitFor("playback settled", in: run.stderrPath, timeout: 15, while: run), run.stderr)
        let started = Date()
        // The file's four channels are the sink's, one to one (no remix by the server).
        let player = try play(file, into: Self.stemsSink, server: server, channelMap: "front-left,front-right,rear-left,rear-right")
        XCTAssertEqual(player.waitUntilExit(timeout: 30), 0)
        XCTAssertEqual(run.waitUntilExit(timeout: 30), 0, run.stderr)
        let elapsed = Date().timeIntervalSince(started)
        let updates = try String(contentsOfFile: meterPath, encoding: .utf8).split(separator: "\n").map {
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let times = updates.compactMap { $0["timeSeconds"] as? Double }
        let rate = Double(times.count) / max(times.last! - times.first!, 1e-9)
        XCTAssertGreaterThanOrEqual(rate, 5, "meter updates per second")
        // Each line's verdict, once, in order.
        var lines: [[String: Any]] = []
        for update in updates {
            guard let line = update["lastLine"] as? [String: Any] else { continue }
            if lines.last.map({ ($0["startSeconds"] as? Double) != (line["startSeconds"] as? Double) }) ?? true { lines.append(line) }
        }
        XCTAssertEqual(lines.count, 2, "\(lines)")
        guard lines.count == 2 else { return }
        let masked = lines[0], clean = lines[1]
        XCTAssertGreaterThanOrEqual(masked["lostShare"] as? Double ?? 0, 0.5, "\(masked)")
        XCTAssertGreaterThanOrEqual(masked["lostByMix"] as? Int ?? 0, 1, "the M&E is what loses them: \(masked)")
        XCTAssertEqual(masked["lostByMix"] as? Int, masked["lostWords"] as? Int, "with the environment off, every lost word is the mix's: \(masked)")
        XCTAssertLessThanOrEqual(clean["lostShare"] as? Double ?? 1, 0.2, "\(clean)")
        let withLevels = updates.first { ($0["dialogueLevelDBSPL"] as? Double) != nil && ($0["meLevelDBSPL"] as? Double) != nil }
        XCTAssertNotNil(withLevels, "the meter shows the dialogue against the maskers")
        print(String(format: "masking meter: %.1f updates/s over %.1f s; line under the M&E: %@ of %@ words lost (%@ by the mix); clean line: %@ of %@ lost",
                     rate, elapsed, "\(masked["lostWords"] ?? "?")", "\(masked["judgedWords"] ?? "?")", "\(masked["lostByMix"] ?? "?")",
                     "\(clean["lostWords"] ?? "?")", "\(clean["judgedWords"] ?? "?")"))
    }
}

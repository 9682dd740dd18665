import EarshotKit
import Foundation

/// `earshot bench --only monitor`: the live monitor's CPU per scenario, and a long real-time
/// run under full CPU load through a private PulseAudio server.
extension Bench {
    func benchMonitor(dir: String) throws {
        let catalog = try profiles.catalog()
        let rate = AudioSource.processingRate
        let quiet = try catalog.environment("quiet-room")
        print("\nmonitor: the live chain per scenario (protection DSP, zero-delay partitioned convolution, calibration, environment), "
              + "30 s of stereo at 48 kHz in 240-frame callbacks; target ≤ 25 % of one core per stereo scenario")
        print(pad("scenario", 34) + pad("layout", 13) + pad("IR taps", 9) + "% of one core")
        let seconds = 30.0
        let frames = Int(seconds * Double(rate))
        var random = SeededRandom(seed: 1)
        let stereo = (0..<(2 * frames)).map { _ in 0.1 * random.nextUnitVarianceUniform() }
        let quad = (0..<(4 * frames)).map { _ in 0.1 * random.nextUnitVarianceUniform() }
        func share(_ scenarios: [Scenario], layout: MonitorLayout) throws -> Double {
            let engine = try MonitorEngine(chains: try LiveMonitor.chains(for: scenarios, layout: layout), layout: layout,
                                           inputChannels: layout == .stereo ? 2 : 4, calibration: MonitorCalibration(), meter: layout == .dialogueAndME)
            let input = layout == .stereo ? stereo : quad
            let width = layout == .stereo ? 2 : 4
            var output = [Float](repeating: 0, count: 2 * frames)
            let drain = UnsafeMutablePointer<Float>.allocate(capacity: MonitorEngine.MeterFrame.width * 480)
            defer { drain.deallocate() }
            let spent = Peer.time {
                input.withUnsafeBufferPointer { x in
                    output.withUnsafeMutableBufferPointer { y in
                        var at = 0
                        while at < frames {
                            let n = min(240, frames - at)
                            engine.process(x.baseAddress! + width * at, frames: n, into: y.baseAddress! + 2 * at)
                            if let ring = engine.meterRing { _ = ring.read(into: drain, count: MonitorEngine.MeterFrame.width * 480) }
                            at += n
                        }
                    }
                }
            }
            return spent / seconds
        }
        var all: [Scenario] = []
        for device in catalog.devices.values.sorted(by: { $0.id < $1.id }) {
            let model = try DeviceModel(profile: device)
            let scenario = Scenario(device: model, environment: quiet, volumePercent: 60)
            all.append(scenario)
            for layout in MonitorLayout.allCases {
                let s = try share([scenario], layout: layout)
                print(pad(scenario.id, 34) + pad(layout.rawValue, 13) + pad("\(model.impulseResponse.count)", 9)
                      + String(format: "%.1f %% %@", s * 100, s <= 0.25 ? "(target met)" : "(OVER the 25 % target)"))
            }
        }
        let together = try share(Array(all.prefix(6)), layout: .stereo)
        print(String(format: "%d scenarios at once (stereo): %.1f %% of one core, %.1f %% per scenario", min(6, all.count), together * 100, together * 100 / Double(min(6, all.count))))
        try benchMonitorRealTime(dir: dir, catalog: catalog)
    }

    /// `monitorMinutes` of `earshot monitor`'s engine live between two null sinks of a private
    /// server, with every core kept busy by other processes; the summary's underruns and
    /// overruns must stay 0.
    func benchMonitorRealTime(dir: String, catalog: ProfileCatalog) throws {
        guard let pulseaudio = Peer.find("pulseaudio") else {
            print("monitor real-time run: skipped (pulseaudio is not installed)")
            return
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        print(String(format: "\nmonitor: %g minutes live through a private PulseAudio server (real-time I/O threads, as a desktop's), %d busy processes "
                     + "keeping every core busy; target 0 underruns, 0 overruns", monitorMinutes, cores))
        let folder = dir + "/pulse"
        try FileManager.default.createDirectory(atPath: folder + "/home", withIntermediateDirectories: true)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: pulseaudio)
        server.arguments = ["-n", "--daemonize=no", "--system=false", "--exit-idle-time=-1", "--use-pid-file=no", "--realtime=yes", "--high-priority=yes",
                            "--log-target=file:\(folder)/server.log",
                            "-L", "module-null-sink sink_name=bench_daw rate=48000 format=float32le channels=2",
                            "-L", "module-null-sink sink_name=bench_out rate=48000 format=float32le channels=2",
                            "-L", "module-native-protocol-unix auth-anonymous=1 socket=\(folder)/native"]
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_RUNTIME_DIR"] = folder; environment["PULSE_RUNTIME_PATH"] = folder
        environment["PULSE_STATE_PATH"] = folder + "/state"; environment["HOME"] = folder + "/home"
        server.environment = environment
        try server.run()
        defer {
            server.terminate()
            var status: Int32 = 0
            _ = waitpid(server.processIdentifier, &status, 0)
        }
        var parameters = sched_param(sched_priority: 5)
        if sched_setscheduler(server.processIdentifier, SCHED_RR, &parameters) != 0 {
            print("  (the server's main thread could not be made real-time: \(String(cString: strerror(errno))); dropouts under load are then the server's)")
        }
        // The monitor has a connection of its own (its mainloop thread is the audio thread);
        // the "DAW" playing a programme into the first sink has another.
        func connect() throws -> PulseConnection {
            for _ in 0..<100 {
                if let c = try? PulseConnection(server: "unix:\(folder)/native") { return c }
                usleep(50_000)
            }
            throw EarshotError(.environment, "the bench's PulseAudio server did not start (see \(folder)/server.log)")
        }
        _ = try connect()
        // The "DAW": pacat playing noise (from /dev/urandom, at -20 dB) with real-time
        // scheduling, as a DAW's audio engine runs.
        guard let pacat = Peer.find("pacat") else { throw EarshotError(.environment, "pacat (pulseaudio-utils) is needed for the monitor bench") }
        let daw = Process()
        daw.executableURL = URL(fileURLWithPath: pacat)
        daw.arguments = ["--playback", "--raw", "--format=s16le", "--channels=2", "--rate=48000", "--latency-msec=20", "--volume=6554", "-d", "bench_daw"]
        daw.environment = ["PULSE_SERVER": "unix:\(folder)/native"]
        daw.standardInput = FileHandle(forReadingAtPath: "/dev/urandom")
        try daw.run()
        defer { if daw.isRunning { daw.terminate() } }
        if sched_setscheduler(daw.processIdentifier, SCHED_RR, &parameters) != 0 { print("  (the player could not be made real-time)") }
        // Both sinks kept in small blocks, as the tests keep theirs (parec reading their monitors).
        let keepAlive = ["bench_daw.monitor", "bench_out.monitor"].compactMap { source -> Process? in
            guard let parec = Peer.find("parec") else { return nil }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: parec)
            p.arguments = ["--latency-msec=10", "--raw", "-d", source]
            p.environment = ["PULSE_SERVER": "unix:\(folder)/native"]
            p.standardOutput = FileHandle.nullDevice
            try? p.run()
            return p
        }
        defer { for p in keepAlive where p.isRunning { p.terminate() } }
        // The monitor as users run it: `earshot monitor` in its own process; the busy
        // processes start once it has settled (its warm-up is not counted anyway).
        let scenarios = CheckSettings.defaultScenarios.prefix(2).flatMap { ["--scenario", "\($0.device)@\($0.environment)"] }
        var monitorEnvironment = ProcessInfo.processInfo.environment
        monitorEnvironment["PULSE_SERVER"] = "unix:\(folder)/native"
        let summaryPath = folder + "/summary.json"
        _ = FileManager.default.createFile(atPath: summaryPath, contents: nil)
        let summaryFile = try FileHandle(forWritingTo: URL(fileURLWithPath: summaryPath))
        let monitorProcess = Process()
        monitorProcess.executableURL = URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0])
        monitorProcess.arguments = ["monitor", "--source", "bench_daw.monitor", "--sink", "bench_out", "--seconds", String(monitorMinutes * 60 + 8), "--json"]
            + scenarios + profiles.arguments
        monitorProcess.environment = monitorEnvironment
        monitorProcess.standardOutput = summaryFile
        try monitorProcess.run()
        defer { kill(monitorProcess.processIdentifier, SIGTERM) }
        usleep(8_000_000)
        let busy = (0..<cores).map { _ -> Process in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "while :; do :; done"]
            try? p.run()
            return p
        }
        defer { for p in busy where p.isRunning { p.terminate() } }
        let started = Date()
        // waitpid, not Process.waitUntilExit: Foundation was seen to miss the exit of a child
        // started while libpulse threads ran (see the tests' SpawnedProcess).
        var status: Int32 = 0
        while waitpid(monitorProcess.processIdentifier, &status, 0) < 0 && errno == EINTR {}
        for p in busy { p.terminate() }
        daw.terminate()
        try summaryFile.close()
        guard status == 0 else { throw EarshotError(.environment, "earshot monitor ended with wait status \(status)") }
        let output = try String(contentsOfFile: summaryPath, encoding: .utf8)
        guard let summary = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] else {
            throw EarshotError(.environment, "earshot monitor printed no summary")
        }
        let underruns = summary["underruns"] as? Int ?? -1, overruns = summary["overruns"] as? Int ?? -1, resyncs = summary["resyncs"] as? Int ?? -1
        let latency = summary["latency"] as? [String: Any] ?? [:], cpu = summary["cpu"] as? [String: Any] ?? [:]
        let zero = underruns == 0 && overruns == 0 && resyncs == 0
        print(String(format: "  %.1f min: %d underruns, %d overruns, %d resyncs %@; CPU %.1f %% of one core for 2 scenarios (longest callback %.2f ms); "
                     + "latency as the server reports it %.1f ms (processing %.1f ms); audio thread real-time: %@",
                     Date().timeIntervalSince(started) / 60, underruns, overruns, resyncs, zero ? "(target met)" : "(target NOT met)",
                     (cpu["coreShare"] as? Double ?? 0) * 100, cpu["longestCallbackMilliseconds"] as? Double ?? 0,
                     latency["sourceToSinkMilliseconds"] as? Double ?? 0, latency["processingMilliseconds"] as? Double ?? 0,
                     (summary["realtimeScheduling"] as? Bool).map { $0 ? "yes" : "no" } ?? "unknown"))
    }
}

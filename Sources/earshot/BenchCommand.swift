import ArgumentParser
import EarshotKit
import Foundation

/// `earshot bench`: Earshot's speed against its peers, measured in the same run on this machine.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time Earshot against peers (ffmpeg afir, pystoi, MoSQITo) in one run and print the ratios.",
        discussion: """
        Build in release mode first (swift build -c release) and run .build/release/earshot bench. \
        Peers are run as separate processes on the same generated signals: ffmpeg for \
        convolution, and Python with pystoi and mosqito for the metrics (set EARSHOT_BENCH_PYTHON to \
        a Python that has them, e.g. a venv with `pip install pystoi mosqito matplotlib soundfile`; \
        a peer that is missing is reported as such). Metric peers are timed around the metric call \
        only (files already read), and so is Earshot. Each figure is the best of three runs; a \
        render (Earshot's or ffmpeg's) writes a fresh output file each run.
        Targets: render no slower than ffmpeg afir (ratio ≤ 1.0); STOI of a 90-s 48 kHz pair ≥ 20× \
        faster than pystoi; time-varying DIN sharpness of 20 s ≥ 50× faster than MoSQITo's \
        sharpness_din_tv; earshot check of a 90-s episode (dialogue + M&E + mix, and dialogue + \
        music + effects + mix, with words, six default scenarios) ≤ 3 s wall; earshot batch of 20 such episodes ≥ 1.7× faster than checking them one \
        after another, ≤ 60 s; a 120-minute programme through earshot check (its own process, \
        measured by /usr/bin/time -v) in ≤ 5 minutes wall and ≤ 1.0 GB peak resident memory on \
        every path (with the mix file, stems only, stems only without word timings), with 10 and \
        30 minutes beside it to show that memory does not grow with duration; earshot monitor at ≤ 25 % \
        of one core per stereo scenario at 48 kHz, and --monitor-minutes (10) of live monitoring through \
        a private PulseAudio server while other processes keep every core busy with zero underruns \
        and overruns.
        """)

    @Option(help: "Which parts to run, comma-separated: render, stoi, sharpness, check, batch, feature, monitor (default: all).")
    var only: String?
    @Option(help: "Programme length in seconds.") var seconds: Double = 90
    @Option(help: "Lengths for the feature-length part, minutes, comma-separated.") var featureMinutes = "10,30,120"
    @Option(help: "Keep the benchmark's programmes, episodes and reports in this folder (default: a temporary folder, removed afterwards).")
    var keep: String?
    @Option(help: "Length of the monitor part's real-time run under full CPU load, minutes.") var monitorMinutes: Double = 10
    @OptionGroup var profiles: ProfileOptions

    func run() throws {
        try runReportingErrors {
            let parts = Set((only ?? BenchPart.allCases.map(\.rawValue).joined(separator: ",")).split(separator: ",").map(String.init))
            for p in parts where BenchPart(rawValue: p) == nil {
                throw EarshotError.usage("unknown bench part '\(p)'; known: \(BenchPart.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let dir = keep ?? NSTemporaryDirectory() + "earshot-bench-\(ProcessInfo.processInfo.processIdentifier)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            defer { if keep == nil { try? FileManager.default.removeItem(atPath: dir) } }
            let programme = dir + "/programme.wav"
            try BenchSignals.writeProgramme(path: programme, seconds: seconds)
            print("Earshot benchmark — \(ProcessInfo.processInfo.activeProcessorCount) cores, programme \(Int(seconds)) s stereo 48 kHz")
            if parts.contains(BenchPart.render.rawValue) { try benchRender(programme: programme, dir: dir) }
            if parts.contains(BenchPart.stoi.rawValue) { try benchSTOI(dir: dir) }
            if parts.contains(BenchPart.sharpness.rawValue) { try benchSharpness(dir: dir) }
            if parts.contains(BenchPart.check.rawValue) { try benchCheck(dir: dir) }
            if parts.contains(BenchPart.batch.rawValue) { try benchBatch(dir: dir) }
            if parts.contains(BenchPart.feature.rawValue) { try benchFeature(dir: dir) }
            if parts.contains(BenchPart.monitor.rawValue) { try benchMonitor(dir: dir) }
        }
    }

    func benchRender(programme: String, dir: String) throws {
        let catalog = try profiles.catalog()
        let quiet = try catalog.environment("quiet-room")
        print("\nrender: device chain (protection DSP, IR convolution, calibration, environment) vs ffmpeg -af afir with the same IR")
        print(pad("device", 26) + pad("IR taps", 9) + pad("earshot s", 11) + pad("ffmpeg s", 10) + "ratio (≤ 1.0 target)")
        let ffmpeg = Peer.find("ffmpeg")
        for device in catalog.devices.values.sorted(by: { $0.id < $1.id }) {
            let model = try DeviceModel(profile: device)
            let irPath = dir + "/\(device.id).ir.wav"
            try AudioFile.write(path: irPath, channels: [model.impulseResponse], sampleRate: 48000)
            let scenario = Scenario(device: model, environment: quiet, volumePercent: 60)
            let out = dir + "/\(device.id).earshot.wav"
            // Best of three for both, each writing a fresh file (the previous one deleted, untimed).
            let earshotSeconds = try Self.bestOf3(removing: out) {
                let writer = try AudioFileWriter(path: out, sampleRate: 48000, channels: 2, format: .float32)
                try ScenarioRenderer(inputs: ScenarioInputs(mix: programme), scenario: scenario).render { block in
                    try writer.write(MonitorCalibration().samples(block.total))
                }
                try writer.finish()
            }
            var ffmpegText = "missing", ratioText = "n/a (ffmpeg not installed)"
            if let ffmpeg {
                let ffmpegOut = dir + "/\(device.id).ffmpeg.wav"
                let t = try Self.bestOf3(removing: ffmpegOut) {
                    try Peer.run(ffmpeg, ["-v", "error", "-y", "-i", programme, "-i", irPath, "-filter_complex",
                                          "[0:a][1:a]afir=gtype=none", "-c:a", "pcm_f32le", ffmpegOut])
                }
                ffmpegText = String(format: "%.3f", t)
                ratioText = String(format: "%.2f %@", earshotSeconds / t, earshotSeconds <= t ? "ok" : "SLOWER")
            }
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: dir + "/\(device.id).ffmpeg.wav")
            print(pad(device.id, 26) + pad("\(model.impulseResponse.count)", 9) + pad(String(format: "%.3f", earshotSeconds), 11) + pad(ffmpegText, 10) + ratioText)
        }
    }
}

enum BenchPart: String, CaseIterable {
    case render, stoi, sharpness, check, batch, feature, monitor
}

extension Bench {
    var python: String? {
        if let p = ProcessInfo.processInfo.environment["EARSHOT_BENCH_PYTHON"] { return p }
        return Peer.find("python3")
    }

    /// Runs a Python peer script that prints the seconds its timed call took; nil when the peer
    /// is not installed.
    func timePython(_ script: String, arguments: [String]) -> (seconds: Double?, note: String) {
        guard let python else { return (nil, "no python3") }
        do {
            let out = try Peer.run(python, ["-c", script] + arguments)
            guard let t = Double(out.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last ?? "") else {
                return (nil, "peer printed no time")
            }
            return (t, "")
        } catch {
            return (nil, "peer unavailable (\(python): \(String("\(error)".prefix(120))))")
        }
    }

    /// The best of three timed runs of `body`, deleting `path` (its output) before each, untimed.
    static func bestOf3(removing path: String, _ body: () throws -> Void) rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<3 {
            try? FileManager.default.removeItem(atPath: path)
            best = min(best, try Peer.time(body))
        }
        return best
    }

    static func bestOf3(_ body: () throws -> Void) rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<3 { best = min(best, try Peer.time(body)) }
        return best
    }

    func benchSTOI(dir: String) throws {
        print("\nstoi: STOI of a 90-s 48 kHz pair (clean speech-like programme vs the same in noise)")
        let n = 90 * 48000
        var random = SeededRandom(seed: 77)
        let clean: [Float] = (0..<n).map { i in
            let t = Double(i) / 48000
            let syllable = max(0, sin(2 * .pi * 4 * t)) * (sin(2 * .pi * 0.3 * t) > -0.7 ? 1 : 0)
            return Float(0.2 * syllable * (sin(2 * .pi * 180 * t) + 0.5 * sin(2 * .pi * 360 * t) + 0.3 * sin(2 * .pi * 2400 * t)))
        }
        let degraded = clean.map { $0 + Float(0.05 * random.nextGaussian()) }
        try AudioFile.write(path: dir + "/clean.wav", channels: [clean], sampleRate: 48000)
        try AudioFile.write(path: dir + "/degraded.wav", channels: [degraded], sampleRate: 48000)
        var value = 0.0
        let ours = try Self.bestOf3 { let t = DispatchTime.now().uptimeNanoseconds; value = try STOI.compute(reference: clean, degraded: degraded, sampleRate: 48000).value; if ProcessInfo.processInfo.environment["STOI_LAP"] != nil { print("total", Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6) } }
        let script = """
        import sys, time, soundfile as sf
        from pystoi import stoi
        x, fs = sf.read(sys.argv[1]); y, _ = sf.read(sys.argv[2])
        best = 1e9
        for _ in range(3):
            t = time.perf_counter(); v = stoi(x, y, fs); best = min(best, time.perf_counter() - t)
        print(v); print(best)
        """
        let peer = timePython(script, arguments: [dir + "/clean.wav", dir + "/degraded.wav"])
        report(name: "STOI 90 s", ours: ours, peerName: "pystoi", peer: peer, targetSpeedup: 20, extra: String(format: "STOI %.4f", value))
    }

    func benchSharpness(dir: String) throws {
        print("\nsharpness: time-varying DIN 45692 sharpness of 20 s (speech-like bursts and pink-ish noise, pascals)")
        let n = 20 * 48000
        var random = SeededRandom(seed: 99)
        var lowpassed = 0.0
        let signal: [Float] = (0..<n).map { i in
            let t = Double(i) / 48000
            lowpassed = 0.97 * lowpassed + 0.03 * random.nextGaussian()
            let burst = (sin(2 * .pi * 2.5 * t) > 0.6 ? 1.0 : 0.1) * random.nextGaussian() * 0.05
            return Float(0.2 * sin(2 * .pi * 220 * t) * max(0, sin(2 * .pi * 3 * t)) + lowpassed * 0.3 + burst)
        }
        try AudioFile.write(path: dir + "/sharp.wav", channels: [signal], sampleRate: 48000)
        var mean = 0.0
        let ours = try Self.bestOf3 {
            let s = try DINSharpness.timeVarying(pressurePa: signal, sampleRate: 48000)
            mean = s.sharpnessAcum.reduce(0, +) / Double(max(s.sharpnessAcum.count, 1))
        }
        let script = """
        import sys, time, warnings, soundfile as sf
        warnings.filterwarnings("ignore")
        from mosqito.sq_metrics import sharpness_din_tv
        x, fs = sf.read(sys.argv[1])
        t = time.perf_counter(); r = sharpness_din_tv(x, fs); dt = time.perf_counter() - t
        print(dt)
        """
        let peer = timePython(script, arguments: [dir + "/sharp.wav"])
        report(name: "sharpness 20 s", ours: ours, peerName: "MoSQITo", peer: peer, targetSpeedup: 50,
               extra: String(format: "mean %.3f acum", mean))
    }

    func report(name: String, ours: Double, peerName: String, peer: (seconds: Double?, note: String), targetSpeedup: Double, extra: String) {
        var line = pad(name, 18) + pad(String(format: "earshot %.3f s", ours), 18)
        if let p = peer.seconds {
            let speedup = p / ours
            line += pad(String(format: "%@ %.3f s", peerName, p), 20) + String(format: "%.1f× faster (target ≥ %.0f×) %@", speedup, targetSpeedup, speedup >= targetSpeedup ? "ok" : "BELOW TARGET")
        } else {
            line += "\(peerName): \(peer.note)"
        }
        print(line + "  [\(extra)]")
    }

    func benchCheck(dir: String) throws {
        print("\ncheck: a 90-s episode with word timings on the six default scenarios, delivered as dialogue + M&E, and as dialogue + music + effects + mix")
        let episode = dir + "/episode"
        let wordCount = try BenchEpisode.write(folder: episode, seconds: 90, seed: 5, gainDB: 0, musicAndEffects: true)
        let settings = CheckSettings(scenarios: CheckSettings.defaultScenarios, wordsPath: episode + "/words.json")
        let catalog = try profiles.catalog()
        let deliveries: [(name: String, inputs: ScenarioInputs)] = [
            ("check 90 s D+M&E+mix", ScenarioInputs(mix: episode + "/mix.wav", dialogue: episode + "/dialogue.wav", me: episode + "/me.wav")),
            ("check 90 s D+M+E+mix", ScenarioInputs(mix: episode + "/mix.wav", dialogue: episode + "/dialogue.wav",
                                                            music: episode + "/music.wav", effects: episode + "/effects.wav")),
        ]
        // Timed as a mixer runs it: the `earshot check` process, reading the files and writing
        // the report folder (JSON, HTML, CSV, masked-word snippets); best of three.
        let earshot = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
        for delivery in deliveries {
            var arguments = ["check", "--words", episode + "/words.json", "--out", dir + "/check-out", "--force"]
            for (role, path) in delivery.inputs.paths.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                arguments += ["--" + (role == .me ? "me" : role.rawValue), path]
            }
            let seconds = try Self.bestOf3 { try Peer.run(earshot, arguments + profiles.arguments) }
            var masked = 0
            let inProcess = try Self.bestOf3 {
                let report = try CheckRunner.run(inputs: delivery.inputs, settings: settings, catalog: catalog)
                masked = report.scenarios.reduce(0) { $0 + $1.maskedWords }
            }
            print(pad(delivery.name, 22) + pad(String(format: "earshot check %.3f s", seconds), 24)
                  + String(format: "target ≤ 3 s %@  [analysis alone %.3f s; %d words, %d masked across scenarios]",
                           seconds <= 3 ? "ok" : "ABOVE TARGET", inProcess, wordCount, masked))
        }
    }
}

/// Deterministic programme material for the benchmark.
enum BenchSignals {
    /// Speech-like bursts over a music bed with bass, stereo, written in blocks.
    static func writeProgramme(path: String, seconds: Double) throws {
        let rate = 48000
        let frames = Int(seconds * Double(rate))
        let writer = try AudioFileWriter(path: path, sampleRate: rate, channels: 2, format: .float32)
        var random = SeededRandom(seed: 2026)
        var position = 0
        while position < frames {
            let n = min(48000, frames - position)
            var left = [Float](repeating: 0, count: n), right = left
            for i in 0..<n {
                let t = Double(position + i) / Double(rate)
                let syllable = max(0, sin(2 * .pi * 4 * t))
                let voice = 0.2 * syllable * (sin(2 * .pi * 180 * t) + 0.5 * sin(2 * .pi * 360 * t) + 0.05 * random.nextGaussian())
                let bass = 0.15 * sin(2 * .pi * 55 * t)
                left[i] = Float(voice + bass + 0.02 * random.nextGaussian())
                right[i] = Float(voice + bass + 0.02 * random.nextGaussian())
            }
            try writer.write([left, right])
            position += n
        }
        try writer.finish()
    }
}

/// Running and timing peer programs.
enum Peer {
    static func find(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let p = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Runs a program; returns its standard error (where `/usr/bin/time` reports). A non-zero
    /// exit is an error.
    static func runCapturingErrors(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: errors, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw EarshotError(.environment, "\(executable) \(arguments.prefix(3).joined(separator: " ")) failed: \(text.suffix(600))")
        }
        return text
    }

    /// Runs a program; returns its standard output. A non-zero exit is an error.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw EarshotError(.environment, "\(executable) failed: \(String(decoding: errors, as: UTF8.self).prefix(400))")
        }
        return String(decoding: output, as: UTF8.self)
    }
}

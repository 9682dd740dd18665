import ArgumentParser
import EarshotKit
import Foundation

/// `earshot monitor`: the DAW's output through the scenarios, live.
struct Monitor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Hear what the DAW is playing through each device and place, live, with a meter of the lines the mix loses.",
        discussion: """
        Captures a PulseAudio source (typically the monitor of a virtual sink the DAW plays into: \
        `pactl load-module module-null-sink sink_name=earshot_daw channels=2`, then --source \
        earshot_daw.monitor), renders it through the scenarios in real time — the device, \
        environment and listener models of `check` and `render` — and plays the result to --sink \
        (default: the server's default sink), at the monitor calibration of `render` (a full-scale \
        sine is --monitor-full-scale-db-spl dB SPL).
        Keys (on a terminal): 1–9 a scenario, 0 bypass (the input untouched), e environment \
        on/off, m loudness matching (every scenario at the input's running loudness) on/off, h \
        help, q quit; every change crossfades in 10 ms, without a click or a gap.
        Latency: the convolution adds none (non-uniformly partitioned, zero-delay); the device's \
        limiter lookahead (5 ms on the stock devices) is the processing latency, plus the capture \
        fragment (--fragment-ms) and the playback buffer (--buffer-ms); the total is printed.
        Volume: --volume, or each listener's choice for a programme at the platform's target \
        loudness (--platform, default General streaming), stated on screen.
        --layout dialogue+me: the source carries the dialogue bus on channels 1–2 and the M&E \
        bus on 3–4 (a 4-channel sink); the status line then shows the dialogue's level against \
        the maskers and the share of the last line's words predicted lost, and how many of those \
        the mix causes (the per-word model of `check` on speech units found live), at least 5 \
        times a second; --meter-json FILE writes each update as one JSON object per line.
        Scriptable: --seconds S runs S seconds and exits; --json prints a summary (scenarios heard, \
        latency, underruns, CPU); --record FILE writes what was played. Without a terminal on \
        standard input there are no keys.
        Exit codes: 0 done, 1 bad input or the audio server, source or sink was lost (within 1 s), \
        2 bad usage, 130 interrupted (Ctrl-C without keys).
        """)

    @Option(help: "PulseAudio source to capture (e.g. earshot_daw.monitor; `pactl list short sources`).") var source: String
    @Option(help: "PulseAudio sink to play to (default: the server's default sink).") var sink: String?
    @OptionGroup var profiles: ProfileOptions
    @OptionGroup var scenarios: ScenarioOptions
    @OptionGroup var volumeOptions: VolumeOptions
    @OptionGroup var masking: MaskingOptions
    @Option(help: "What the source carries: stereo (the mix; mono and 5.1 are folded) or dialogue+me (dialogue on 1–2, M&E on 3–4).") var layout: String = "stereo"
    @Option(help: "The platform whose target loudness sets each listener's volume (Reports/platforms.json).") var platform: String = "General streaming"
    @Option(help: ArgumentHelp("What to hear first: a scenario id, 1–9, or 0/bypass.", valueName: "ID")) var startWith: String?
    @Flag(help: "Start with the environment noise off.") var noEnvironment = false
    @Flag(help: "Start with loudness matching on.") var match = false
    @Option(help: "dB SPL of a full-scale sine as played (the monitor calibration).") var monitorFullScaleDbSpl: Double = 100
    @Option(help: "Run this many seconds, then exit.") var seconds: Double?
    @Option(help: ArgumentHelp("Write what was played to this WAV file (float, 48 kHz stereo).", valueName: "file")) var record: String?
    @Option(help: ArgumentHelp("Write each masking-meter update as a JSON object on its own line (with --layout dialogue+me).", valueName: "file")) var meterJson: String?
    @Option(help: "Capture fragment, milliseconds.") var fragmentMs: Double = 5
    @Option(help: "Playback buffer, milliseconds.") var bufferMs: Double = 35
    @Flag(help: "Print a JSON summary on stdout at the end.") var json = false

    func run() throws {
        try runReportingErrors {
            let volume = try volumeOptions.percent(), maskedBelow = try masking.threshold()
            guard let layout = MonitorLayout(rawValue: layout) else { throw EarshotError.usage("--layout must be stereo or dialogue+me, not '\(self.layout)'") }
            if meterJson != nil && layout != .dialogueAndME { throw EarshotError.usage("--meter-json needs --layout dialogue+me (the meter needs the dialogue and the M&E apart)") }
            if let seconds, !(seconds > 0) { throw EarshotError.usage("--seconds must be more than 0") }
            guard (1...50).contains(fragmentMs) else { throw EarshotError.usage("--fragment-ms must be 1…50, not \(fragmentMs)") }
            guard (5...500).contains(bufferMs) else { throw EarshotError.usage("--buffer-ms must be 5…500, not \(bufferMs)") }
            let catalog = try profiles.catalog()
            var pairs = try scenarios.pairs()
            if pairs.isEmpty { pairs = CheckSettings.defaultScenarios }
            let ids = pairs.map { "\($0.device)@\($0.environment)" }
            let start = try startWith.map { try parseSource($0, ids: ids) } ?? .scenario(0)

            let connection = try PulseConnection()
            // Volumes: fixed, or the listener's choice for a programme at the platform's target.
            let programmeLUFS: Double?
            var platformNote = ""
            if volume == nil {
                let specs = try PlatformSpec.load(path: try EarshotResources.folder(named: "Reports") + "/platforms.json")
                guard let spec = specs.first(where: { $0.name.lowercased() == platform.lowercased() }) else {
                    throw EarshotError.usage("--platform '\(platform)' is not in Reports/platforms.json: \(specs.map(\.name).joined(separator: ", "))")
                }
                programmeLUFS = spec.targetLUFS
                platformNote = String(format: ", for a programme at %@'s target of %.0f LUFS", spec.name, spec.targetLUFS)
            } else {
                programmeLUFS = nil
            }
            var models: [String: DeviceModel] = [:]
            var list: [Scenario] = []
            var choices: [ListenerVolumeChoice] = []
            for (deviceID, environmentID) in pairs {
                let device = try catalog.device(deviceID), environment = try catalog.environment(environmentID)
                if models[deviceID] == nil { models[deviceID] = try DeviceModel(profile: device) }
                let choice = volume.map { ListenerVolumeChoice.fixed(percent: $0) }
                    ?? ListenerVolumeChoice.listener(device: models[deviceID]!, environment: environment, programmeLUFS: programmeLUFS)
                choices.append(choice)
                list.append(Scenario(device: models[deviceID]!, environment: environment, volumePercent: choice.percent))
            }
            for (id, choice) in zip(ids, choices) { note(choice.line(scenario: id) + (choice.fixed ? "" : platformNote)) }

            var options = LiveMonitor.Options(source: source)
            options.sink = sink
            options.layout = layout
            options.calibration = MonitorCalibration(fullScaleDBSPL: monitorFullScaleDbSpl)
            options.start = start
            options.environmentOn = !noEnvironment
            options.loudnessMatched = match
            options.recordPath = record
            options.meter = layout == .dialogueAndME
            options.meterJSONPath = meterJson
            options.masking = WordMaskingSettings(maskedBelowHeardProbability: maskedBelow)
            options.fragmentMilliseconds = fragmentMs
            options.playbackBufferMilliseconds = bufferMs
            let monitor = try LiveMonitor(connection: connection, scenarios: list, options: options)
            if monitor.serverResamples {
                note("the source '\(source)' runs at \(monitor.sourceInfo.sampleRate) Hz: the PulseAudio server converts it to 48 kHz for the monitor")
            }
            let keys = TerminalMode.isTerminal(STDIN_FILENO)
            if !keys { note("standard input is not a terminal, so there are no keys: monitoring \(seconds.map { String(format: "for %g s", $0) } ?? "until interrupted") with \(describe(start, ids: ids))") }
            let stop = StopRequest()
            let terminal = keys ? try TerminalMode(fd: STDIN_FILENO) { _ in stop.raise() } : nil
            var signals: [DispatchSourceSignal] = []
            if !keys { signals = Interruption.catchSignals { stop.raise() } }
            defer {
                for s in signals { s.cancel() }
                terminal?.restore()
            }
            let controller = MonitorController(monitor: monitor)
            if keys { printHeader(ids: ids, choices: choices) }
            let started = Date()
            do {
                try monitor.start()
            } catch {
                try? monitor.stop()
                throw error
            }
            note(String(format: "monitoring %@ → %@; processing latency %.1f ms (the limiter lookahead; the convolution adds none); playback settled in %.2f s",
                        source, sink ?? "the default sink", monitor.processingLatencySeconds * 1000, monitor.warmUpSeconds))
            var decoder = KeyDecoder()
            var lastStatus = Date.distantPast
            var lost: EarshotError?
            while true {
                controller.tick()
                if let error = monitor.checkAlive() { lost = error; break }
                if stop.isRaised { break }
                if let seconds, Date().timeIntervalSince(started) >= seconds { break }
                if let terminal {
                    var quit = false
                    for key in decoder.feed(terminal.readBytes(timeoutMilliseconds: 30)) where !quit { quit = !controller.handle(key) }
                    if quit { break }
                    if Date().timeIntervalSince(lastStatus) > 0.1 {
                        lastStatus = Date()
                        writeStatusLine(controller.statusLine())
                    }
                } else {
                    usleep(30_000)
                }
            }
            controller.tick()
            let latency = monitor.streams?.streamLatencySeconds
            let runSeconds = Date().timeIntervalSince(started)
            if keys { FileHandle.standardError.write(Data("\n".utf8)) }
            if let lost {
                // The server is gone: no clean stop to wait for.
                throw lost
            }
            try monitor.stop()
            let stats = monitor.engine.statistics.snapshot
            let processingMs = monitor.processingLatencySeconds * 1000
            let captureMs = (latency?.capture ?? 0) * 1000, playbackMs = (latency?.playback ?? 0) * 1000
            let line = String(format: "monitored %.1f s: latency %.1f ms (processing %.1f + capture %.1f + playback %.1f, as the server reports them), "
                              + "%d underruns, %d overruns, %d resyncs, CPU %.1f %% of one core (%@)",
                              runSeconds, processingMs + captureMs + playbackMs, processingMs, captureMs, playbackMs, stats.underruns, stats.overruns, monitor.resyncs,
                              stats.coreShare() * 100,
                              list.indices.map { String(format: "%@ %.1f %%", ids[$0], stats.coreShare(scenario: $0) * 100) }.joined(separator: ", "))
            note(line)
            if json {
                var scenarioValues: [JSONValue] = []
                for (i, choice) in choices.enumerated() {
                    scenarioValues.append(.object([
                        ("id", .string(ids[i])), ("volumePercent", .num(choice.percent)), ("volumeReason", .string(choice.reason)),
                        ("heardSeconds", .num(controller.heardSeconds[i + 1])),
                        ("cpuCoreShare", .num(stats.coreShare(scenario: i))),
                    ]))
                }
                printJSON(.object([
                    ("value", .num(runSeconds)), ("unit", .string("s")),
                    ("source", .string(source)), ("sink", .str(sink)), ("layout", .string(layout.rawValue)),
                    ("sourceSampleRate", .integer(monitor.sourceInfo.sampleRate)), ("sourceChannels", .integer(monitor.sourceInfo.channels)),
                    ("scenarios", .array(scenarioValues)),
                    ("bypassHeardSeconds", .num(controller.heardSeconds[0])),
                    ("latency", .object([
                        ("processingMilliseconds", .num(processingMs)),
                        ("captureMilliseconds", .num(latency.map { $0.capture * 1000 })),
                        ("playbackMilliseconds", .num(latency.map { $0.playback * 1000 })),
                        ("sourceToSinkMilliseconds", .num(latency.map { _ in processingMs + captureMs + playbackMs })),
                    ])),
                    ("warmUpSeconds", .num(monitor.warmUpSeconds)),
                    ("realtimeScheduling", monitor.streams?.realtimeScheduling.map { .bool($0) } ?? .null),
                    ("resyncs", .integer(monitor.resyncs)),
                    ("underruns", .integer(stats.underruns)), ("overruns", .integer(stats.overruns)),
                    ("cpu", .object([
                        ("coreShare", .num(stats.coreShare())),
                        ("longestCallbackMilliseconds", .num(stats.longestCallbackSeconds * 1000)),
                        ("framesProcessed", .integer(stats.framesProcessed)),
                    ])),
                    ("meterUpdates", .integer(monitor.meter?.updateCount ?? 0)),
                    ("record", .str(record)),
                ]))
            }
            if stop.isRaised && !keys { throw ExitCode(ExitStatus.interrupted) }
        }
    }

    func parseSource(_ text: String, ids: [String]) throws -> MonitorEngine.Source {
        if text == "bypass" || text == "0" { return .bypass }
        if let n = Int(text), (1...ids.count).contains(n) { return .scenario(n - 1) }
        if let i = ids.firstIndex(of: text) { return .scenario(i) }
        throw EarshotError.usage("--start-with: '\(text)' is not bypass, 1–\(ids.count), or one of the scenarios: \(ids.joined(separator: ", "))")
    }

    func describe(_ source: MonitorEngine.Source, ids: [String]) -> String {
        switch source {
        case .bypass: return "bypass"
        case .scenario(let i): return ids[i]
        }
    }

    func printHeader(ids: [String], choices: [ListenerVolumeChoice]) {
        var lines = ["earshot monitor — " + MonitorController.keyHelp, "  0  bypass (the input untouched)"]
        for (i, (id, choice)) in zip(ids, choices).enumerated() {
            lines.append(String(format: "  %@  %@ at %@ %%", i < 9 ? "\(i + 1)" : "-", id, ListenerVolumeChoice.percentText(choice.percent)))
        }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }

    func note(_ text: String) {
        FileHandle.standardError.write(Data("earshot: \(text)\n".utf8))
    }
}

/// Ctrl-C, SIGTERM or SIGHUP during `monitor`: ends the run cleanly (streams stopped, files
/// finished). Raised from a dispatch queue, read by the main loop.
final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    func raise() { lock.lock(); raised = true; lock.unlock() }
    var isRaised: Bool { lock.lock(); defer { lock.unlock() }; return raised }
}

import ArgumentParser
import EarshotKit
import Foundation

/// `earshot audition`: listen to the scenarios and switch between them at the same position.
struct Audition: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Listen to the mix on each device in its environment, switching between scenarios and the original at the same position.",
        discussion: """
        Takes the same inputs and scenarios as `check`, renders every scenario (in memory for \
        short programmes; as float WAV files in a private temporary folder, memory-mapped, for long \
        ones) and plays through PulseAudio. Switching keeps the position to the sample and \
        crossfades in 10 ms (no click, no gap); the playback buffer is about --latency-ms (25 ms), \
        so a key is heard within about that time plus the output device's own latency.
        Keys (on a terminal): 1–9 a scenario, 0 the original, space pause/play, ←/→ back/forward \
        5 s, n/p next/previous flagged (masked) word, l loop the current word with a second either \
        side (l again: stop looping), m loudness matching on/off, e environment noise on/off, \
        h help, q quit. The status line shows the scenario, the position (timecode from the BWF \
        time reference, 25 fps, and seconds), the word being heard and its masking.
        Levels: renders play at the monitor calibration (a full-scale sine is \
        --monitor-full-scale-db-spl dB SPL, default 100, as `render` writes). The original (0) is \
        the mix as delivered, played at the mean integrated loudness (BS.1770) of the scenarios' \
        at-ear mixes, so 0 against a scenario compares tone, not level. With loudness matching (m) \
        every render plays at that same loudness, measured on what is heard (mix + environment, or \
        the mix alone with the environment off).
        Words: masked words come from a check run on the same inputs (run first, or taken from \
        --report report.json).
        Scriptable mode (plays once and exits; also whenever standard input is not a terminal): \
        --from S --to S, or --word N (the word with a second either side); --start-with ID; \
        --switch-at S:ID (repeatable) switches at S seconds to ID (a scenario id, 1–9, or \
        original); --sink NAME picks the output. Without a server: start PulseAudio, or set \
        PULSE_SERVER.
        Exit codes: 0 played to the end or quit, 1 bad input or the audio server failed (no \
        server, no such sink, the server went away), 2 bad usage, 130 interrupted (Ctrl-C).
        """)

    @OptionGroup var programme: ProgrammeOptions
    @OptionGroup var profiles: ProfileOptions
    @Option(help: "Word timings: TextGrid, WhisperX JSON, SRT or WebVTT.") var words: String?
    @OptionGroup var scenarios: ScenarioOptions
    @OptionGroup var volumeOptions: VolumeOptions
    @OptionGroup var masking: MaskingOptions
    @Option(help: ArgumentHelp("Take volumes and masked words from this report.json instead of running the check.", valueName: "report.json")) var report: String?
    @Option(help: ArgumentHelp("Scriptable mode: start here (seconds into the programme).", valueName: "seconds")) var from: Double?
    @Option(help: ArgumentHelp("Scriptable mode: stop here (seconds).", valueName: "seconds")) var to: Double?
    @Option(help: ArgumentHelp("Scriptable mode: play word N (its index in the report) with a second either side.", valueName: "N")) var word: Int?
    @Option(help: ArgumentHelp("Scriptable mode: switch to ID (scenario id, 1–9, or original) at S seconds (repeatable).", valueName: "S:ID")) var switchAt: [String] = []
    @Option(help: ArgumentHelp("What to play first: a scenario id, 1–9, or original (default: the first scenario).", valueName: "ID")) var startWith: String?
    @Option(help: "PulseAudio sink to play to (default: the server's default sink).") var sink: String?
    @Option(help: "Playback buffer, milliseconds (key-to-sound latency is about this).") var latencyMs: Double = 25
    @Option(help: "dB SPL of a full-scale sine as played (the monitor calibration).") var monitorFullScaleDbSpl: Double = 100
    @Flag(help: "Start with loudness matching on.") var match = false
    @Flag(help: "Start with the environment noise off.") var noEnvironment = false
    @Flag(help: "Print a JSON summary on stdout at the end.") var json = false

    func run() throws {
        try runReportingErrors {
            let volume = try volumeOptions.percent(), maskedBelow = try masking.threshold()
            try validateOptions()
            let inputs = try programme.inputs()
            let catalog = try profiles.catalog()
            // Fail fast without a server or sink, before the long work.
            let connection = try PulseConnection()
            if let sink { try connection.requireSink(sink) }
            let interactiveWanted = from == nil && to == nil && word == nil && switchAt.isEmpty
            let keys = interactiveWanted && TerminalMode.isTerminal(STDIN_FILENO)
            if interactiveWanted && !keys {
                note("standard input is not a terminal, so there are no keys: playing once from start to end "
                     + "(scriptable mode; choose a stretch with --from/--to or --word, switches with --switch-at S:ID)")
            }
            // Keys typed while preparing are kept (not echoed); Ctrl-C stops cleanly in every phase.
            let interrupt = Interruption()
            var signals: [DispatchSourceSignal] = []
            let terminal = keys ? try TerminalMode(fd: STDIN_FILENO) { _ in interrupt.raise() } : nil
            if !keys { signals = Interruption.catchSignals { interrupt.raise() } }
            defer {
                for source in signals { source.cancel() }
                terminal?.restore()
            }

            let opened = try OpenedInputs(inputs)
            // The stems play as the mix plays them (its master gain): from the check run below,
            // else measured here.
            var played: ScenarioInputs?
            var pairs = try scenarios.pairs()
            var reportDocument: ReportDocument?
            if let report {
                let document = try ReportDocument.read(path: report)
                let seconds = document.input.durationSeconds
                if abs(seconds - opened.durationSeconds) > 0.001 {
                    throw EarshotError.badInput(file: report, String(format: "is for a programme of %.3f s, but the inputs are %.3f s long", seconds, opened.durationSeconds))
                }
                if pairs.isEmpty { pairs = document.scenarios.map { ($0.device, $0.environment) } }
                reportDocument = document
            }
            if pairs.isEmpty { pairs = CheckSettings.defaultScenarios }
            let ids = pairs.map { "\($0.device)@\($0.environment)" }

            // Volumes and masked words: from the report, from a check run, or (a fixed volume
            // and no words needed) neither.
            var choices = [ListenerVolumeChoice](repeating: .fixed(percent: volume ?? Scenario.defaultVolumePercent), count: pairs.count)
            var auditionWords: AuditionWords?
            if let reportDocument, let report {
                auditionWords = try AuditionWords(report: reportDocument, scenarioIDs: ids, file: report)
                if volume == nil {
                    choices = try ids.map { id in
                        guard let s = reportDocument.scenario(id) else {
                            throw EarshotError.badInput(file: report, "has no scenario '\(id)'")
                        }
                        return ListenerVolumeChoice(percent: s.volumePercent, fixed: reportDocument.settings.volume == "fixed",
                                                    targetDialogueDBA: s.listenerTargetDialogueDBA,
                                                    reason: reportDocument.settings.volume == "fixed" ? "fixed in \(report)" : "listener's choice, from \(report)")
                    }
                }
            } else if keys || word != nil || volume == nil {
                note("checking \(pairs.count) scenario\(pairs.count == 1 ? "" : "s") for masked words and listener volumes…")
                var settings = CheckSettings(scenarios: pairs, volumePercent: volume, wordsPath: try words ?? (programme.demo ? demoWords() : nil))
                settings.masking.maskedBelowHeardProbability = maskedBelow
                let checked = try CheckRunner.run(inputs: inputs, settings: settings, catalog: catalog)
                played = checked.inputs
                if volume == nil {
                    let programmeLUFS = checked.programme.listenerProgrammeLUFS
                    choices = try pairs.map { pair in
                        ListenerVolumeChoice.listener(device: try DeviceModel(profile: try catalog.device(pair.device)), environment: try catalog.environment(pair.environment), programmeLUFS: programmeLUFS)
                    }
                }
                auditionWords = AuditionWords(report: checked, scenarioIDs: ids)
            }
            for (id, choice) in zip(ids, choices) { note(choice.line(scenario: id)) }
            let volumes = choices.map(\.percent)
            var models: [String: DeviceModel] = [:]
            var scenarios: [Scenario] = []
            for ((deviceID, environmentID), percent) in zip(pairs, volumes) {
                if models[deviceID] == nil { models[deviceID] = try DeviceModel(profile: try catalog.device(deviceID)) }
                scenarios.append(Scenario(device: models[deviceID]!, environment: try catalog.environment(environmentID), volumePercent: percent))
            }

            // What to play: the whole programme, or a stretch.
            let rate = Double(AudioSource.processingRate)
            var range: Range<Int>?
            if let word {
                guard let w = auditionWords?.byScenario.first?.first(where: { $0.index == word }) else {
                    throw EarshotError.usage("--word \(word): no word with that index (give --words, --dialogue or --report; word indices are in report.json)")
                }
                let c = AuditionWords.contextSeconds
                range = max(0, Int(((w.startSeconds - c) * rate).rounded()))..<min(opened.frames, Int(((w.endSeconds + c) * rate).rounded()))
            } else if from != nil || to != nil {
                let first = Int(((from ?? 0) * rate).rounded()), last = to.map { Int(($0 * rate).rounded()) } ?? opened.frames
                guard first < opened.frames else {
                    throw EarshotError.usage(String(format: "--from %.3f is past the end of the programme (%.3f s)", from ?? 0, opened.durationSeconds))
                }
                range = first..<min(last, opened.frames)
            }
            let switches = try switchAt.map { try parseSwitch($0, ids: ids, range: range ?? 0..<opened.frames) }
            let first = try startWith.map { try parseSource($0, ids: ids, option: "--start-with") } ?? .scenario(0)

            var options = AuditionMaterial.Options()
            options.calibration = MonitorCalibration(fullScaleDBSPL: monitorFullScaleDbSpl)
            options.range = range
            options.isCancelled = { interrupt.isRaised }
            interrupt.enter(.rendering)
            let material: AuditionMaterial
            do {
                let playedInputs = try played ?? ProgrammeAnalysis.analyse(inputs).playing(inputs).inputs
                material = try AuditionMaterial.render(inputs: playedInputs, scenarios: scenarios, options: options) { note($0) }
            } catch where interrupt.isRaised {
                throw ExitCode(ExitStatus.interrupted)
            }
            defer { material.removeFiles() }

            let session = AuditionSession(material: material, source: first, stopsAtEnd: !keys,
                                          environmentOn: !noEnvironment, loudnessMatched: match)
            for (seconds, source) in switches { session.schedule(switchTo: source, atFrame: Int((seconds * rate).rounded())) }
            let player = try PulsePlayer(connection: connection, sink: sink, latencyMilliseconds: latencyMs)
            let controller = AuditionController(session: session, words: auditionWords)
            if keys { printHeader(material, volumes: volumes) }
            interrupt.enter(.playing(session))
            if interrupt.isRaised { throw ExitCode(ExitStatus.interrupted) }
            try player.start(session)
            if let terminal {
                try interactiveLoop(controller: controller, player: player, terminal: terminal, interrupt: interrupt)
            } else {
                while try !player.waitUntilDone(timeout: 0.1) {}
            }
            player.stop()
            if interrupt.isRaised { throw ExitCode(ExitStatus.interrupted) }
            let latency = player.measuredLatencySeconds
            if json {
                var summary: [String: Any] = [
                    "value": Double(material.frames) / rate,
                    "unit": "s",
                    "fromSeconds": Double(material.firstFrame) / rate,
                    "toSeconds": Double(material.endFrame) / rate,
                    "scenarios": zip(material.scenarios, choices).map { tracks, choice -> [String: Any] in
                        ["id": tracks.id, "volumePercent": choice.percent, "volumeReason": choice.reason, "mixLUFS": tracks.mixLUFS ?? NSNull(), "totalLUFS": tracks.totalLUFS ?? NSNull()]
                    },
                    "originalLUFS": material.originalLUFS ?? NSNull(),
                    "referenceLUFS": material.referenceLUFS ?? NSNull(),
                    "switches": switches.map { ["atSeconds": $0.0, "to": describe($0.1, ids: ids)] },
                    "sink": sink ?? NSNull(),
                    "bufferMilliseconds": latencyMs,
                    "underflows": player.underflows,
                ]
                if let latency { summary["streamLatencyMilliseconds"] = ["median": latency.median * 1000, "max": latency.max * 1000] }
                printJSON(summary)
            } else if !keys {
                note(String(format: "played %@ %.3f–%.3f s%@", describe(first, ids: ids), Double(material.firstFrame) / rate, Double(material.endFrame) / rate,
                            switches.isEmpty ? "" : "; switches: " + switches.map { String(format: "%.3f s → %@", $0.0, describe($0.1, ids: ids)) }.joined(separator: ", ")))
            }
        }
    }

    func validateOptions() throws {
        guard (5...500).contains(latencyMs) else { throw EarshotError.usage("--latency-ms must be 5…500, not \(latencyMs)") }
        if let from, from < 0 { throw EarshotError.usage("--from must be 0 or more seconds, not \(from)") }
        if let from, let to, to <= from { throw EarshotError.usage("--to (\(to)) must be after --from (\(from))") }
        if word != nil && (from != nil || to != nil) { throw EarshotError.usage("give either --word or --from/--to, not both") }
        if report != nil && words != nil { throw EarshotError.usage("--report already holds the words; drop --words (or drop --report to run the check)") }
    }

    func parseSource(_ text: String, ids: [String], option: String) throws -> AuditionSession.Source {
        if text == "original" || text == "0" { return .original }
        if let n = Int(text), (1...ids.count).contains(n) { return .scenario(n - 1) }
        if let i = ids.firstIndex(of: text) { return .scenario(i) }
        throw EarshotError.usage("\(option): '\(text)' is not original, 1–\(ids.count), or one of the scenarios: \(ids.joined(separator: ", "))")
    }

    func parseSwitch(_ text: String, ids: [String], range: Range<Int>) throws -> (Double, AuditionSession.Source) {
        guard let colon = text.firstIndex(of: ":"), let seconds = Double(text[..<colon]) else {
            throw EarshotError.usage("--switch-at '\(text)' must be SECONDS:ID, e.g. 12.5:original")
        }
        let rate = Double(AudioSource.processingRate)
        guard (Double(range.lowerBound) / rate..<Double(range.upperBound) / rate).contains(seconds) else {
            throw EarshotError.usage(String(format: "--switch-at %@: %.3f s is outside the stretch played (%.3f–%.3f s)", text, seconds,
                                            Double(range.lowerBound) / rate, Double(range.upperBound) / rate))
        }
        return (seconds, try parseSource(String(text[text.index(after: colon)...]), ids: ids, option: "--switch-at"))
    }

    func describe(_ source: AuditionSession.Source, ids: [String]) -> String {
        switch source {
        case .original: return "original"
        case .scenario(let i): return ids[i]
        }
    }

    func demoWords() throws -> String { try EarshotResources.folder(named: "Examples") + "/demo-scene/words.json" }

    func printHeader(_ material: AuditionMaterial, volumes: [Double]) {
        func lufs(_ v: Double?) -> String { v.map { String(format: "%.1f LUFS", $0) } ?? "silent" }
        var lines = ["earshot audition — keys: " + AuditionController.keyHelp.replacingOccurrences(of: "keys: ", with: "")]
        lines.append("  0  original (the mix as delivered, played at \(lufs(material.referenceLUFS)): the scenarios' mean)")
        for (i, (tracks, percent)) in zip(material.scenarios, volumes).enumerated() {
            let key = i < 9 ? "\(i + 1)" : "-"
            lines.append(String(format: "  %@  %@ at %.0f %% (%@ with environment, %@ without)", key, tracks.id, percent, lufs(tracks.totalLUFS), lufs(tracks.mixLUFS)))
        }
        if material.scenarios.count > 9 { lines.append("  (scenarios past the 9th have no key; choose them with --start-with)") }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }

    func interactiveLoop(controller: AuditionController, player: PulsePlayer, terminal: TerminalMode, interrupt: Interruption) throws {
        defer { FileHandle.standardError.write(Data("\n".utf8)) }
        var decoder = KeyDecoder()
        var lastStatus = Date.distantPast
        var quitting = false
        while true {
            if try player.waitUntilDone(timeout: 0) { break }
            for key in decoder.feed(terminal.readBytes(timeoutMilliseconds: 40)) where !quitting {
                if !controller.handle(key) { quitting = true }
            }
            if interrupt.isRaised { quitting = true }
            if Date().timeIntervalSince(lastStatus) > 0.1 {
                lastStatus = Date()
                writeStatus(controller.statusLine())
            }
        }
    }

    func writeStatus(_ line: String) { writeStatusLine(line) }

    func note(_ text: String) {
        FileHandle.standardError.write(Data("earshot: \(text)\n".utf8))
    }
}

/// Ctrl-C (or SIGTERM/SIGHUP) during an audition: while the check runs, exit at once (nothing
/// to clean up); while rendering, stop the render (it removes its files); while playing, fade
/// out and end playback. Raised from a dispatch queue, read on the main thread.
final class Interruption: @unchecked Sendable {
    enum Phase { case preparing, rendering, playing(AuditionSession) }
    private let lock = NSLock()
    private var phase = Phase.preparing
    private var raised = false

    func enter(_ new: Phase) { lock.lock(); phase = new; lock.unlock() }

    var isRaised: Bool { lock.lock(); defer { lock.unlock() }; return raised }

    func raise() {
        lock.lock()
        raised = true
        let now = phase
        lock.unlock()
        switch now {
        case .preparing:
            FileHandle.standardError.write(Data("\nearshot: interrupted\n".utf8))
            exit(ExitStatus.interrupted)
        case .rendering:
            break
        case .playing(let session):
            session.requestStop()
        }
    }

    /// Catches SIGINT, SIGTERM and SIGHUP on a dispatch queue (when there is no raw terminal to do it).
    static func catchSignals(_ handler: @escaping () -> Void) -> [DispatchSourceSignal] {
        [SIGINT, SIGTERM, SIGHUP].map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
    }
}

import Foundation

/// The monitor's keys and status line (the audition's keys where they apply): 1–9 a scenario,
/// 0 bypass (the input untouched), e environment on/off, m loudness matching on/off, h help,
/// q quit. The status line shows what is heard, the latency, the underruns and, with the
/// masking meter, the dialogue against the maskers and the last line's lost words.
public final class MonitorController {
    public let monitor: LiveMonitor
    private var message: (text: String, until: Date)?
    /// Seconds each source has been heard: index 0 is bypass, i + 1 scenario i.
    public private(set) var heardSeconds: [Double]
    private var lastTick: Date?

    public static let keyHelp = "keys: 1–9 scenario, 0 bypass (input untouched), e environment, m loudness match, h help, q quit"

    public init(monitor: LiveMonitor) {
        self.monitor = monitor
        heardSeconds = [Double](repeating: 0, count: monitor.engine.chains.count + 1)
    }

    private var engine: MonitorEngine { monitor.engine }

    /// Applies one key; returns false when it asks to quit.
    @discardableResult
    public func handle(_ key: AuditionKey) -> Bool {
        let now = engine.state
        switch key {
        case .digit(0):
            engine.select(.bypass)
        case .digit(let d):
            if d <= engine.chains.count { engine.select(.scenario(d - 1)) }
            else { say("no scenario \(d): there \(engine.chains.count == 1 ? "is 1" : "are \(engine.chains.count)")") }
        case .character("e"):
            engine.setEnvironment(!now.environmentOn)
        case .character("m"):
            engine.setLoudnessMatching(!now.loudnessMatched)
        case .character("h"), .character("?"):
            say(Self.keyHelp, seconds: 6)
        case .interrupt, .character("q"), .character("Q"):
            return false
        default:
            break
        }
        return true
    }

    /// Counts the time since the last tick to the source heard now (call often).
    public func tick() {
        let now = Date()
        if let last = lastTick {
            let index: Int
            switch engine.state.source {
            case .bypass: index = 0
            case .scenario(let i): index = i + 1
            }
            heardSeconds[index] += now.timeIntervalSince(last)
        }
        lastTick = now
    }

    public func name(of source: MonitorEngine.Source) -> String {
        switch source {
        case .bypass: return "[0] bypass"
        case .scenario(let i): return "[\(i + 1)] \(engine.chains[i].scenario.id)"
        }
    }

    private func say(_ text: String, seconds: Double = 2.5) { message = (text, Date(timeIntervalSinceNow: seconds)) }

    public func statusLine() -> String {
        let state = engine.state
        let stats = engine.statistics.snapshot
        var parts = ["● " + name(of: state.source)]
        if let latency = monitor.streams?.streamLatencySeconds {
            parts.append(String(format: "latency %.0f ms", (latency.capture + latency.playback + monitor.processingLatencySeconds) * 1000))
        }
        parts.append("env " + (state.environmentOn ? "on" : "off"))
        parts.append("match " + (state.loudnessMatched ? "on" : "off"))
        if let (scenario, reading) = monitor.meter?.current, case .scenario(let heard) = state.source, heard == scenario {
            if let d = reading.dialogueLevelDBSPL {
                var text = String(format: "dialogue %.0f dB SPL", d)
                if let me = reading.meLevelDBSPL { text += String(format: " vs M&E %.0f", me) }
                if let env = reading.environmentLevelDBSPL { text += String(format: ", env %.0f", env) }
                parts.append(text)
            }
            if let line = reading.lastLine, let share = line.lostShare {
                parts.append(String(format: "last line: %d of %d words lost (%.0f %%), %d by the mix", line.lostWords, line.judgedWords, share * 100, line.lostByMix))
            } else {
                parts.append("last line: —")
            }
        }
        parts.append(String(format: "CPU %.0f %%", stats.coreShare() * 100))
        if stats.underruns + stats.overruns > 0 { parts.append("underruns \(stats.underruns) overruns \(stats.overruns)") }
        if let message, message.until > Date() { parts.append(message.text) }
        return parts.joined(separator: "  ")
    }
}

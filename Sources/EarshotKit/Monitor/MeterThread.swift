import Foundation

/// Runs the live masking meter on its own thread (ARCHITECTURE.md section 10): drains the
/// engine's meter ring every 20 ms, feeds `LiveMaskingMeter`, and every `updateSeconds`
/// publishes a reading — kept for the status line and, with `--meter-json`, appended to the
/// file as one JSON object per line. A switch to another scenario starts a fresh meter (its
/// levels and lines belong to what is heard).
public final class MeterThread: @unchecked Sendable {
    public static let updateSeconds = 0.15
    public let engine: MonitorEngine
    public let settings: WordMaskingSettings
    private let ring: SampleRing
    private let output: FileHandle?
    private let lock = NSLock()
    private var latest: (scenario: Int, reading: LiveMaskingMeter.Reading)?
    private var running = true
    private var thread: Thread?
    private let done = DispatchSemaphore(value: 0)
    private var failure: Error?
    private var updates = 0
    private let started = Date()

    /// `jsonPath`: where `--meter-json` writes (created or truncated).
    public init(engine: MonitorEngine, settings: WordMaskingSettings, jsonPath: String?) throws {
        guard let ring = engine.meterRing else { throw EarshotError.usage("the masking meter needs --layout dialogue+me") }
        self.engine = engine
        self.settings = settings
        self.ring = ring
        if let jsonPath {
            guard FileManager.default.createFile(atPath: jsonPath, contents: nil), let handle = FileHandle(forWritingAtPath: jsonPath) else {
                throw EarshotError(.environment, file: jsonPath, "cannot write the meter's JSON lines")
            }
            output = handle
        } else {
            output = nil
        }
    }

    public func start() {
        let thread = Thread { [self] in run() }
        thread.name = "earshot meter"
        self.thread = thread
        thread.start()
    }

    /// Stops the thread (after one last update) and closes the file.
    public func stop() {
        lock.lock(); let wasRunning = running; running = false; lock.unlock()
        if wasRunning && thread != nil { done.wait() }
        try? output?.close()
    }

    /// The last reading and the scenario it is for (nil before the first).
    public var current: (scenario: Int, reading: LiveMaskingMeter.Reading)? {
        lock.lock(); defer { lock.unlock() }
        return latest
    }

    public var updateCount: Int { lock.lock(); defer { lock.unlock() }; return updates }

    private func run() {
        defer { done.signal() }
        let width = MonitorEngine.MeterFrame.width
        let chunk = 4800
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: width * chunk)
        defer { buffer.deallocate() }
        var meter: LiveMaskingMeter?
        var scenario = -1
        var nextUpdate = Date(timeIntervalSinceNow: Self.updateSeconds)
        while true {
            lock.lock(); let keepGoing = running; lock.unlock()
            do {
                while true {
                    let got = ring.read(into: buffer, count: width * chunk) / width
                    if got == 0 { break }
                    var start = 0
                    while start < got {
                        let index = Int(buffer[width * start])
                        var end = start
                        while end < got && Int(buffer[width * end]) == index { end += 1 }
                        if index != scenario || meter == nil {
                            scenario = index
                            meter = try LiveMaskingMeter(settings: settings)
                        }
                        var d = StereoBlock(frames: end - start), me = d, env = d
                        var gain = [Float](repeating: 1, count: end - start)
                        for i in start..<end {
                            let f = buffer + width * i, k = i - start
                            d.left[k] = f[1]; d.right[k] = f[2]
                            me.left[k] = f[3]; me.right[k] = f[4]
                            env.left[k] = f[5]; env.right[k] = f[6]
                            gain[k] = f[7]
                        }
                        try meter!.consume(dialogue: d, me: me, environment: env, deviceGain: gain)
                        start = end
                    }
                }
            } catch {
                lock.lock(); failure = error; lock.unlock()
            }
            if Date() >= nextUpdate || !keepGoing {
                nextUpdate = nextUpdate.addingTimeInterval(Self.updateSeconds)
                if Date() > nextUpdate { nextUpdate = Date(timeIntervalSinceNow: Self.updateSeconds) }
                publish(scenario: scenario, meter: meter)
            }
            if !keepGoing { return }
            usleep(20_000)
        }
    }

    private func publish(scenario: Int, meter: LiveMaskingMeter?) {
        // Heard: the scenario the keys chose (bypass: no meter).
        let heard = engine.state.source
        let reading = meter?.reading
        lock.lock()
        if let reading, case .scenario = heard { latest = (scenario, reading) } else { latest = nil }
        updates += 1
        lock.unlock()
        guard let output else { return }
        var fields: [(String, JSONValue)] = [("timeSeconds", .num(Date().timeIntervalSince(started)))]
        if case .scenario(let i) = heard, let reading, i == scenario {
            let line = reading.lastLine
            fields += [
                ("scenario", .string(engine.chains[i].scenario.id)),
                ("streamSeconds", .num(reading.streamSeconds)),
                ("dialogueLevelDBSPL", JSONValue.num(reading.dialogueLevelDBSPL)),
                ("meLevelDBSPL", JSONValue.num(reading.meLevelDBSPL)),
                ("environmentLevelDBSPL", JSONValue.num(reading.environmentLevelDBSPL)),
                ("dialogueToMaskersDB", JSONValue.num(reading.dialogueToMaskersDB)),
                ("lineInProgress", .bool(reading.lineInProgress)),
                ("lines", .num(Double(reading.lines))),
                ("lastLine", line.map { l in .object([
                    ("startSeconds", .num(l.startSeconds)), ("endSeconds", .num(l.endSeconds)),
                    ("words", .num(Double(l.words))), ("judgedWords", .num(Double(l.judgedWords))),
                    ("lostWords", .num(Double(l.lostWords))), ("lostShare", JSONValue.num(l.lostShare)),
                    ("lostByMix", .num(Double(l.lostByMix))), ("lostByMixShare", JSONValue.num(l.lostByMixShare)),
                ]) } ?? .null),
            ]
        } else {
            fields.append(("scenario", .null))
        }
        output.write(Data((JSONValue.object(fields).compact + "\n").utf8))
    }
}

import Foundation

/// `earshot monitor` as one library object (ARCHITECTURE.md section 10): the scenarios' live
/// chains, the engine, the PulseAudio streams and, when asked for, the recording and the
/// masking meter, started together and stopped together.
///
/// Threads: libpulse's mainloop thread runs the engine in the record stream's callback (the
/// audio thread); the record writer and the meter each have their own thread and read the
/// engine's lock-free rings; the caller's thread handles keys, the status line and
/// `checkAlive()`.
public final class LiveMonitor {
    /// What `earshot monitor`'s options set: where from and to, the layout, the calibration,
    /// what is heard first, the outputs, and the stream buffers.
    public struct Options {
        public var source: String
        public var sink: String?
        public var layout: MonitorLayout = .stereo
        public var calibration = MonitorCalibration()
        public var start: MonitorEngine.Source = .scenario(0)
        public var environmentOn = true
        public var loudnessMatched = false
        /// `--record FILE`.
        public var recordPath: String?
        /// The masking meter (layout dialogue+me), and where its JSON lines go.
        public var meter = false
        public var meterJSONPath: String?
        public var masking = WordMaskingSettings()
        public var fragmentMilliseconds = 5.0
        public var playbackBufferMilliseconds = 35.0
        public init(source: String) { self.source = source }
    }

    public let options: Options
    public let connection: PulseConnection
    public let engine: MonitorEngine
    public let sourceInfo: PulseDeviceInfo
    public private(set) var streams: LivePulseStreams?
    public let recording: MonitorRecording?
    public let meter: MeterThread?

    /// The chains for `scenarios`, each delayed to the longest limiter lookahead among them.
    public static func chains(for scenarios: [Scenario], layout: MonitorLayout) throws -> [LiveScenarioChain] {
        let rate = Double(AudioSource.processingRate)
        let lookaheads = scenarios.map { ProtectionDynamics.lookaheadSamples(limiter: $0.device.profile.limiter, sampleRate: rate) }
        let longest = lookaheads.max() ?? 0
        return try zip(scenarios, lookaheads).map { scenario, own in
            try LiveScenarioChain(scenario: scenario, pathCount: layout.pathCount, extraDelayFrames: longest - own)
        }
    }

    /// Checks the source against the layout and prepares everything; `start()` begins playing.
    public init(connection: PulseConnection, scenarios: [Scenario], options: Options) throws {
        self.options = options
        self.connection = connection
        guard let info = try connection.sourceInfo(named: options.source) else {
            throw EarshotError(.environment, "the PulseAudio server has no source named '\(options.source)' (list them with `pactl list short sources`; "
                + "a sink's output is its monitor, e.g. earshot_daw.monitor)")
        }
        sourceInfo = info
        if let sink = options.sink { try connection.requireSink(sink) }
        try options.layout.check(sourceChannels: info.channels, source: options.source)
        // Playing into the sink captured would feed the monitor its own output.
        if let played = try options.sink ?? connection.defaultDeviceNames().sink, options.source == played + ".monitor" {
            throw EarshotError(.environment, "the source '\(options.source)' is the monitor of the sink the monitor would play to ('\(played)'"
                + (options.sink == nil ? ", the default sink" : "") + "): give --sink your real output (`pactl list short sinks`)")
        }
        let engine = try MonitorEngine(chains: try Self.chains(for: scenarios, layout: options.layout), layout: options.layout,
                                   inputChannels: info.channels, calibration: options.calibration, start: options.start,
                                   environmentOn: options.environmentOn, loudnessMatched: options.loudnessMatched,
                                   recordSeconds: options.recordPath == nil ? nil : 4, meter: options.meter)
        self.engine = engine
        recording = try options.recordPath.map { try MonitorRecording(engine: engine, path: $0) }
        meter = options.meter ? try MeterThread(engine: engine, settings: options.masking, jsonPath: options.meterJSONPath) : nil
    }

    /// True when the server converts the source's rate to 48 kHz for the monitor.
    public var serverResamples: Bool { sourceInfo.sampleRate != AudioSource.processingRate }

    /// Seconds the playback buffer took to settle after the streams opened (not counted in the
    /// underruns).
    public private(set) var warmUpSeconds = 0.0

    /// Opens the streams, starts the threads, and waits for the playback buffer to settle.
    public func start() throws {
        recording?.start()
        meter?.start()
        streams = try LivePulseStreams(connection: connection, source: options.source, sink: options.sink, engine: engine,
                                       channelMap: options.layout.recordChannelMap(sourceChannels: sourceInfo.channels, sourceMap: sourceInfo.channelMap),
                                       fragmentMilliseconds: options.fragmentMilliseconds,
                                       playbackBufferMilliseconds: options.playbackBufferMilliseconds)
        warmUpSeconds = try streams!.settle()
    }

    /// Nil while running; else what was lost (server, source, sink), as the error to report.
    /// Also keeps the playback buffer at its target: when it has stayed more than
    /// `resyncExcessSeconds` above for a second (the sink's clock slower than the source's),
    /// it is flushed (a short gap, counted in `resyncs`).
    public func checkAlive() -> EarshotError? {
        guard let streams else { return nil }
        if let error = streams.checkAlive() { return error }
        let now = Date()
        if now.timeIntervalSince(lastLatencyCheck) >= 0.25 {
            lastLatencyCheck = now
            let target = options.playbackBufferMilliseconds / 1000 + Self.resyncExcessSeconds
            if streams.isDelivering, let latency = streams.streamLatencySeconds, latency.playback > target {
                highSince = highSince ?? now
                if now.timeIntervalSince(highSince!) >= 1 {
                    streams.flushPlayback()
                    resyncs += 1
                    highSince = nil
                }
            } else {
                highSince = nil
            }
        }
        return nil
    }

    public static let resyncExcessSeconds = 0.03
    /// Times the playback buffer was flushed back to its target after the warm-up.
    public private(set) var resyncs = 0
    private var lastLatencyCheck = Date.distantPast
    private var highSince: Date?

    /// The processing latency every source is heard with (the longest limiter lookahead; the
    /// convolution adds none), seconds.
    public var processingLatencySeconds: Double { Double(engine.latencyFrames) / Double(AudioSource.processingRate) }

    /// Stops the streams, then the threads; throws what the recording met.
    public func stop() throws {
        streams?.stop()
        meter?.stop()
        try recording?.finish()
    }
}

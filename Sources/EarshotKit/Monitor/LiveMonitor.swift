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
        public var playbackBufferMilliseconds = 20.0
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

    /// Opens the streams and starts the threads.
    public func start() throws {
        recording?.start()
        meter?.start()
        streams = try LivePulseStreams(connection: connection, source: options.source, sink: options.sink, engine: engine,
                                       fragmentMilliseconds: options.fragmentMilliseconds,
                                       playbackBufferMilliseconds: options.playbackBufferMilliseconds)
    }

    /// Nil while running; else what was lost (server, source, sink), as the error to report.
    public func checkAlive() -> EarshotError? { streams?.checkAlive() }

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

import Foundation

/// Which output channels carry the stimulus.
public enum OutputChannels: String, Sendable, CaseIterable {
    case both, left, right
}

/// A processing stage applied to the stimulus before it goes to the sink: `--through PROFILE`
/// (a stock profile's render chain standing in for a device), or a test's known nonlinearity.
/// Takes and returns mono samples at 48 kHz, the same count.
public protocol PlaybackTransform {
    func apply(_ samples: [Float]) throws -> [Float]
}

/// Plays a stimulus on a PulseAudio sink and records a source at the same time (libpulse:
/// `PulsePlayer`, `PulseRecorder`, 48 kHz float), or only records while the stimulus is played
/// elsewhere (a phone playing the stimulus file). Before anything is played it checks that the
/// source and sink exist and run at the same rate, and says what to change when they do not.
public final class MeasurementSession {
    public let connection: PulseConnection
    public let sink: String?
    public let source: String
    /// 0 records the source's left (or only) channel, 1 its right.
    public let inputChannel: Int
    public static let sampleRate = PulseRecorder.sampleRate

    public init(connection: PulseConnection, sink: String?, source: String, inputChannel: Int = 0) {
        self.connection = connection
        self.sink = sink
        self.source = source
        self.inputChannel = inputChannel
    }

    /// What the checks found: the two devices as the server describes them.
    public struct Devices: Sendable {
        public var sink: PulseDeviceInfo?
        public var source: PulseDeviceInfo
    }

    /// Checks the source (and, unless the stimulus is played elsewhere, the sink): that they
    /// exist and run at one rate.
    @discardableResult
    public func preflight(playsOnSink: Bool = true) throws -> Devices {
        guard let sourceInfo = try connection.sourceInfo(named: source) else {
            throw EarshotError(.environment,
                "the PulseAudio server has no source named '\(source)': plug in the measurement microphone (a USB microphone appears as a new source) and give its name to --source; list the sources with `pactl list short sources`")
        }
        guard playsOnSink else { return Devices(sink: nil, source: sourceInfo) }
        let sinkName: String
        if let sink {
            sinkName = sink
        } else if let name = try connection.defaultDeviceNames().sink {
            sinkName = name
        } else {
            throw EarshotError(.environment, "the PulseAudio server has no default sink; name one with --sink (`pactl list short sinks`)")
        }
        guard let sinkInfo = try connection.sinkInfo(named: sinkName) else {
            throw EarshotError(.environment, "the PulseAudio server has no sink named '\(sinkName)' (list them with `pactl list short sinks`)")
        }
        if sinkInfo.sampleRate != sourceInfo.sampleRate {
            throw EarshotError(.environment, Self.rateMismatchMessage(sink: sinkInfo, source: sourceInfo))
        }
        return Devices(sink: sinkInfo, source: sourceInfo)
    }

    /// Sink and source at different rates: PulseAudio would resample one side, on its own
    /// clock, and the recording would not line up with what was played.
    static func rateMismatchMessage(sink: PulseDeviceInfo, source: PulseDeviceInfo) -> String {
        let change: String
        if source.sampleRate == MeasurementSession.sampleRate {
            change = "set the sink '\(sink.name)' to \(source.sampleRate) Hz to match the source"
        } else if sink.sampleRate == MeasurementSession.sampleRate {
            change = "set the source '\(source.name)' to \(sink.sampleRate) Hz to match the sink"
        } else {
            change = "set both to 48000 Hz"
        }
        return "the sink '\(sink.name)' runs at \(sink.sampleRate) Hz but the source '\(source.name)' at \(source.sampleRate) Hz; "
            + "a measurement needs both at one rate: \(change) (in PulseAudio: `default-sample-rate = 48000` and `alternate-sample-rate = 48000` in daemon.conf, then restart it; "
            + "on PipeWire: `default.clock.rate = 48000`), or pick a sink and source that share a rate (`pactl list short sinks`, `pactl list short sources` show them)"
    }

    /// Plays `samples` (mono) on the sink's `channels` while recording; returns the recording of
    /// the input channel, from before the first sample played to after the last one.
    public func playAndRecord(_ samples: [Float], channels: OutputChannels = .both, tailSeconds: Double = 0.2) throws -> [Float] {
        let recorder = try PulseRecorder(connection: connection, source: source)
        // Record for a moment first, so the recording surely holds the first sample played.
        let warmUp = Date(timeIntervalSinceNow: 3)
        while recorder.frames < Self.sampleRate / 10 {
            if Date() > warmUp { throw EarshotError(.environment, "the source '\(source)' delivered nothing for 3 s: is the microphone connected and not suspended?") }
            usleep(10_000)
        }
        let player = try PulsePlayer(connection: connection, sink: sink, latencyMilliseconds: 100, streamName: "Earshot measurement")
        let producer = StimulusProducer(samples, channels: channels)
        try player.start(producer)
        let seconds = Double(samples.count) / Double(Self.sampleRate)
        let deadline = Date(timeIntervalSinceNow: seconds + 10)
        while try !player.waitUntilDone(timeout: 0.1) {
            if Date() > deadline {
                player.stop()
                throw EarshotError(.environment, "playback on the sink did not finish within \(Int(seconds + 10)) s")
            }
        }
        usleep(useconds_t(tailSeconds * 1e6))
        let recording = recorder.stop()
        let underflows = player.underflows
        player.stop()
        if underflows > 0 {
            throw EarshotError(.environment, "playback ran dry \(underflows) time(s) (the machine was too busy to feed the sink), so the sweep had gaps; close other programs and measure again")
        }
        return inputChannel == 0 ? recording.left : recording.right
    }

    /// The whole device measurement: checks, builds the stimulus, passes it through `transform`
    /// (if any), plays it while recording, and analyses the recording.
    public func measureDevice(plan: MeasurementPlan, transform: PlaybackTransform? = nil, channels: OutputChannels = .both,
                              settings: MeasurementAnalysisSettings = MeasurementAnalysisSettings()) throws -> DeviceMeasurement {
        try preflight()
        let stimulus = try MeasurementStimulus(plan: plan)
        let played = try transform?.apply(stimulus.samples) ?? stimulus.samples
        let recording = try playAndRecord(played, channels: channels)
        return try MeasurementAnalysis.analyse(recording: recording, stimulus: stimulus, settings: settings, source: "the source '\(source)'")
    }

    /// Records the input channel for `seconds` (the stimulus played elsewhere, or ambience).
    public func record(seconds: Double, progress: ((Double) -> Void)? = nil) throws -> [Float] {
        let recorder = try PulseRecorder(connection: connection, source: source)
        let target = Int(seconds * Double(Self.sampleRate))
        let started = Date()
        var lastReport = 0.0
        while recorder.frames < target {
            if let failure = connection.failure { throw EarshotError(.environment, "the PulseAudio server went away while recording (\(failure))") }
            let elapsed = Date().timeIntervalSince(started)
            if recorder.frames == 0 && elapsed > 3 {
                throw EarshotError(.environment, "the source '\(source)' delivered nothing for 3 s: is the microphone connected and not suspended?")
            }
            if elapsed > seconds + 10 { throw EarshotError(.environment, "the source '\(source)' delivered only \(recorder.frames) of \(target) frames in \(Int(elapsed)) s") }
            if let progress, elapsed - lastReport >= 1 { progress(elapsed); lastReport = elapsed }
            usleep(20_000)
        }
        let recording = recorder.stop()
        let channel = inputChannel == 0 ? recording.left : recording.right
        return Array(channel.prefix(target))
    }
}

/// Feeds a mono stimulus to the chosen channels of a playback stream.
final class StimulusProducer: AudioProducer {
    private let samples: [Float]
    private let channels: OutputChannels
    private var position = 0
    private let lock = NSLock()

    init(_ samples: [Float], channels: OutputChannels) {
        self.samples = samples
        self.channels = channels
    }

    func produce(into buffer: UnsafeMutablePointer<Float>, frames: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        let count = min(frames, samples.count - position)
        for i in 0..<max(count, 0) {
            let v = samples[position + i]
            buffer[2 * i] = channels == .right ? 0 : v
            buffer[2 * i + 1] = channels == .left ? 0 : v
        }
        position += max(count, 0)
        return max(count, 0)
    }
}

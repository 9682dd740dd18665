import CPulse
import Foundation

/// Something that fills a playback buffer: interleaved stereo float frames at 48 kHz.
/// Called on the audio thread (libpulse's write callback): it must not block for long.
public protocol AudioProducer: AnyObject {
    /// Writes up to `frames` frames into `buffer`; returns how many it wrote. Fewer than asked
    /// means the end: nothing more is asked for and the stream drains.
    func produce(into buffer: UnsafeMutablePointer<Float>, frames: Int) -> Int
}

/// A playback stream on a PulseAudio server (float32, stereo, 48 kHz) fed by an
/// `AudioProducer` from libpulse's write callback, with a small buffer so that what the
/// producer changes is heard quickly: the target length (`tlength`) is `latencyMilliseconds`,
/// and `PA_STREAM_ADJUST_LATENCY` asks the server to size the sink's own buffer so the total
/// stays about that (PulseAudio's documented low-latency set-up).
public final class PulsePlayer {
    public enum State: Equatable, Sendable { case connecting, playing, draining, finished, failed }

    public let connection: PulseConnection
    public let sink: String?
    public let latencyMilliseconds: Double
    public static let sampleRate = 48_000
    public static let channels = 2
    static let bytesPerFrame = 8

    /// Everything the callbacks touch. Retained for the callbacks while the stream is
    /// connected, so the mainloop thread never drops the last reference to the player.
    /// Fields marked "events" are guarded by `connection.events`; the rest are used only on the
    /// mainloop thread.
    private final class Playback {
        let stream: OpaquePointer
        let context: OpaquePointer
        let events: NSCondition
        var producer: AudioProducer?
        var state: State = .connecting               // events
        var failure: String?                          // events
        var lastRequest = DispatchTime.now().uptimeNanoseconds  // events
        var latencySamples: [Double] = []             // events
        var underflows = 0                            // events
        /// When the stream became ready, and whether the sink has started playing it.
        var readyAt = DispatchTime.now().uptimeNanoseconds  // events
        var started = false                           // events
        var producerEnded = false
        var framesWritten = 0
        var nextLatencyProbe = 0

        init(stream: OpaquePointer, context: OpaquePointer, events: NSCondition) {
            self.stream = stream
            self.context = context
            self.events = events
        }

        func setState(_ new: State, failure text: String? = nil) {
            events.lock()
            if state != .failed && state != .finished { state = new }
            if let text, failure == nil { failure = text }
            events.broadcast()
            events.unlock()
        }

        var errorText: String { String(cString: pa_strerror(pa_context_errno(context))) }

        func streamStateChanged() {
            switch pa_stream_get_state(stream) {
            case PA_STREAM_READY:
                events.lock()
                readyAt = DispatchTime.now().uptimeNanoseconds
                let connecting = state == .connecting
                events.unlock()
                if connecting { setState(.playing) }
            case PA_STREAM_FAILED, PA_STREAM_TERMINATED:
                setState(.failed, failure: errorText)
            default:
                break
            }
        }

        func writeRequested(bytes: Int) {
            events.lock()
            lastRequest = DispatchTime.now().uptimeNanoseconds
            events.unlock()
            guard !producerEnded, let producer else { return }
            var remaining = bytes - bytes % PulsePlayer.bytesPerFrame
            while remaining > 0 {
                var data: UnsafeMutableRawPointer?
                var size = remaining
                guard pa_stream_begin_write(stream, &data, &size) >= 0, let data, size >= PulsePlayer.bytesPerFrame else {
                    setState(.failed, failure: errorText)
                    return
                }
                let frames = min(size, remaining) / PulsePlayer.bytesPerFrame
                let produced = producer.produce(into: data.bindMemory(to: Float.self, capacity: frames * PulsePlayer.channels), frames: frames)
                if produced > 0 {
                    pa_stream_write(stream, data, produced * PulsePlayer.bytesPerFrame, nil, 0, PA_SEEK_RELATIVE)
                } else {
                    pa_stream_cancel_write(stream)
                }
                framesWritten += produced
                remaining -= frames * PulsePlayer.bytesPerFrame
                if produced < frames {
                    producerEnded = true
                    setState(.draining)
                    if let operation = pa_stream_drain(stream, { _, _, userdata in
                        Unmanaged<Playback>.fromOpaque(userdata!).takeUnretainedValue().setState(.finished)
                    }, Unmanaged.passUnretained(self).toOpaque()) {
                        pa_operation_unref(operation)
                    }
                    break
                }
            }
            probeLatency()
        }

        func playbackStarted() {
            events.lock()
            started = true
            lastRequest = DispatchTime.now().uptimeNanoseconds
            events.broadcast()
            events.unlock()
        }

        private func probeLatency() {
            events.lock()
            let flowing = started
            events.unlock()
            // Before the sink starts, the latency it reports is its idle block, not ours.
            guard flowing, framesWritten >= nextLatencyProbe else { return }
            nextLatencyProbe = framesWritten + PulsePlayer.sampleRate / 10
            var usec: pa_usec_t = 0
            var negative: Int32 = 0
            if pa_stream_get_latency(stream, &usec, &negative) == 0 {
                events.lock()
                latencySamples.append(negative != 0 ? 0 : Double(usec) / 1e6)
                events.unlock()
            }
        }
    }

    private let playback: Playback
    private var retainedForCallbacks = false

    /// A stream that stops asking for audio for this long once playing is treated as a dead
    /// server. (A server that dies closes its socket, which is noticed at once; this catches
    /// one that hangs.)
    public static let stallTimeoutSeconds = 1.0
    /// How long a sink may take to start playing a new stream (an idle or suspended sink, a
    /// Bluetooth device waking up) before that counts as a failure.
    public static let startTimeoutSeconds = 5.0

    public init(connection: PulseConnection, sink: String? = nil, latencyMilliseconds: Double = 25, streamName: String = "Earshot audition") throws {
        self.connection = connection
        self.sink = sink
        self.latencyMilliseconds = latencyMilliseconds
        var spec = pa_sample_spec(format: PA_SAMPLE_FLOAT32LE, rate: UInt32(Self.sampleRate), channels: UInt8(Self.channels))
        guard let stream = connection.withLock({ pa_stream_new(connection.context, streamName, &spec, nil) }) else {
            throw EarshotError(.environment, "the PulseAudio server refused a playback stream (\(connection.failure ?? "no reason given"))")
        }
        playback = Playback(stream: stream, context: connection.context, events: connection.events)
    }

    deinit {
        stop()
        connection.withLock { pa_stream_unref(playback.stream) }
    }

    /// Connects the stream and starts playing `producer`; returns once the server has accepted
    /// the stream, or throws (no such sink, server gone).
    public func start(_ producer: AudioProducer) throws {
        playback.producer = producer
        let tlength = UInt32((latencyMilliseconds / 1000 * Double(Self.sampleRate)).rounded()) * UInt32(Self.bytesPerFrame)
        var attributes = pa_buffer_attr(maxlength: UInt32.max, tlength: tlength, prebuf: UInt32.max,
                                        minreq: max(UInt32(Self.bytesPerFrame * 48), tlength / 4), fragsize: UInt32.max)
        let flags = pa_stream_flags_t(PA_STREAM_ADJUST_LATENCY.rawValue | PA_STREAM_AUTO_TIMING_UPDATE.rawValue
                                      | PA_STREAM_INTERPOLATE_TIMING.rawValue)
        let stream = playback.stream
        let result: Int32 = connection.withLock {
            let me = Unmanaged.passRetained(playback).toOpaque()
            retainedForCallbacks = true
            pa_stream_set_state_callback(stream, { _, userdata in
                Unmanaged<Playback>.fromOpaque(userdata!).takeUnretainedValue().streamStateChanged()
            }, me)
            pa_stream_set_write_callback(stream, { _, nbytes, userdata in
                Unmanaged<Playback>.fromOpaque(userdata!).takeUnretainedValue().writeRequested(bytes: nbytes)
            }, me)
            pa_stream_set_started_callback(stream, { _, userdata in
                Unmanaged<Playback>.fromOpaque(userdata!).takeUnretainedValue().playbackStarted()
            }, me)
            pa_stream_set_underflow_callback(stream, { _, userdata in
                let playback = Unmanaged<Playback>.fromOpaque(userdata!).takeUnretainedValue()
                // Running dry after the last frame is the end, not a gap.
                guard !playback.producerEnded else { return }
                playback.events.lock()
                playback.underflows += 1
                playback.events.unlock()
            }, me)
            return pa_stream_connect_playback(stream, sink, &attributes, flags, nil, nil)
        }
        if result < 0 { throw streamError(reason: connection.withLock { playback.errorText }) }
        let events = connection.events
        events.lock()
        let deadline = Date(timeIntervalSinceNow: PulseConnection.connectTimeoutSeconds)
        while playback.state == .connecting && playback.failure == nil && connection.failureLocked == nil {
            if !events.wait(until: deadline) { break }
        }
        let reason = playback.failure ?? connection.failureLocked
        let connected = playback.state != .connecting
        events.unlock()
        if let reason { throw streamError(reason: reason) }
        if !connected { throw EarshotError(.environment, "the PulseAudio server did not open the playback stream within \(Int(PulseConnection.connectTimeoutSeconds)) s") }
    }

    private func streamError(reason: String) -> EarshotError {
        if let gone = connection.failure {
            return EarshotError(.environment, "the PulseAudio server went away before playback started (\(gone))")
        }
        if let sink, reason.lowercased().contains("no such entity") {
            return EarshotError(.environment, "the PulseAudio server has no sink named '\(sink)' (list them with `pactl list short sinks`)")
        }
        return EarshotError(.environment, "PulseAudio playback failed: \(reason)")
    }

    /// Waits up to `timeout` seconds for the end of playback. Returns true once everything has
    /// been played, false on timeout; throws when the server fails or stops asking for audio.
    public func waitUntilDone(timeout: Double) throws -> Bool {
        let events = connection.events
        events.lock()
        defer { events.unlock() }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while true {
            if let reason = playback.failure ?? connection.failureLocked {
                throw EarshotError(.environment, "the PulseAudio server went away during playback (\(reason)); playback stopped")
            }
            let state = playback.state
            if state == .finished { return true }
            let now = DispatchTime.now().uptimeNanoseconds
            if (state == .playing || state == .draining) && playback.started {
                let silentFor = Double(now &- playback.lastRequest) / 1e9
                if silentFor > Self.stallTimeoutSeconds + (state == .draining ? latencyMilliseconds / 1000 + 1 : 0) {
                    throw EarshotError(.environment, String(format: "the PulseAudio server stopped taking audio for %.1f s; playback stopped", silentFor))
                }
            } else if state == .playing || state == .draining {
                let waited = Double(now &- playback.readyAt) / 1e9
                if waited > Self.startTimeoutSeconds {
                    throw EarshotError(.environment, String(format: "the PulseAudio sink%@ did not start playing within %.0f s", sink.map { " '\($0)'" } ?? "", waited))
                }
            }
            let step = min(deadline.timeIntervalSinceNow, 0.1)
            if step <= 0 { return false }
            _ = events.wait(until: Date(timeIntervalSinceNow: step))
        }
    }

    /// Disconnects the stream at once (idempotent).
    public func stop() {
        connection.withLock {
            let stream = playback.stream
            pa_stream_set_write_callback(stream, nil, nil)
            pa_stream_set_state_callback(stream, nil, nil)
            pa_stream_set_underflow_callback(stream, nil, nil)
            pa_stream_set_started_callback(stream, nil, nil)
            let s = pa_stream_get_state(stream)
            if s == PA_STREAM_READY || s == PA_STREAM_CREATING { pa_stream_disconnect(stream) }
            if retainedForCallbacks {
                retainedForCallbacks = false
                Unmanaged.passUnretained(playback).release()
            }
        }
    }

    public var currentState: State {
        connection.events.lock()
        defer { connection.events.unlock() }
        return playback.state
    }

    /// Underruns the server reported before the end (the stream ran dry: a gap was heard).
    public var underflows: Int {
        connection.events.lock()
        defer { connection.events.unlock() }
        return playback.underflows
    }

    /// The stream's latency as the server reports it (buffered audio plus the sink's own
    /// latency), sampled every 100 ms of audio: the time from a frame being produced to it
    /// being heard. Nil before the first timing update.
    public var measuredLatencySeconds: (median: Double, max: Double)? {
        connection.events.lock()
        defer { connection.events.unlock() }
        guard !playback.latencySamples.isEmpty else { return nil }
        let sorted = playback.latencySamples.sorted()
        return (sorted[sorted.count / 2], sorted.last!)
    }
}

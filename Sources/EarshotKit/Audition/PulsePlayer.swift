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

    private let stream: OpaquePointer
    private var producer: AudioProducer?
    // Guarded by connection.events:
    private var state: State = .connecting
    private var failureText: String?
    private var lastRequest = DispatchTime.now().uptimeNanoseconds
    private var latencySamples: [Double] = []
    private var underflowCount = 0
    // Touched only on the mainloop thread:
    private var producerEnded = false
    private var framesWrittenCount = 0
    private var nextLatencyProbe = 0

    /// A stream that stops asking for audio for this long while playing is treated as a dead server.
    public static let stallTimeoutSeconds = 1.0

    public init(connection: PulseConnection, sink: String? = nil, latencyMilliseconds: Double = 25, streamName: String = "Earshot audition") throws {
        self.connection = connection
        self.sink = sink
        self.latencyMilliseconds = latencyMilliseconds
        var spec = pa_sample_spec(format: PA_SAMPLE_FLOAT32LE, rate: UInt32(Self.sampleRate), channels: UInt8(Self.channels))
        guard let stream = connection.withLock({ pa_stream_new(connection.context, streamName, &spec, nil) }) else {
            throw EarshotError(.environment, "the PulseAudio server refused a playback stream (\(connection.failure ?? "no reason given"))")
        }
        self.stream = stream
    }

    deinit {
        stop()
        connection.withLock { pa_stream_unref(stream) }
    }

    /// Connects the stream and starts playing `producer`; returns once the server has accepted
    /// the stream, or throws (no such sink, server gone).
    public func start(_ producer: AudioProducer) throws {
        self.producer = producer
        let me = Unmanaged.passUnretained(self).toOpaque()
        let tlength = UInt32((latencyMilliseconds / 1000 * Double(Self.sampleRate)).rounded()) * UInt32(Self.bytesPerFrame)
        var attributes = pa_buffer_attr(maxlength: UInt32.max, tlength: tlength, prebuf: UInt32.max,
                                        minreq: max(UInt32(Self.bytesPerFrame * 48), tlength / 4), fragsize: UInt32.max)
        let flags = pa_stream_flags_t(PA_STREAM_ADJUST_LATENCY.rawValue | PA_STREAM_AUTO_TIMING_UPDATE.rawValue
                                      | PA_STREAM_INTERPOLATE_TIMING.rawValue)
        let result: Int32 = connection.withLock {
            pa_stream_set_state_callback(stream, { _, userdata in
                Unmanaged<PulsePlayer>.fromOpaque(userdata!).takeUnretainedValue().streamStateChanged()
            }, me)
            pa_stream_set_write_callback(stream, { _, nbytes, userdata in
                Unmanaged<PulsePlayer>.fromOpaque(userdata!).takeUnretainedValue().writeRequested(bytes: nbytes)
            }, me)
            pa_stream_set_underflow_callback(stream, { _, userdata in
                let player = Unmanaged<PulsePlayer>.fromOpaque(userdata!).takeUnretainedValue()
                player.connection.events.lock()
                player.underflowCount += 1
                player.connection.events.unlock()
            }, me)
            return pa_stream_connect_playback(stream, sink, &attributes, flags, nil, nil)
        }
        if result < 0 {
            throw streamError(reason: connection.withLock { String(cString: pa_strerror(pa_context_errno(connection.context))) })
        }
        let events = connection.events
        events.lock()
        let deadline = Date(timeIntervalSinceNow: PulseConnection.connectTimeoutSeconds)
        while state == .connecting && failureText == nil && connectionFailure() == nil {
            if !events.wait(until: deadline) { break }
        }
        let reason = failureText ?? connectionFailure()
        let connected = state != .connecting
        events.unlock()
        if let reason { throw streamError(reason: reason) }
        if !connected { throw EarshotError(.environment, "the PulseAudio server did not open the playback stream within \(Int(PulseConnection.connectTimeoutSeconds)) s") }
    }

    private func connectionFailure() -> String? {
        // Called with events locked; the connection keeps its failure under the same condition.
        connection.failureLocked
    }

    private func streamError(reason: String) -> EarshotError {
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
            if let reason = failureText ?? connectionFailure() {
                throw EarshotError(.environment, "the PulseAudio server went away during playback (\(reason)); playback stopped")
            }
            if state == .finished { return true }
            if state == .playing || state == .draining {
                let silentFor = Double(DispatchTime.now().uptimeNanoseconds &- lastRequest) / 1e9
                if silentFor > Self.stallTimeoutSeconds + (state == .draining ? latencyMilliseconds / 1000 + 1 : 0) {
                    throw EarshotError(.environment, String(format: "the PulseAudio server stopped taking audio for %.1f s; playback stopped", silentFor))
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
            pa_stream_set_write_callback(stream, nil, nil)
            pa_stream_set_state_callback(stream, nil, nil)
            pa_stream_set_underflow_callback(stream, nil, nil)
            let s = pa_stream_get_state(stream)
            if s == PA_STREAM_READY || s == PA_STREAM_CREATING { pa_stream_disconnect(stream) }
        }
    }

    public var currentState: State {
        connection.events.lock()
        defer { connection.events.unlock() }
        return state
    }

    /// Underruns the server reported (the stream ran dry: a gap was heard).
    public var underflows: Int {
        connection.events.lock()
        defer { connection.events.unlock() }
        return underflowCount
    }

    /// The stream's latency as the server reports it (buffered audio plus the sink's own
    /// latency), sampled every 100 ms during playback: the time from a frame being produced to
    /// it being heard. Nil before the first timing update.
    public var measuredLatencySeconds: (median: Double, max: Double)? {
        connection.events.lock()
        defer { connection.events.unlock() }
        guard !latencySamples.isEmpty else { return nil }
        let sorted = latencySamples.sorted()
        return (sorted[sorted.count / 2], sorted.last!)
    }

    // MARK: - Callbacks (mainloop thread, mainloop lock held)

    private func setState(_ new: State, failure: String? = nil) {
        connection.events.lock()
        if state != .failed && state != .finished { state = new }
        if let failure, failureText == nil { failureText = failure }
        connection.events.broadcast()
        connection.events.unlock()
    }

    private func streamStateChanged() {
        switch pa_stream_get_state(stream) {
        case PA_STREAM_READY:
            connection.events.lock()
            lastRequest = DispatchTime.now().uptimeNanoseconds
            connection.events.unlock()
            if currentStateUnlocked == .connecting { setState(.playing) }
        case PA_STREAM_FAILED, PA_STREAM_TERMINATED:
            setState(.failed, failure: String(cString: pa_strerror(pa_context_errno(connection.context))))
        default:
            break
        }
    }

    private var currentStateUnlocked: State {
        connection.events.lock()
        defer { connection.events.unlock() }
        return state
    }

    private func writeRequested(bytes: Int) {
        connection.events.lock()
        lastRequest = DispatchTime.now().uptimeNanoseconds
        connection.events.unlock()
        guard !producerEnded, let producer else { return }
        var remaining = bytes - bytes % Self.bytesPerFrame
        while remaining > 0 {
            var data: UnsafeMutableRawPointer?
            var size = remaining
            guard pa_stream_begin_write(stream, &data, &size) >= 0, let data, size >= Self.bytesPerFrame else {
                setState(.failed, failure: String(cString: pa_strerror(pa_context_errno(connection.context))))
                return
            }
            let frames = min(size, remaining) / Self.bytesPerFrame
            let produced = producer.produce(into: data.bindMemory(to: Float.self, capacity: frames * Self.channels), frames: frames)
            if produced > 0 {
                pa_stream_write(stream, data, produced * Self.bytesPerFrame, nil, 0, PA_SEEK_RELATIVE)
            } else {
                pa_stream_cancel_write(stream)
            }
            framesWrittenCount += produced
            remaining -= frames * Self.bytesPerFrame
            if produced < frames {
                producerEnded = true
                setState(.draining)
                let me = Unmanaged.passUnretained(self).toOpaque()
                if let operation = pa_stream_drain(stream, { _, _, userdata in
                    Unmanaged<PulsePlayer>.fromOpaque(userdata!).takeUnretainedValue().setState(.finished)
                }, me) {
                    pa_operation_unref(operation)
                }
                break
            }
        }
        probeLatency()
    }

    private func probeLatency() {
        guard framesWrittenCount >= nextLatencyProbe else { return }
        nextLatencyProbe = framesWrittenCount + Self.sampleRate / 10
        var usec: pa_usec_t = 0
        var negative: Int32 = 0
        if pa_stream_get_latency(stream, &usec, &negative) == 0 {
            connection.events.lock()
            latencySamples.append(negative != 0 ? 0 : Double(usec) / 1e6)
            connection.events.unlock()
        }
    }
}

import CPulse
import Foundation

/// A record stream on a PulseAudio source (float32, stereo, 48 kHz), kept in memory: used to
/// capture what a sink plays from its monitor source (`SINK.monitor`), for tests of playback
/// and for in-room measurement. Holes in the stream (data the server dropped) are kept as
/// silence, so frame k of the recording is always k frames after the first.
final class PulseRecorder {
    public let connection: PulseConnection
    public let source: String
    public static let sampleRate = PulsePlayer.sampleRate
    public static let channels = 2

    /// When a recorded frame reached the source: `frame` was captured at about
    /// `uptimeNanoseconds` (the callback's clock minus the stream's reported latency).
    public struct CaptureTime: Sendable {
        public var frame: Int
        public var uptimeNanoseconds: UInt64
    }

    /// What the read callback fills; retained for the callbacks until `stop()`, so the
    /// mainloop thread never drops the last reference to the recorder.
    private final class Capture {
        let stream: OpaquePointer
        let events: NSCondition
        let storage = NSLock()
        var samples: [Float] = []
        var captureTimes: [CaptureTime] = []

        init(stream: OpaquePointer, events: NSCondition) {
            self.stream = stream
            self.events = events
        }

        // Mainloop thread.
        func readAvailable() {
            while true {
                var data: UnsafeRawPointer?
                var size = 0
                guard pa_stream_peek(stream, &data, &size) == 0, size > 0 else { return }
                storage.lock()
                if let data {
                    let floats = data.bindMemory(to: Float.self, capacity: size / 4)
                    samples.append(contentsOf: UnsafeBufferPointer(start: floats, count: size / 4))
                } else {
                    samples.append(contentsOf: repeatElement(0, count: size / 4))
                }
                storage.unlock()
                pa_stream_drop(stream)
                var usec: pa_usec_t = 0
                var negative: Int32 = 0
                let latency = pa_stream_get_latency(stream, &usec, &negative) == 0 && negative == 0 ? usec * 1000 : 0
                storage.lock()
                captureTimes.append(CaptureTime(frame: samples.count / PulseRecorder.channels - 1,
                                                uptimeNanoseconds: DispatchTime.now().uptimeNanoseconds &- latency))
                storage.unlock()
            }
        }
    }

    private let capture: Capture
    private var retainedForCallbacks = false

    /// Opens the record stream and waits until the server delivers to it.
    public init(connection: PulseConnection, source: String, fragmentMilliseconds: Double = 10) throws {
        self.connection = connection
        self.source = source
        var spec = pa_sample_spec(format: PA_SAMPLE_FLOAT32LE, rate: UInt32(Self.sampleRate), channels: UInt8(Self.channels))
        guard let stream = connection.withLock({ pa_stream_new(connection.context, "Earshot recorder", &spec, nil) }) else {
            throw EarshotError(.environment, "the PulseAudio server refused a record stream (\(connection.failure ?? "no reason given"))")
        }
        capture = Capture(stream: stream, events: connection.events)
        let fragment = UInt32((fragmentMilliseconds / 1000 * Double(Self.sampleRate)).rounded()) * UInt32(PulsePlayer.bytesPerFrame)
        var attributes = pa_buffer_attr(maxlength: UInt32.max, tlength: UInt32.max, prebuf: UInt32.max, minreq: UInt32.max, fragsize: fragment)
        let flags = pa_stream_flags_t(PA_STREAM_ADJUST_LATENCY.rawValue | PA_STREAM_AUTO_TIMING_UPDATE.rawValue
                                      | PA_STREAM_INTERPOLATE_TIMING.rawValue)
        let result: Int32 = connection.withLock {
            let me = Unmanaged.passRetained(capture).toOpaque()
            retainedForCallbacks = true
            pa_stream_set_state_callback(stream, { _, userdata in
                let capture = Unmanaged<Capture>.fromOpaque(userdata!).takeUnretainedValue()
                capture.events.lock()
                capture.events.broadcast()
                capture.events.unlock()
            }, me)
            pa_stream_set_read_callback(stream, { _, _, userdata in
                Unmanaged<Capture>.fromOpaque(userdata!).takeUnretainedValue().readAvailable()
            }, me)
            return pa_stream_connect_record(stream, source, &attributes, flags)
        }
        if result < 0 { throw recordError(connection.withLock { String(cString: pa_strerror(pa_context_errno(connection.context))) }) }
        let deadline = Date(timeIntervalSinceNow: PulseConnection.connectTimeoutSeconds)
        while true {
            let state = connection.withLock { pa_stream_get_state(stream) }
            if state == PA_STREAM_READY { break }
            if state == PA_STREAM_FAILED || state == PA_STREAM_TERMINATED || connection.failure != nil {
                throw recordError(connection.failure ?? connection.withLock { String(cString: pa_strerror(pa_context_errno(connection.context))) })
            }
            if Date() > deadline { throw EarshotError(.environment, "the PulseAudio server did not open the record stream on '\(source)'") }
            connection.events.lock()
            _ = connection.events.wait(until: Date(timeIntervalSinceNow: 0.05))
            connection.events.unlock()
        }
    }

    deinit {
        stop()
        connection.withLock { pa_stream_unref(capture.stream) }
    }

    private func recordError(_ reason: String) -> EarshotError {
        if reason.lowercased().contains("no such entity") {
            return EarshotError(.environment, "the PulseAudio server has no source named '\(source)' (list them with `pactl list short sources`)")
        }
        return EarshotError(.environment, "PulseAudio recording from '\(source)' failed: \(reason)")
    }

    /// Frames recorded so far.
    public var frames: Int {
        capture.storage.lock()
        defer { capture.storage.unlock() }
        return capture.samples.count / Self.channels
    }

    /// Stops recording (idempotent) and returns the recording as planar stereo.
    @discardableResult
    public func stop() -> StereoBlock {
        connection.withLock {
            let stream = capture.stream
            pa_stream_set_read_callback(stream, nil, nil)
            pa_stream_set_state_callback(stream, nil, nil)
            if pa_stream_get_state(stream) == PA_STREAM_READY { pa_stream_disconnect(stream) }
            if retainedForCallbacks {
                retainedForCallbacks = false
                Unmanaged.passUnretained(capture).release()
            }
        }
        return recording
    }

    /// What has been recorded so far, as planar stereo.
    public var recording: StereoBlock {
        capture.storage.lock()
        defer { capture.storage.unlock() }
        let samples = capture.samples
        let n = samples.count / 2
        var block = StereoBlock(frames: n)
        for i in 0..<n {
            block.left[i] = samples[2 * i]
            block.right[i] = samples[2 * i + 1]
        }
        return block
    }

    /// When recorded frames were captured (one entry per read callback).
    public var captureTimeline: [CaptureTime] {
        capture.storage.lock()
        defer { capture.storage.unlock() }
        return capture.captureTimes
    }

    /// Estimated capture time of `frame`, from the nearest timeline entry at or after it.
    public func captureUptimeNanoseconds(ofFrame frame: Int) -> UInt64? {
        let timeline = captureTimeline
        guard let entry = timeline.first(where: { $0.frame >= frame }) ?? timeline.last else { return nil }
        let offset = Int64(Double(entry.frame - frame) / Double(Self.sampleRate) * 1e9)
        return UInt64(Int64(entry.uptimeNanoseconds) - offset)
    }
}

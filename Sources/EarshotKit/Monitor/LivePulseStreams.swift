import CPulse
import Foundation
import Synchronization

/// The live monitor's audio I/O (ARCHITECTURE.md section 10): a record stream on the source
/// (float32, 48 kHz, the source's channel count; the server resamples a source at another
/// rate) and a playback stream on the sink (float32 stereo 48 kHz), on one `PulseConnection`.
///
/// The record stream's read callback, on libpulse's mainloop thread, is the audio thread: each
/// fragment the source delivers is processed at once by the `MonitorEngine` straight into the
/// playback stream's own buffer (`pa_stream_begin_write`), so the only buffering is the record
/// fragment and the playback buffer the server keeps ahead of the sink. The callbacks never
/// allocate or take a lock of ours: what they report (underruns, holes, the last delivery, a
/// failed stream) goes through atomics; the failure text is set once, when a stream dies.
public final class LivePulseStreams {
    public let connection: PulseConnection
    public let source: String
    public let sink: String?
    public let engine: MonitorEngine
    public let fragmentMilliseconds: Double
    public let playbackBufferMilliseconds: Double

    /// What ended the monitor.
    public enum Loss: Int, Sendable { case none = 0, server, source, sink }

    /// Everything the callbacks touch; retained for them while the streams are connected.
    private final class Link: @unchecked Sendable {
        let record: OpaquePointer
        let playback: OpaquePointer
        let context: OpaquePointer
        let engine: MonitorEngine
        let channels: Int
        let lastDelivery = Atomic<UInt64>(0)
        /// The streams' latencies as last read on the audio thread (µs; −1 before the first
        /// timing update), so no other thread takes the mainloop lock while monitoring: a
        /// thread of ordinary priority holding it could delay the audio thread.
        let captureLatencyMicroseconds = Atomic<Int>(-1)
        let playbackLatencyMicroseconds = Atomic<Int>(-1)
        /// Set by `flushPlayback()`, done by the audio thread.
        let flushRequested = Atomic<Bool>(false)
        var framesSinceLatencyRead = 0
        /// 1: the audio thread runs SCHED_FIFO; −1: the system refused; 0: not tried yet.
        let realtime = Atomic<Int>(0)
        let playbackReady = Atomic<Bool>(false)
        let recordReady = Atomic<Bool>(false)
        let loss = Atomic<Int>(0)
        let lossText = NSLock()
        var lossReason: String?
        let silence: UnsafeMutablePointer<Float>
        let scratch: UnsafeMutablePointer<Float>
        static let pieceFrames = 1024

        init(record: OpaquePointer, playback: OpaquePointer, context: OpaquePointer, engine: MonitorEngine) {
            self.record = record
            self.playback = playback
            self.context = context
            self.engine = engine
            channels = engine.inputChannels
            silence = .allocate(capacity: Self.pieceFrames * channels)
            silence.initialize(repeating: 0, count: Self.pieceFrames * channels)
            scratch = .allocate(capacity: Self.pieceFrames * 2)
            scratch.initialize(repeating: 0, count: Self.pieceFrames * 2)
        }

        deinit {
            silence.deallocate()
            scratch.deallocate()
        }

        func lose(_ what: Loss, _ reason: String) {
            lossText.lock()
            if lossReason == nil { lossReason = reason }
            lossText.unlock()
            _ = loss.compareExchange(expected: 0, desired: what.rawValue, ordering: .acquiringAndReleasing)
        }

        /// Mainloop thread: process everything the source has delivered.
        func readAvailable() {
            if realtime.load(ordering: .relaxed) == 0 { raisePriority() }
            lastDelivery.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
            let frameBytes = 4 * channels
            while true {
                var data: UnsafeRawPointer?
                var size = 0
                guard pa_stream_peek(record, &data, &size) == 0, size > 0 else { break }
                let frames = size / frameBytes
                if data == nil { engine.statistics.overruns.add(1, ordering: .relaxed) }
                var done = 0
                while done < frames {
                    let n = min(Self.pieceFrames, frames - done)
                    let input = data.map { $0.assumingMemoryBound(to: Float.self) + done * channels } ?? UnsafePointer(silence)
                    play(input, n)
                    done += n
                }
                pa_stream_drop(record)
                framesSinceLatencyRead += frames
            }
            if framesSinceLatencyRead >= 2400 {
                framesSinceLatencyRead = 0
                readLatencies()
            }
        }

        /// pa_stream_get_latency interpolates from the last timing update: no I/O.
        private func readLatencies() {
            var usec: pa_usec_t = 0
            var negative: Int32 = 0
            if pa_stream_get_latency(record, &usec, &negative) == 0 {
                captureLatencyMicroseconds.store(negative != 0 ? 0 : Int(usec), ordering: .relaxed)
            }
            if pa_stream_get_latency(playback, &usec, &negative) == 0 {
                playbackLatencyMicroseconds.store(negative != 0 ? 0 : Int(usec), ordering: .relaxed)
            }
        }

        /// Once, on the audio thread: real-time scheduling (SCHED_FIFO, priority
        /// `LivePulseStreams.realtimePriority`, above PulseAudio's own 5), so that other
        /// processes keeping every core busy do not delay the monitor; refused without
        /// CAP_SYS_NICE or an RLIMIT_RTPRIO allowance, and then the thread keeps its priority.
        private func raisePriority() {
            var parameters = sched_param()
            parameters.sched_priority = LivePulseStreams.realtimePriority
            let ok = pthread_setschedparam(pthread_self(), SCHED_FIFO, &parameters) == 0
            realtime.store(ok ? 1 : -1, ordering: .relaxed)
        }

        private func play(_ input: UnsafePointer<Float>, _ n: Int) {
            let bytes = 8 * n
            if flushRequested.load(ordering: .relaxed) {
                flushRequested.store(false, ordering: .relaxed)
                if let operation = pa_stream_flush(playback, nil, nil) { pa_operation_unref(operation) }
            }
            guard playbackReady.load(ordering: .relaxed) else {
                // Until the sink takes audio, keep the filters running on what arrives.
                engine.process(input, frames: n, into: scratch)
                return
            }
            var buffer: UnsafeMutableRawPointer?
            var size = bytes
            if pa_stream_begin_write(playback, &buffer, &size) == 0, let buffer, size >= bytes {
                engine.process(input, frames: n, into: buffer.assumingMemoryBound(to: Float.self))
                if pa_stream_write(playback, buffer, bytes, nil, 0, PA_SEEK_RELATIVE) < 0 {
                    engine.statistics.overruns.add(1, ordering: .relaxed)
                }
            } else {
                if buffer != nil { pa_stream_cancel_write(playback) }
                engine.process(input, frames: n, into: scratch)
                if pa_stream_write(playback, scratch, bytes, nil, 0, PA_SEEK_RELATIVE) < 0 {
                    engine.statistics.overruns.add(1, ordering: .relaxed)
                }
            }
        }

        var errorText: String { String(cString: pa_strerror(pa_context_errno(context))) }

        /// A stream's state callback: ready, or lost (the playback stream is the sink's, the
        /// record stream the source's).
        func stateChanged(_ stream: OpaquePointer, isPlayback: Bool) {
            switch pa_stream_get_state(stream) {
            case PA_STREAM_READY:
                if isPlayback { playbackReady.store(true, ordering: .releasing) } else { recordReady.store(true, ordering: .releasing) }
            case PA_STREAM_FAILED, PA_STREAM_TERMINATED: lose(isPlayback ? .sink : .source, errorText)
            default: break
            }
        }
    }

    private let link: Link
    private var retained = false

    /// The audio thread's SCHED_FIFO priority when the system allows it.
    public static let realtimePriority: Int32 = 6

    /// Whether the audio thread got real-time scheduling (nil before the first capture).
    public var realtimeScheduling: Bool? {
        switch link.realtime.load(ordering: .relaxed) {
        case 1: return true
        case -1: return false
        default: return nil
        }
    }

    /// An underflow counts as an underrun only while the source is delivering: a source that
    /// stops (the DAW stopped, the sink suspended) leaves the sink nothing to play, which is
    /// not a dropout.
    public static let deliveringWithinSeconds = 0.1

    /// Opens both streams; returns once both run, or throws naming the source or sink.
    /// `channelMap`: the record stream's channel positions (libpulse's printed form;
    /// `MonitorLayout.recordChannelMap`), nil for libpulse's default.
    public init(connection: PulseConnection, source: String, sink: String?, engine: MonitorEngine, channelMap: String? = nil,
                fragmentMilliseconds: Double = 5, playbackBufferMilliseconds: Double = 35) throws {
        self.connection = connection
        self.source = source
        self.sink = sink
        self.engine = engine
        self.fragmentMilliseconds = fragmentMilliseconds
        self.playbackBufferMilliseconds = playbackBufferMilliseconds
        let rate = UInt32(AudioSource.processingRate)
        var recordSpec = pa_sample_spec(format: PA_SAMPLE_FLOAT32LE, rate: rate, channels: UInt8(engine.inputChannels))
        var playSpec = pa_sample_spec(format: PA_SAMPLE_FLOAT32LE, rate: rate, channels: 2)
        var map = pa_channel_map()
        let mapped = channelMap.map { pa_channel_map_parse(&map, $0) != nil && Int(map.channels) == engine.inputChannels } ?? false
        let streams: (OpaquePointer, OpaquePointer)? = connection.withLock {
            guard let r = mapped ? pa_stream_new(connection.context, "Earshot monitor capture", &recordSpec, &map)
                                 : pa_stream_new(connection.context, "Earshot monitor capture", &recordSpec, nil) else { return nil }
            guard let p = pa_stream_new(connection.context, "Earshot monitor", &playSpec, nil) else { pa_stream_unref(r); return nil }
            return (r, p)
        }
        guard let (record, playback) = streams else {
            throw EarshotError(.environment, "the PulseAudio server refused the monitor's streams (\(connection.failure ?? "no reason given"))")
        }
        link = Link(record: record, playback: playback, context: connection.context, engine: engine)
        try connect()
    }

    deinit {
        stop()
        connection.withLock {
            pa_stream_unref(link.record)
            pa_stream_unref(link.playback)
        }
    }

    private func connect() throws {
        let frameBytes = UInt32(4 * engine.inputChannels)
        let rate = Double(AudioSource.processingRate)
        let fragment = UInt32((fragmentMilliseconds / 1000 * rate).rounded()) * frameBytes
        var recordAttributes = pa_buffer_attr(maxlength: UInt32.max, tlength: UInt32.max, prebuf: UInt32.max, minreq: UInt32.max, fragsize: fragment)
        let playFrames = UInt32((playbackBufferMilliseconds / 1000 * rate).rounded())
        // Start playing once the buffer is full; the server keeps the sink's own latency
        // near the target (PA_STREAM_ADJUST_LATENCY).
        var playAttributes = pa_buffer_attr(maxlength: UInt32.max, tlength: playFrames * 8, prebuf: playFrames * 8,
                                            minreq: UInt32(fragmentMilliseconds / 1000 * rate) * 8, fragsize: UInt32.max)
        let flags = pa_stream_flags_t(PA_STREAM_ADJUST_LATENCY.rawValue | PA_STREAM_AUTO_TIMING_UPDATE.rawValue | PA_STREAM_INTERPOLATE_TIMING.rawValue)
        let link = self.link
        let (recordResult, playResult): (Int32, Int32) = connection.withLock {
            let me = Unmanaged.passRetained(link).toOpaque()
            retained = true
            pa_stream_set_state_callback(link.playback, { stream, userdata in
                Unmanaged<Link>.fromOpaque(userdata!).takeUnretainedValue().stateChanged(stream!, isPlayback: true)
            }, me)
            pa_stream_set_state_callback(link.record, { stream, userdata in
                Unmanaged<Link>.fromOpaque(userdata!).takeUnretainedValue().stateChanged(stream!, isPlayback: false)
            }, me)
            pa_stream_set_underflow_callback(link.playback, { _, userdata in
                let link = Unmanaged<Link>.fromOpaque(userdata!).takeUnretainedValue()
                let since = DispatchTime.now().uptimeNanoseconds &- link.lastDelivery.load(ordering: .relaxed)
                if Double(since) / 1e9 < LivePulseStreams.deliveringWithinSeconds {
                    link.engine.statistics.underruns.add(1, ordering: .relaxed)
                }
            }, me)
            pa_stream_set_overflow_callback(link.playback, { _, userdata in
                Unmanaged<Link>.fromOpaque(userdata!).takeUnretainedValue().engine.statistics.overruns.add(1, ordering: .relaxed)
            }, me)
            pa_stream_set_read_callback(link.record, { _, _, userdata in
                Unmanaged<Link>.fromOpaque(userdata!).takeUnretainedValue().readAvailable()
            }, me)
            let p = pa_stream_connect_playback(link.playback, sink, &playAttributes, flags, nil, nil)
            let r = pa_stream_connect_record(link.record, source, &recordAttributes, flags)
            return (r, p)
        }
        if playResult < 0 || recordResult < 0 { throw failure(connection.withLock { link.errorText }) }
        let deadline = Date(timeIntervalSinceNow: PulseConnection.connectTimeoutSeconds)
        while !(link.playbackReady.load(ordering: .acquiring) && link.recordReady.load(ordering: .acquiring)) {
            if link.loss.load(ordering: .acquiring) != 0 || connection.failure != nil { throw failure(lossReason ?? connection.failure ?? "") }
            if Date() > deadline { throw EarshotError(.environment, "the PulseAudio server did not open the monitor's streams within \(Int(PulseConnection.connectTimeoutSeconds)) s") }
            usleep(5_000)
        }
        link.lastDelivery.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
    }

    private var lossReason: String? {
        link.lossText.lock(); defer { link.lossText.unlock() }
        return link.lossReason
    }

    private func failure(_ reason: String) -> EarshotError {
        if let gone = connection.failure { return EarshotError(.environment, "the PulseAudio server went away (\(gone))") }
        if reason.lowercased().contains("no such entity") {
            let what = Loss(rawValue: link.loss.load(ordering: .acquiring)) == .sink ? "sink" : "source"
            let name = what == "sink" ? sink ?? "(default)" : source
            return EarshotError(.environment, "the PulseAudio server has no \(what) named '\(name)' (list them with `pactl list short \(what)s`)")
        }
        return EarshotError(.environment, "PulseAudio monitoring from '\(source)' failed: \(reason)")
    }

    /// Nil while everything runs; else what was lost, as the message to print.
    public func checkAlive() -> EarshotError? {
        if let gone = connection.failure {
            return EarshotError(.environment, "the PulseAudio server went away (\(gone)); the monitor stopped")
        }
        switch Loss(rawValue: link.loss.load(ordering: .acquiring)) ?? .none {
        case .source: return EarshotError(.environment, "lost the source '\(source)' (\(lossReason ?? "stream ended")); the monitor stopped")
        case .sink: return EarshotError(.environment, "lost the sink '\(sink ?? "default")' (\(lossReason ?? "stream ended")); the monitor stopped")
        default: break
        }
        return nil
    }

    /// The streams' latencies as the server reports them: capture (source to our callback) and
    /// playback (our write to the sink's output); nil before the first timing update.
    public var streamLatencySeconds: (capture: Double, playback: Double)? {
        let capture = link.captureLatencyMicroseconds.load(ordering: .relaxed), playback = link.playbackLatencyMicroseconds.load(ordering: .relaxed)
        guard capture >= 0, playback >= 0 else { return nil }
        return (Double(capture) / 1e6, Double(playback) / 1e6)
    }

    /// Whether the source delivered within the last 50 ms.
    public var isDelivering: Bool {
        Double(DispatchTime.now().uptimeNanoseconds &- link.lastDelivery.load(ordering: .relaxed)) / 1e9 < 0.05
    }

    /// Drops what the playback stream holds beyond its target (the sink refills from the next
    /// capture): used when audio has piled up — an idle sink waking in its long idle blocks, or
    /// a sink whose clock runs slower than the source's.
    public func flushPlayback() {
        link.flushRequested.store(true, ordering: .relaxed)
    }

    /// Waits for the streams to settle after opening: the source delivering and the playback
    /// buffer near its target for `steadySeconds` (an idle sink wakes up in its long idle blocks and lets
    /// audio pile up meanwhile: flushed once when it has not come down within
    /// `flushAfterSeconds`). Underruns and overruns of this warm-up are not counted. Returns
    /// the seconds it took (at most `timeoutSeconds`, e.g. when the source is silent).
    @discardableResult
    public func settle(timeoutSeconds: Double = 6, flushAfterSeconds: Double = 0.5, steadySeconds: Double = 1) throws -> Double {
        let started = Date()
        let target = playbackBufferMilliseconds / 1000 + 0.015
        var goodSince: Date?
        var highSince: Date?
        while Date().timeIntervalSince(started) < timeoutSeconds {
            if let error = checkAlive() { throw error }
            let latency = streamLatencySeconds?.playback ?? .infinity
            if isDelivering && latency < target {
                goodSince = goodSince ?? Date()
                if Date().timeIntervalSince(goodSince!) >= steadySeconds { break }
            } else {
                goodSince = nil
            }
            if isDelivering && latency >= target {
                highSince = highSince ?? Date()
                if Date().timeIntervalSince(highSince!) > flushAfterSeconds { flushPlayback(); highSince = nil }
            } else {
                highSince = nil
            }
            usleep(20_000)
        }
        engine.statistics.underruns.store(0, ordering: .relaxed)
        engine.statistics.overruns.store(0, ordering: .relaxed)
        return Date().timeIntervalSince(started)
    }

    /// Disconnects both streams (idempotent).
    public func stop() {
        connection.withLock {
            for stream in [link.record, link.playback] {
                pa_stream_set_state_callback(stream, nil, nil)
                pa_stream_set_read_callback(stream, nil, nil)
                pa_stream_set_underflow_callback(stream, nil, nil)
                pa_stream_set_overflow_callback(stream, nil, nil)
                let s = pa_stream_get_state(stream)
                if s == PA_STREAM_READY || s == PA_STREAM_CREATING { pa_stream_disconnect(stream) }
            }
            if retained {
                retained = false
                Unmanaged.passUnretained(link).release()
            }
        }
    }
}

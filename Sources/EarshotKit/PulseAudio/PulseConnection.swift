import CPulse
import Foundation

/// A connection to a PulseAudio server through libpulse's asynchronous API: a
/// `pa_threaded_mainloop` (its own thread runs every callback) and a `pa_context`. Players and
/// recorders open their streams on it.
///
/// Every libpulse call made from another thread holds the mainloop lock (`withLock`).
/// Callbacks report through `events`, an `NSCondition` broadcast on every state change, so
/// waiting threads can use timeouts and never block the mainloop.
public final class PulseConnection {
    let mainloop: OpaquePointer
    let context: OpaquePointer
    /// The server asked for (nil: libpulse's default, which honours PULSE_SERVER).
    public let server: String?
    /// What the context callback reports. A separate object, retained for the callback until
    /// `close()`, so that the mainloop thread never holds the last reference to the connection
    /// (its deinit must not run there).
    private final class Monitor {
        let events = NSCondition()
        var ready = false
        var failure: String?
    }
    private let monitor = Monitor()
    private var monitorRetained = false
    /// Broadcast by the callbacks on every state change of the context or a stream.
    var events: NSCondition { monitor.events }

    /// How long to wait for the server to accept the connection.
    public static let connectTimeoutSeconds = 5.0

    /// Connects, or throws an `EarshotError` (kind `.environment`) saying how to get a server.
    public init(server: String? = nil, applicationName: String = "Earshot") throws {
        self.server = server
        guard let mainloop = pa_threaded_mainloop_new() else {
            throw EarshotError(.environment, "libpulse could not create its main loop")
        }
        self.mainloop = mainloop
        guard let context = pa_context_new(pa_threaded_mainloop_get_api(mainloop), applicationName) else {
            pa_threaded_mainloop_free(mainloop)
            throw EarshotError(.environment, "libpulse could not create a context")
        }
        self.context = context
        // From here on, `close()` releases everything (deinit runs when init throws).
        pa_context_set_state_callback(context, { context, userdata in
            let monitor = Unmanaged<Monitor>.fromOpaque(userdata!).takeUnretainedValue()
            let state = pa_context_get_state(context)
            monitor.events.lock()
            switch state {
            case PA_CONTEXT_READY:
                monitor.ready = true
            case PA_CONTEXT_FAILED, PA_CONTEXT_TERMINATED:
                if monitor.failure == nil { monitor.failure = String(cString: pa_strerror(pa_context_errno(context))) }
            default:
                break
            }
            monitor.events.broadcast()
            monitor.events.unlock()
        }, Unmanaged.passRetained(monitor).toOpaque())
        monitorRetained = true
        if pa_context_connect(context, server, PA_CONTEXT_NOAUTOSPAWN, nil) < 0 {
            let reason = String(cString: pa_strerror(pa_context_errno(context)))
            close()
            throw PulseConnection.noServerError(server: server, reason: reason)
        }
        guard pa_threaded_mainloop_start(mainloop) >= 0 else {
            close()
            throw EarshotError(.environment, "libpulse could not start its main loop thread")
        }
        events.lock()
        let deadline = Date(timeIntervalSinceNow: Self.connectTimeoutSeconds)
        while !monitor.ready && monitor.failure == nil {
            if !events.wait(until: deadline) { break }
        }
        let failure = monitor.failure, isReady = monitor.ready
        events.unlock()
        if !isReady {
            close()
            throw PulseConnection.noServerError(server: server, reason: failure ?? "no answer within \(Int(Self.connectTimeoutSeconds)) s")
        }
    }

    deinit { close() }

    private var closed = false

    /// Disconnects and stops the mainloop thread (idempotent; never call from a callback).
    public func close() {
        guard !closed else { return }
        closed = true
        pa_threaded_mainloop_lock(mainloop)
        pa_context_set_state_callback(context, nil, nil)
        pa_context_disconnect(context)
        pa_context_unref(context)
        pa_threaded_mainloop_unlock(mainloop)
        pa_threaded_mainloop_stop(mainloop)
        pa_threaded_mainloop_free(mainloop)
        if monitorRetained { Unmanaged.passUnretained(monitor).release() }
        monitorRetained = false
    }

    /// Why the connection ended, once it has (nil while it is up).
    public var failure: String? {
        events.lock()
        defer { events.unlock() }
        return monitor.failure
    }

    /// The failure, read by a caller that already holds `events`.
    var failureLocked: String? { monitor.failure }

    /// Runs `body` holding the mainloop lock (required for every libpulse call off its thread).
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pa_threaded_mainloop_lock(mainloop)
        defer { pa_threaded_mainloop_unlock(mainloop) }
        return try body()
    }

    /// The address of the server connected to, e.g. "/run/user/0/pulse/native".
    public var serverAddress: String {
        withLock { pa_context_get_server(context).map { String(cString: $0) } ?? "unknown" }
    }

    /// Throws unless the server has a sink named `name` (checked before any long work, so a
    /// typo in --sink fails at once).
    public func requireSink(_ name: String) throws {
        guard try sinkInfo(named: name) != nil else {
            throw EarshotError(.environment, "the PulseAudio server has no sink named '\(name)' (list them with `pactl list short sinks`)")
        }
    }

    /// The message for "no server here", with the ways to get one.
    static func noServerError(server: String?, reason: String) -> EarshotError {
        let target = server ?? ProcessInfo.processInfo.environment["PULSE_SERVER"].map { "\($0) (from PULSE_SERVER)" } ?? "the default server"
        return EarshotError(.environment,
            "cannot connect to a PulseAudio server at \(target): \(reason). Start one (`pulseaudio --start`, or pipewire-pulse on a PipeWire desktop), "
            + "or point PULSE_SERVER at a running server (e.g. PULSE_SERVER=unix:/run/user/$UID/pulse/native); "
            + "--sink NAME picks the output on it (`pactl list short sinks`)")
    }
}

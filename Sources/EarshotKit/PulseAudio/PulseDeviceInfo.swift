import CPulse
import Foundation

/// A sink or source as the PulseAudio server describes it (libpulse introspection).
public struct PulseDeviceInfo: Sendable, Equatable {
    public var name: String
    public var description: String
    /// The rate the device runs at, Hz.
    public var sampleRate: Int
    public var channels: Int
    /// The channels' positions as libpulse prints them, e.g. "front-left,front-right".
    public var channelMap: String = ""

    init(name: String, description: String, sampleRate: Int, channels: Int, channelMap: String = "") {
        self.name = name
        self.description = description
        self.sampleRate = sampleRate
        self.channels = channels
        self.channelMap = channelMap
    }

    /// The printed form of a libpulse channel map.
    static func printed(_ map: pa_channel_map) -> String {
        var copy = map
        var text = [CChar](repeating: 0, count: 400)
        pa_channel_map_snprint(&text, text.count, &copy)
        return String(cString: text)
    }
}

extension PulseConnection {
    /// Boxes one introspection answer for the C callbacks.
    private final class Answer<T> {
        let events: NSCondition
        var value: T?
        var done = false
        init(events: NSCondition) { self.events = events }

        /// Records an answer; `last` marks the end of the list (libpulse calls once more with
        /// end-of-list after the entry, and the box must outlive that call).
        func receive(_ value: T?, last: Bool) {
            events.lock()
            if let value, self.value == nil { self.value = value }
            if last { done = true }
            events.broadcast()
            events.unlock()
        }
    }

    /// Runs one introspection request and waits for its answer (nil: no such device).
    private func ask<T>(_ start: (OpaquePointer, UnsafeMutableRawPointer) -> OpaquePointer?) throws -> T? {
        let answer = Answer<T>(events: events)
        let retained = Unmanaged.passRetained(answer)
        let operation = withLock { start(context, retained.toOpaque()) }
        events.lock()
        let deadline = Date(timeIntervalSinceNow: Self.connectTimeoutSeconds)
        while !answer.done && failureLocked == nil {
            if !events.wait(until: deadline) { break }
        }
        let done = answer.done, value = answer.value
        events.unlock()
        withLock {
            if let operation {
                if !done { pa_operation_cancel(operation) }
                pa_operation_unref(operation)
            }
        }
        retained.release()
        if let failure = self.failure { throw EarshotError(.environment, "the PulseAudio server went away (\(failure))") }
        if !done { throw EarshotError(.environment, "the PulseAudio server did not answer within \(Int(Self.connectTimeoutSeconds)) s") }
        return value
    }

    /// The sink called `name`, or nil when there is none.
    public func sinkInfo(named name: String) throws -> PulseDeviceInfo? {
        try ask { context, box in
            pa_context_get_sink_info_by_name(context, name, { _, info, eol, userdata in
                let answer = Unmanaged<Answer<PulseDeviceInfo>>.fromOpaque(userdata!).takeUnretainedValue()
                if let info, eol == 0 {
                    let i = info.pointee
                    answer.receive(PulseDeviceInfo(name: String(cString: i.name), description: i.description.map { String(cString: $0) } ?? "",
                                                   sampleRate: Int(i.sample_spec.rate), channels: Int(i.sample_spec.channels)), last: false)
                } else {
                    answer.receive(nil, last: true)
                }
            }, box)
        }
    }

    /// The source called `name`, or nil when there is none.
    public func sourceInfo(named name: String) throws -> PulseDeviceInfo? {
        try ask { context, box in
            pa_context_get_source_info_by_name(context, name, { _, info, eol, userdata in
                let answer = Unmanaged<Answer<PulseDeviceInfo>>.fromOpaque(userdata!).takeUnretainedValue()
                if let info, eol == 0 {
                    let i = info.pointee
                    answer.receive(PulseDeviceInfo(name: String(cString: i.name), description: i.description.map { String(cString: $0) } ?? "",
                                                   sampleRate: Int(i.sample_spec.rate), channels: Int(i.sample_spec.channels),
                                                   channelMap: PulseDeviceInfo.printed(i.channel_map)), last: false)
                } else {
                    answer.receive(nil, last: true)
                }
            }, box)
        }
    }

    /// The server's default sink and source names.
    public func defaultDeviceNames() throws -> (sink: String?, source: String?) {
        let names: [String?]? = try ask { context, box in
            pa_context_get_server_info(context, { _, info, userdata in
                let answer = Unmanaged<Answer<[String?]>>.fromOpaque(userdata!).takeUnretainedValue()
                let i = info?.pointee
                answer.receive([i?.default_sink_name.map { String(cString: $0) }, i?.default_source_name.map { String(cString: $0) }], last: true)
            }, box)
        }
        return (names?[0] ?? nil, names?[1] ?? nil)
    }
}

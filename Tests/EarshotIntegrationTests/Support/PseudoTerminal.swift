import Foundation
@testable import EarshotKit

/// A pseudo-terminal for driving an interactive command: the child opens `slavePath` as its
/// standard input and error; the test writes keys to the master and reads what the child
/// writes there (its status line). The master is closed on deinit.
final class PseudoTerminal {
    let master: Int32
    let slavePath: String
    /// Everything read from the master so far.
    private(set) var output: [UInt8] = []

    /// `columns`: the window width the child reads with TIOCGWINSZ.
    init(columns: UInt16 = 250) throws {
        // posix_openpt and friends are declared only under _XOPEN_SOURCE, which the Glibc
        // module does not set: looked up at run time instead.
        typealias IntFunction = @convention(c) (Int32) -> Int32
        typealias NameFunction = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
        func function<T>(_ name: String, as type: T.Type) -> T? { dlsym(nil, name).map { unsafeBitCast($0, to: type) } }
        guard let open = function("posix_openpt", as: IntFunction.self), let grant = function("grantpt", as: IntFunction.self),
              let unlock = function("unlockpt", as: IntFunction.self), let name = function("ptsname", as: NameFunction.self) else {
            throw EarshotError(.environment, "the C library has no posix_openpt")
        }
        master = open(O_RDWR | O_NOCTTY)
        guard master >= 0, grant(master) == 0, unlock(master) == 0, let path = name(master) else {
            throw EarshotError(.environment, "cannot open a pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        slavePath = String(cString: path)
        var size = winsize(ws_row: 40, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
    }

    deinit { close(master) }

    func type(_ keys: String) {
        let bytes = Array(keys.utf8)
        _ = bytes.withUnsafeBufferPointer { write(master, $0.baseAddress, $0.count) }
    }

    /// Reads what has arrived (waiting up to `milliseconds`).
    func drain(milliseconds: Int32 = 20) {
        var poller = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while poll(&poller, 1, milliseconds) > 0 {
            let n = read(master, &buffer, buffer.count)
            guard n > 0 else { return }
            output += buffer[0..<n]
        }
    }

    /// Waits until the output after `offset` contains `text`; returns the status line (the
    /// text between terminal line rewrites) holding it, or nil on timeout.
    func waitFor(_ text: String, after offset: Int = 0, timeout: Double, while running: () -> Bool = { true }) -> String? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            drain()
            let tail = Substring(String(decoding: output[min(offset, output.count)...], as: UTF8.self))
            if let range = tail.range(of: text) {
                let start = tail[..<range.lowerBound].range(of: "\r", options: .backwards)?.upperBound ?? tail.startIndex
                let end = tail[range.upperBound...].firstIndex(where: { $0 == "\r" || $0 == "\n" }) ?? tail.endIndex
                return String(tail[start..<end]).replacingOccurrences(of: "\u{1B}[2K", with: "")
            }
            if !running() { drain(); return nil }
        }
        return nil
    }

    /// The end of the output so far (a byte offset), for waiting on what comes next.
    var mark: Int { drain(milliseconds: 0); return output.count }

    /// The output as text.
    var text: String { String(decoding: output, as: UTF8.self) }
}

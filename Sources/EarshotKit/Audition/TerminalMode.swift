import Foundation

/// A terminal put into raw mode for single-key input (no line buffering, no echo; Ctrl-C still
/// raises SIGINT), restored on `restore()`, on deinit, and on SIGINT/SIGTERM/SIGHUP/SIGQUIT,
/// which are caught and handed to `onSignal` on a dispatch queue so the program can stop
/// playback and exit cleanly (terminal restored, temporary files removed). Ctrl-Z (SIGTSTP) is
/// ignored while raw: a suspended player would leave the shell in raw mode.
public final class TerminalMode {
    public let fd: Int32
    private var saved = termios()
    private var active = false
    private let stateLock = NSLock()
    private var signalSources: [DispatchSourceSignal] = []
    private static let caught: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// True when `fd` is a terminal.
    public static func isTerminal(_ fd: Int32 = STDIN_FILENO) -> Bool { isatty(fd) == 1 }

    /// Switches `fd` to raw mode; throws when it is not a terminal.
    public init(fd: Int32 = STDIN_FILENO, onSignal: @escaping (Int32) -> Void) throws {
        self.fd = fd
        guard TerminalMode.isTerminal(fd), tcgetattr(fd, &saved) == 0 else {
            throw EarshotError(.environment, "standard input is not a terminal: keys are not available")
        }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(fd, TCSANOW, &raw) == 0 else {
            throw EarshotError(.environment, "cannot put the terminal into raw mode")
        }
        active = true
        signal(SIGTSTP, SIG_IGN)
        for sig in Self.caught {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in
                self?.restore()
                onSignal(sig)
            }
            source.resume()
            signalSources.append(source)
        }
    }

    deinit { restore() }

    /// Puts the terminal back as it was (idempotent) and restores default signal handling.
    public func restore() {
        stateLock.lock()
        defer { stateLock.unlock() }
        guard active else { return }
        active = false
        var original = saved
        tcsetattr(fd, TCSANOW, &original)
        for source in signalSources { source.cancel() }
        signalSources.removeAll()
        for sig in Self.caught + [SIGTSTP] { signal(sig, SIG_DFL) }
    }

    /// Waits up to `timeoutMilliseconds` for input and returns the bytes read (empty on timeout).
    public func readBytes(timeoutMilliseconds: Int32) -> [UInt8] {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, timeoutMilliseconds) > 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = read(fd, &buffer, buffer.count)
        return n > 0 ? Array(buffer[0..<n]) : []
    }
}

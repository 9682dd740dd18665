import Foundation

/// Rewrites the status line on the terminal (stderr), cut to the terminal's width (`audition`
/// and `monitor`).
func writeStatusLine(_ line: String) {
    var size = winsize()
    let columns = ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 120
    let text = line.count >= columns ? String(line.prefix(columns - 1)) : line
    FileHandle.standardError.write(Data(("\r\u{1B}[2K" + text).utf8))
}

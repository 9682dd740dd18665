import Foundation

/// A key press the audition understands.
public enum AuditionKey: Equatable, Sendable {
    case digit(Int)
    case space
    case left
    case right
    case character(Character)
    /// Ctrl-C or Ctrl-D on a raw terminal.
    case interrupt
}

/// Turns the bytes a raw-mode terminal sends into keys: printable characters, space, Ctrl-C /
/// Ctrl-D, and the arrow keys' escape sequences (ESC [ C / ESC [ D, or ESC O C / ESC O D in
/// application cursor mode). A sequence split across reads is completed by the next read;
/// other escape sequences are skipped.
public struct KeyDecoder: Sendable {
    private var pending: [UInt8] = []

    public init() {}

    public mutating func feed(_ bytes: [UInt8]) -> [AuditionKey] {
        pending += bytes
        var keys: [AuditionKey] = []
        var i = 0
        while i < pending.count {
            let b = pending[i]
            if b == 0x1B {
                guard i + 1 < pending.count else { break }   // wait for the rest
                let kind = pending[i + 1]
                guard kind == UInt8(ascii: "[") || kind == UInt8(ascii: "O") else { i += 1; continue }
                // CSI: parameters, then a final byte in 0x40...0x7E.
                var j = i + 2
                while j < pending.count && !(0x40...0x7E).contains(pending[j]) { j += 1 }
                guard j < pending.count else { break }
                switch pending[j] {
                case UInt8(ascii: "C"): keys.append(.right)
                case UInt8(ascii: "D"): keys.append(.left)
                default: break
                }
                i = j + 1
                continue
            }
            switch b {
            case 0x03, 0x04: keys.append(.interrupt)
            case UInt8(ascii: " "): keys.append(.space)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): keys.append(.digit(Int(b - UInt8(ascii: "0"))))
            case 0x21...0x7E: keys.append(.character(Character(UnicodeScalar(b))))
            default: break
            }
            i += 1
        }
        pending.removeFirst(i)
        return keys
    }

    /// A lone ESC still waiting for its sequence (dropped when the caller decides it was
    /// the Escape key).
    public mutating func flushIncomplete() { pending.removeAll() }
}

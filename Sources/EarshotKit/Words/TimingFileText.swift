import Foundation

/// The text of a word-timing file: bytes decoded as UTF-8 (with or without a byte-order mark) or
/// UTF-16 (with a byte-order mark, as Praat writes TextGrids that hold non-ASCII labels, or
/// without one when the zero bytes give the byte order away), split into lines.
///
/// Other encodings (Latin-1, Windows-1252 subtitles) are not guessed: a byte sequence that is
/// not valid UTF-8 is an error naming its line and byte offset, so a wrong word never reaches
/// the report.
struct TimingFileText {
    let text: String
    /// The lines without their terminators (LF, CRLF or CR); line k of the file is `lines[k-1]`.
    let lines: [String]

    init(text: String) {
        self.text = text
        lines = TimingFileText.splitLines(text)
    }

    static func decode(_ bytes: [UInt8], file: String) throws -> TimingFileText {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return TimingFileText(text: try utf8(bytes, from: 3, file: file))
        }
        if bytes.starts(with: [0xFF, 0xFE]) {
            return TimingFileText(text: try utf16(bytes, from: 2, bigEndian: false, file: file))
        }
        if bytes.starts(with: [0xFE, 0xFF]) {
            return TimingFileText(text: try utf16(bytes, from: 2, bigEndian: true, file: file))
        }
        // UTF-16 without a byte-order mark: every timing format starts with ASCII, so the first
        // code unit has one zero byte.
        if bytes.count >= 4, bytes.count % 2 == 0 {
            if bytes[0] == 0, bytes[1] != 0, bytes[2] == 0 {
                return TimingFileText(text: try utf16(bytes, from: 0, bigEndian: true, file: file))
            }
            if bytes[0] != 0, bytes[1] == 0, bytes[3] == 0 {
                return TimingFileText(text: try utf16(bytes, from: 0, bigEndian: false, file: file))
            }
        }
        return TimingFileText(text: try utf8(bytes, from: 0, file: file))
    }

    private static func utf8(_ bytes: [UInt8], from start: Int, file: String) throws -> String {
        if let bad = firstInvalidUTF8Offset(bytes, from: start) {
            let line = 1 + bytes[start..<bad].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            throw EarshotError.badInput(
                file: file, location: "line \(line), byte \(bad)",
                "text is not valid UTF-8 (byte \(String(format: "0x%02X", bytes[bad]))); "
                + "save the file as UTF-8 (Latin-1 and Windows code pages are not guessed)")
        }
        return String(decoding: bytes[start...], as: UTF8.self)
    }

    private static func utf16(_ bytes: [UInt8], from start: Int, bigEndian: Bool, file: String) throws -> String {
        var units: [UInt16] = []
        units.reserveCapacity((bytes.count - start) / 2)
        var i = start
        while i + 1 < bytes.count {
            let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
            units.append(bigEndian ? (a << 8 | b) : (b << 8 | a))
            i += 2
        }
        var line = 1
        var k = 0
        while k < units.count {
            let u = units[k]
            if u == 0x0A { line += 1 }
            if (0xD800...0xDBFF).contains(u) {
                if k + 1 < units.count, (0xDC00...0xDFFF).contains(units[k + 1]) { k += 2; continue }
            }
            if (0xD800...0xDFFF).contains(u) {
                throw EarshotError.badInput(file: file, location: "line \(line), byte \(start + 2 * k)",
                                            "text is not valid UTF-16 (unpaired surrogate 0x\(String(u, radix: 16, uppercase: true)))")
            }
            k += 1
        }
        if (bytes.count - start) % 2 != 0 {
            throw EarshotError.badInput(file: file, location: "line \(line), byte \(bytes.count - 1)",
                                        "text is not valid UTF-16 (odd number of bytes)")
        }
        return String(decoding: units, as: UTF16.self)
    }

    /// The offset of the first byte that does not belong to a well-formed UTF-8 sequence
    /// (Unicode 15, table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF).
    static func firstInvalidUTF8Offset(_ bytes: [UInt8], from start: Int = 0) -> Int? {
        var i = start
        let n = bytes.count
        while i < n {
            let b0 = bytes[i]
            if b0 < 0x80 { i += 1; continue }
            var length = 0
            var secondRange: ClosedRange<UInt8> = 0x80...0xBF
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; secondRange = 0xA0...0xBF
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; secondRange = 0x80...0x9F
            case 0xF0: length = 4; secondRange = 0x90...0xBF
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; secondRange = 0x80...0x8F
            default: return i
            }
            if i + 1 >= n || !secondRange.contains(bytes[i + 1]) { return i }
            for k in 2..<length where i + k >= n || !(0x80...0xBF).contains(bytes[i + k]) { return i }
            i += length
        }
        return nil
    }

    static func splitLines(_ text: String) -> [String] {
        // Walk scalars: "\r\n" is a single Character in Swift.
        var lines: [String] = []
        for piece in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = piece
            if line.last == "\r" { line = line.dropLast() }
            if line.contains("\r") {
                // A lone CR also ends a line (old Mac files).
                lines += line.split(separator: "\r", omittingEmptySubsequences: false).map { String(String.UnicodeScalarView($0)) }
            } else {
                lines.append(String(String.UnicodeScalarView(line)))
            }
        }
        return lines
    }
}

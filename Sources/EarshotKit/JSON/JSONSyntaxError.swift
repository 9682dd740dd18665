import Foundation

extension JSONDocument {
    /// For a JSON file Foundation's reader refused: where it goes wrong, as a bad-input error
    /// naming the line and column ("not valid JSON: expected ',' or '}' …"), or the line and
    /// byte when the text is not UTF-8. Nil when this reader finds no fault (it takes NaN and
    /// Infinity, which Foundation refuses); the caller then keeps Foundation's words.
    static func syntaxError(in bytes: [UInt8], file: String?) -> EarshotError? {
        if let bad = TimingFileText.firstInvalidUTF8Offset(bytes) {
            let line = 1 + bytes[..<bad].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            return EarshotError.badInput(file: file, location: "line \(line), byte \(bad)",
                                         "not valid UTF-8 (byte \(String(format: "0x%02X", bytes[bad]))); save the file as UTF-8")
        }
        do {
            _ = try parse(String(decoding: bytes, as: UTF8.self), file: file ?? "")
            return nil
        } catch let located as EarshotError {
            let detail = located.message.hasPrefix("malformed JSON: ") ? String(located.message.dropFirst(16)) : located.message
            return EarshotError.badInput(file: file, location: located.location, "not valid JSON: \(detail)")
        } catch {
            return nil
        }
    }
}

import Foundation

/// Turns the text of a subtitle cue into the words a talker says in it.
///
/// Removed, because nobody says them: markup (`<i>`, `<font …>`, WebVTT `<c.x>`, `<v Name>`,
/// `<00:00:01.000>` timestamps, ASS/SSA overrides `{\an8}`), HTML entities are decoded; sound
/// and speaker descriptions in brackets `[music]`, `(laughs)`, `{…}`; dialogue dashes (`- `,
/// `– `, `>> `) and upper-case speaker labels (`JOHN:`, `MAN 2:`) at the start of a line; song
/// lyrics — lines starting with ♪ or ♫ and text between two ♪ (sung lyrics belong to the music,
/// not the dialogue stem). Words are split at white space, dashes and ellipses, and lose the
/// punctuation around them ("Well," → "Well", "don't" stays). Han characters and kana, written
/// without spaces, become one unit per character (a syllable each in Mandarin, a mora or
/// two in Japanese). A WebVTT `<v Name>` names the talker of the whole cue.
enum CueText {
    struct Word: Equatable { var text: String; var speaker: String? }

    static func words(fromLines lines: [String]) -> [Word] {
        var speaker: String?
        var kept: [String] = []
        for raw in lines {
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("♪") || trimmed.hasPrefix("♫") { continue }
            if speaker == nil { speaker = voiceName(in: trimmed) }
            var line = decodeEntities(removeMarkup(trimmed)).trimmingCharacters(in: .whitespaces)
            line = removeLeadingLabels(line)
            kept.append(line)
        }
        var text = kept.joined(separator: " ")
        text = removeEnclosed(text, open: "[", close: "]")
        text = removeEnclosed(text, open: "(", close: ")")
        text = removeEnclosed(text, open: "{", close: "}")
        text = removeEnclosed(text, open: "♪", close: "♪")
        text = text.replacingOccurrences(of: "♪", with: " ").replacingOccurrences(of: "♫", with: " ")
        text = text.replacingOccurrences(of: "...", with: " ").replacingOccurrences(of: "--", with: " ")
        let separators = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "—–…"))
        var words: [Word] = []
        for token in text.components(separatedBy: separators) {
            let word = trimPunctuation(token)
            guard word.contains(where: { $0.isLetter || $0.isNumber }) else { continue }
            for unit in splitUnspacedScript(word) { words.append(Word(text: unit, speaker: speaker)) }
        }
        return words
    }

    /// The relative spoken length of a word: its letters and digits, at least 1.
    static func weight(of word: String) -> Int {
        max(1, word.reduce(0) { $0 + (($1.isLetter || $1.isNumber) ? 1 : 0) })
    }

    private static func voiceName(in line: String) -> String? {
        guard let open = line.range(of: "<v") else { return nil }
        let rest = line[open.upperBound...]
        guard let first = rest.first, first == " " || first == "." || first == "\t",
              let close = rest.firstIndex(of: ">") else { return nil }
        var body = rest[rest.startIndex..<close]
        if body.first == "." {   // <v.loud Name>: classes first
            guard let space = body.firstIndex(where: { $0 == " " || $0 == "\t" }) else { return nil }
            body = body[space...]
        }
        let name = body.trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? nil : name
    }

    /// Removes `<…>` tags and `{\…}` overrides.
    static func removeMarkup(_ s: String) -> String {
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == "<", let close = s[i...].firstIndex(of: ">") {
                i = s.index(after: close); continue
            }
            if c == "{", s.index(after: i) < s.endIndex, s[s.index(after: i)] == "\\", let close = s[i...].firstIndex(of: "}") {
                i = s.index(after: close); continue
            }
            out.append(c)
            i = s.index(after: i)
        }
        return out
    }

    static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        let named: [String: String] = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'",
                                       "nbsp": " ", "lrm": "", "rlm": ""]
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == "&", let semi = s[i...].prefix(12).firstIndex(of: ";") {
                let name = String(s[s.index(after: i)..<semi])
                var replacement: String?
                if let r = named[name] {
                    replacement = r
                } else if name.hasPrefix("#x") || name.hasPrefix("#X"), let v = UInt32(name.dropFirst(2), radix: 16), let u = Unicode.Scalar(v) {
                    replacement = String(Character(u))
                } else if name.hasPrefix("#"), let v = UInt32(name.dropFirst()), let u = Unicode.Scalar(v) {
                    replacement = String(Character(u))
                }
                if let replacement { out += replacement; i = s.index(after: semi); continue }
            }
            out.append(s[i])
            i = s.index(after: i)
        }
        return out
    }

    /// Dialogue dashes and speaker labels at the start of a line.
    private static func removeLeadingLabels(_ line: String) -> String {
        var s = Substring(line)
        var changed = true
        while changed {
            changed = false
            for dash in [">>", "-", "–", "—"] where s.hasPrefix(dash) {
                s = s.dropFirst(dash.count).drop(while: { $0 == " " || $0 == "\t" })
                changed = true
            }
            if let colon = s.firstIndex(of: ":"), s.distance(from: s.startIndex, to: colon) <= 30 {
                let label = s[s.startIndex..<colon]
                let after = s[s.index(after: colon)...]
                let letters = label.filter(\.isLetter)
                let labelLike = letters.count >= 2 && letters.allSatisfy(\.isUppercase)
                    && label.allSatisfy { $0.isLetter || $0.isNumber || " .'-#".contains($0) }
                if labelLike && (after.isEmpty || after.first == " " || after.first == "\t") {
                    s = after.drop(while: { $0 == " " || $0 == "\t" })
                    changed = true
                }
            }
        }
        return String(s)
    }

    /// Removes text between `open` and `close` (not nested); an unclosed bracket removes the rest.
    private static func removeEnclosed(_ s: String, open: Character, close: Character) -> String {
        var out = ""
        var inside = false
        for c in s {
            if !inside && c == open { inside = true; continue }
            if inside && c == close { inside = false; out.append(" "); continue }
            if !inside { out.append(c) }
        }
        return out
    }

    private static func trimPunctuation(_ token: String) -> String {
        let isWordCharacter: (Character) -> Bool = { $0.isLetter || $0.isNumber }
        guard let first = token.firstIndex(where: isWordCharacter),
              let last = token.lastIndex(where: isWordCharacter) else { return "" }
        return String(token[first...last])
    }

    private static func isUnspacedScript(_ c: Character) -> Bool {
        guard let v = c.unicodeScalars.first?.value else { return false }
        return (0x3040...0x30FF).contains(v)      // hiragana, katakana
            || (0x3400...0x4DBF).contains(v)      // CJK extension A
            || (0x4E00...0x9FFF).contains(v)      // CJK unified ideographs
            || (0xF900...0xFAFF).contains(v)      // compatibility ideographs
            || (0x20000...0x2FA1F).contains(v)    // supplementary ideographs
    }

    /// Splits runs of Han characters and kana into one unit per character; other text stays whole.
    private static func splitUnspacedScript(_ word: String) -> [String] {
        guard word.contains(where: isUnspacedScript) else { return [word] }
        var units: [String] = []
        var pending = ""
        for c in word {
            if isUnspacedScript(c) {
                if !pending.isEmpty { units.append(pending); pending = "" }
                units.append(String(c))
            } else if c.isLetter || c.isNumber {
                pending.append(c)
            } else if !pending.isEmpty {
                units.append(pending); pending = ""
            }
        }
        if !pending.isEmpty { units.append(pending) }
        return units
    }
}

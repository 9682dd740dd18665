import Foundation

/// Reads the word tier of a Praat TextGrid in either text format Praat writes ("long": the full
/// `ooTextFile` text with labels, and "short": the values only), as the Montreal Forced
/// Aligner writes it.
///
/// Both formats carry the same sequence of values — strings in double quotes (`""` is a quote
/// inside a string), numbers and `<exists>`/`<absent>` flags — and the long format adds labels
/// (`xmin =`, `intervals [3]:`) around them. The reader therefore takes the values in order and
/// skips the labels, as Praat's own text reader does; `!` starts a comment.
///
/// Which tier: every IntervalTier named "words" (any case), or named "<speaker> - words" as MFA
/// writes for several speakers (each speaker's words keep their speaker name); when there is no
/// such tier, the first IntervalTier. Point tiers (TextTier) carry no durations and are skipped.
///
/// Which intervals: empty intervals and MFA's silence marks (`sp`, `sil`, `<sil>`, `<eps>`,
/// `<p:>`, any case) are not words. MFA's `spn` (spoken noise: an utterance it could not match to
/// the dictionary) and `<unk>` are speech, so they become the word "<unk>": something was said
/// there and it can be masked.
enum TextGridParser {
    static let silenceMarks: Set<String> = ["", "sp", "sil", "<sil>", "<eps>", "<p:>", "<p>"]
    static let unknownMarks: Set<String> = ["spn", "<unk>", "<spn>"]

    enum Token: Equatable {
        case string(String)
        case number(Double)
        case flag(String)
    }

    struct LocatedToken { var token: Token; var line: Int }

    static func parse(_ text: TimingFileText, file: String) throws -> ParsedTimings {
        let tokens = try tokenize(text.text, file: file)
        var reader = TokenReader(tokens: tokens, file: file)
        let fileType = try reader.string("the file type (\"ooTextFile\")")
        guard fileType.value.hasPrefix("ooTextFile") else {
            throw EarshotError.badInput(file: file, location: "line \(fileType.line)",
                                        "file type is \"\(fileType.value)\"; only Praat text TextGrids (\"ooTextFile\") are read — save binary TextGrids as text")
        }
        let objectClass = try reader.string("the object class (\"TextGrid\")")
        guard objectClass.value.hasPrefix("TextGrid") else {
            throw EarshotError.badInput(file: file, location: "line \(objectClass.line)",
                                        "object class is \"\(objectClass.value)\"; expected \"TextGrid\"")
        }
        _ = try reader.number("the TextGrid's xmin")
        _ = try reader.number("the TextGrid's xmax")
        let tiersFlag = try reader.flag("<exists> or <absent>")
        guard tiersFlag.value == "exists" else {
            throw EarshotError.badInput(file: file, location: "line \(tiersFlag.line)", "the TextGrid has no tiers, so no words")
        }
        let tierCount = try reader.count("the number of tiers")

        var tiers: [Tier] = []
        for k in 0..<tierCount.value {
            let t = k + 1
            let tierClass = try reader.string("the class of tier \(t)")
            let name = try reader.string("the name of tier \(t)")
            _ = try reader.number("the xmin of tier \(t)")
            _ = try reader.number("the xmax of tier \(t)")
            let n = try reader.count("the number of intervals or points of tier \(t)")
            var tier = Tier(name: name.value, isInterval: true, intervals: [])
            switch tierClass.value {
            case "IntervalTier":
                tier.intervals.reserveCapacity(min(n.value, tokens.count / 3))
                for i in 0..<n.value {
                    let xmin = try reader.number("the xmin of interval \(i + 1) of tier \(t)")
                    let xmax = try reader.number("the xmax of interval \(i + 1) of tier \(t)")
                    let label = try reader.string("the text of interval \(i + 1) of tier \(t)")
                    tier.intervals.append((xmin.value, xmax.value, label.value, label.line))
                }
            case "TextTier":
                tier.isInterval = false
                for i in 0..<n.value {
                    _ = try reader.number("the time of point \(i + 1) of tier \(t)")
                    _ = try reader.string("the mark of point \(i + 1) of tier \(t)")
                }
            default:
                throw EarshotError.badInput(file: file, location: "line \(tierClass.line)",
                                            "tier \(t) has class \"\(tierClass.value)\"; expected \"IntervalTier\" or \"TextTier\"")
            }
            tiers.append(tier)
        }

        return ParsedTimings(words: try words(from: tiers, file: file), source: .textGrid)
    }

    /// A tier as read: its name and, for an interval tier, its intervals with their lines.
    struct Tier {
        var name: String
        var isInterval: Bool
        var intervals: [(xmin: Double, xmax: Double, text: String, line: Int)]
    }

    /// The words of the chosen tiers (see the type's comment), silence skipped.
    static func words(from tiers: [Tier], file: String) throws -> [ParsedWord] {
        let intervalTiers = tiers.filter(\.isInterval)
        guard !intervalTiers.isEmpty else {
            throw EarshotError.badInput(file: file, "the TextGrid has no IntervalTier (point tiers carry no word durations), so no words")
        }
        var chosen: [(tier: Tier, speaker: String?)] = []
        for tier in intervalTiers {
            let name = tier.name.trimmingCharacters(in: .whitespaces)
            if name.lowercased() == "words" {
                chosen.append((tier, nil))
            } else if name.lowercased().hasSuffix(" - words") {
                chosen.append((tier, String(name.dropLast(" - words".count)).trimmingCharacters(in: .whitespaces)))
            }
        }
        if chosen.isEmpty { chosen = [(intervalTiers[0], nil)] }

        var words: [ParsedWord] = []
        for (tier, speaker) in chosen {
            for interval in tier.intervals {
                let label = interval.text.trimmingCharacters(in: .whitespacesAndNewlines)
                let key = label.lowercased()
                if silenceMarks.contains(key) { continue }
                let text = unknownMarks.contains(key) ? "<unk>" : label
                words.append(ParsedWord(text: text, startSeconds: interval.xmin, endSeconds: interval.xmax,
                                        line: interval.line, speaker: speaker))
            }
        }
        return words
    }

    static func tokenize(_ text: String, file: String) throws -> [LocatedToken] {
        var tokens: [LocatedToken] = []
        let scalars = Array(text.unicodeScalars)
        var i = 0
        var line = 1
        let n = scalars.count
        func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{FEFF}" }
        while i < n {
            let c = scalars[i]
            if c == "\n" { line += 1; i += 1; continue }
            if isSpace(c) || c == "=" || c == ":" { i += 1; continue }
            if c == "!" {
                while i < n && scalars[i] != "\n" { i += 1 }
                continue
            }
            if c == "\"" {
                let startLine = line
                var value = String.UnicodeScalarView()
                i += 1
                var closed = false
                while i < n {
                    let d = scalars[i]
                    if d == "\"" {
                        if i + 1 < n && scalars[i + 1] == "\"" { value.append("\""); i += 2; continue }
                        i += 1; closed = true; break
                    }
                    if d == "\n" { line += 1 }
                    value.append(d); i += 1
                }
                guard closed else {
                    throw EarshotError.badInput(file: file, location: "line \(startLine)", "a string starting here has no closing quote")
                }
                tokens.append(LocatedToken(token: .string(String(value)), line: startLine))
                continue
            }
            if c == "[" {
                while i < n && scalars[i] != "]" { if scalars[i] == "\n" { line += 1 }; i += 1 }
                i += 1
                continue
            }
            if c == "<" {
                var value = String.UnicodeScalarView()
                i += 1
                while i < n && scalars[i] != ">" && !isSpace(scalars[i]) { value.append(scalars[i]); i += 1 }
                guard i < n, scalars[i] == ">" else {
                    throw EarshotError.badInput(file: file, location: "line \(line)", "a flag starting with '<' has no closing '>'")
                }
                i += 1
                tokens.append(LocatedToken(token: .flag(String(value)), line: line))
                continue
            }
            // A word: a number if it starts like one, otherwise a label to skip.
            var word = String.UnicodeScalarView()
            while i < n && !isSpace(scalars[i]) && scalars[i] != "=" && scalars[i] != "\"" && scalars[i] != "!" {
                word.append(scalars[i]); i += 1
            }
            let s = String(word)
            if let first = word.first, "0123456789+-.".unicodeScalars.contains(first) {
                guard let v = Double(s) else {
                    throw EarshotError.badInput(file: file, location: "line \(line)", "malformed number '\(s)'")
                }
                tokens.append(LocatedToken(token: .number(v), line: line))
            }
        }
        return tokens
    }

    struct TokenReader {
        let tokens: [LocatedToken]
        let file: String
        var position = 0

        private func ended(_ expected: String) -> EarshotError {
            let line = tokens.last?.line ?? 1
            return EarshotError.badInput(file: file, location: "line \(line)", "the TextGrid ends early: expected \(expected)")
        }

        private func describe(_ t: Token) -> String {
            switch t {
            case .string(let s): return "the string \"\(s)\""
            case .number(let v): return "the number \(v)"
            case .flag(let f): return "<\(f)>"
            }
        }

        mutating func string(_ expected: String) throws -> (value: String, line: Int) {
            guard position < tokens.count else { throw ended(expected) }
            let t = tokens[position]
            guard case .string(let s) = t.token else {
                throw EarshotError.badInput(file: file, location: "line \(t.line)", "expected \(expected) in quotes, found \(describe(t.token))")
            }
            position += 1
            return (s, t.line)
        }

        mutating func number(_ expected: String) throws -> (value: Double, line: Int) {
            guard position < tokens.count else { throw ended(expected) }
            let t = tokens[position]
            guard case .number(let v) = t.token else {
                throw EarshotError.badInput(file: file, location: "line \(t.line)", "expected \(expected) (a number), found \(describe(t.token))")
            }
            guard v.isFinite else {
                throw EarshotError.badInput(file: file, location: "line \(t.line)", "\(expected) is not a finite number")
            }
            position += 1
            return (v, t.line)
        }

        mutating func count(_ expected: String) throws -> (value: Int, line: Int) {
            let v = try number(expected)
            guard v.value >= 0, v.value == v.value.rounded(), v.value < 10_000_000 else {
                throw EarshotError.badInput(file: file, location: "line \(v.line)", "\(expected) must be a whole number ≥ 0, found \(v.value)")
            }
            return (Int(v.value), v.line)
        }

        mutating func flag(_ expected: String) throws -> (value: String, line: Int) {
            guard position < tokens.count else { throw ended(expected) }
            let t = tokens[position]
            guard case .flag(let f) = t.token else {
                throw EarshotError.badInput(file: file, location: "line \(t.line)", "expected \(expected), found \(describe(t.token))")
            }
            position += 1
            return (f, t.line)
        }
    }
}

import Foundation

/// Reads SubRip (.srt) and WebVTT (.vtt) cues.
///
/// SubRip: blocks separated by blank lines — an optional cue number, a timing line
/// `00:01:02,345 --> 00:01:04,000` (anything after the end time, such as `X1:… Y2:…`
/// coordinates, is ignored), then text lines. A full stop is accepted in place of the comma and
/// the hours may be left out, as many tools write them that way. Cues without a blank line
/// between them are still separated at the next timing line.
///
/// WebVTT (W3C WebVTT, sections 4.1 and 6.1): a `WEBVTT` header and its header lines; NOTE,
/// STYLE and REGION blocks are skipped; a cue is an optional identifier line, a timing line
/// `00:01:02.345 --> 00:01:04.000` or `01:02.345 --> 01:04.000` with optional cue settings
/// (`align:start line:0`) after the end time, then the payload.
///
/// Errors name the line: a malformed timestamp, a block with text but no timing line.
enum SubtitleParser {
    enum Kind { case srt, webVTT }

    struct Cue: Equatable {
        var startSeconds: Double
        var endSeconds: Double
        var textLines: [String]
        var line: Int
    }

    static func parse(_ text: TimingFileText, kind: Kind, file: String) throws -> ParsedTimings {
        let cues = try readCues(text.lines, kind: kind, file: file)
        var perCue: [(cue: Cue, words: [CueText.Word])] = []
        for cue in cues {
            let words = CueText.words(fromLines: cue.textLines)
            if !words.isEmpty { perCue.append((cue, words)) }
        }
        let wordCues = !perCue.isEmpty && perCue.allSatisfy { $0.words.count == 1 }
        var result = ParsedTimings(source: wordCues ? (kind == .srt ? .srtWords : .webVTTWords)
                                                    : (kind == .srt ? .srtLines : .webVTTLines))
        for (cue, words) in perCue {
            if wordCues {
                result.words.append(ParsedWord(text: words[0].text, startSeconds: cue.startSeconds, endSeconds: cue.endSeconds,
                                               line: cue.line, speaker: words[0].speaker))
            } else {
                result.lineCues.append(LineCue(words: words.map(\.text), startSeconds: cue.startSeconds, endSeconds: cue.endSeconds,
                                               line: cue.line, speaker: words.first?.speaker))
            }
        }
        return result
    }

    static func readCues(_ lines: [String], kind: Kind, file: String) throws -> [Cue] {
        var cues: [Cue] = []
        var i = 0
        if kind == .webVTT {
            let first = lines.first.map { $0.hasPrefix("\u{FEFF}") ? String($0.dropFirst()) : $0 } ?? ""
            let isHeader = first.hasPrefix("WEBVTT") && (first.count == 6 || first.dropFirst(6).first == " " || first.dropFirst(6).first == "\t")
            guard isHeader else {
                throw EarshotError.badInput(file: file, location: "line 1", "a WebVTT file must start with \"WEBVTT\"")
            }
            // The header runs to the first blank line (or to a timing line, leniently).
            i = 1
            while i < lines.count && !isBlank(lines[i]) && !lines[i].contains("-->") { i += 1 }
        }
        while i < lines.count {
            if isBlank(lines[i]) { i += 1; continue }
            if kind == .webVTT, isSkippedBlock(lines[i]) {
                while i < lines.count && !isBlank(lines[i]) { i += 1 }
                continue
            }
            // The timing line is the block's first line, or its second after a cue number
            // (SubRip) or identifier (WebVTT).
            let timing: Int
            if lines[i].contains("-->") {
                timing = i
            } else if i + 1 < lines.count, lines[i + 1].contains("-->") {
                timing = i + 1
                if kind == .srt, Int(lines[i].trimmingCharacters(in: .whitespaces)) == nil {
                    throw EarshotError.badInput(file: file, location: "line \(i + 1)",
                                                "expected a cue number before the timing line, found \"\(String(lines[i].prefix(60)))\"")
                }
            } else if kind == .srt, let number = Int(lines[i].trimmingCharacters(in: .whitespaces)), i + 1 < lines.count {
                throw EarshotError.badInput(file: file, location: "line \(i + 2)",
                                            "expected the timing line 'HH:MM:SS,mmm --> HH:MM:SS,mmm' of cue \(number), found \"\(String(lines[i + 1].prefix(60)))\"")
            } else {
                let what = kind == .srt ? "a cue number or a timing line 'HH:MM:SS,mmm --> HH:MM:SS,mmm'"
                                        : "a cue timing line 'HH:MM:SS.mmm --> HH:MM:SS.mmm'"
                throw EarshotError.badInput(file: file, location: "line \(i + 1)",
                                            "expected \(what), found \"\(String(lines[i].prefix(60)))\"")
            }
            let (start, stop) = try timingLine(lines[timing], kind: kind, line: timing + 1, file: file)
            // The payload runs to a blank line; a timing line inside it (cues written without a
            // blank line between them) starts the next cue, with the SubRip cue number before it.
            var j = timing + 1
            var next: Int?
            while j < lines.count && !isBlank(lines[j]) {
                if lines[j].contains("-->"), (try? timingLine(lines[j], kind: kind, line: j + 1, file: file)) != nil {
                    let numbered = kind == .srt && j - 1 > timing && Int(lines[j - 1].trimmingCharacters(in: .whitespaces)) != nil
                    next = numbered ? j - 1 : j
                    break
                }
                j += 1
            }
            let payloadEnd = next ?? j
            cues.append(Cue(startSeconds: start, endSeconds: stop, textLines: Array(lines[(timing + 1)..<payloadEnd]), line: timing + 1))
            i = payloadEnd
        }
        return cues
    }

    private static func isBlank(_ line: String) -> Bool {
        line.allSatisfy { $0 == " " || $0 == "\t" }
    }

    /// NOTE, STYLE and REGION blocks (W3C WebVTT 4.1): not cues.
    private static func isSkippedBlock(_ line: String) -> Bool {
        guard !line.contains("-->") else { return false }
        for keyword in ["NOTE", "STYLE", "REGION"] where line.hasPrefix(keyword) {
            let rest = line.dropFirst(keyword.count)
            if rest.isEmpty || rest.first == " " || rest.first == "\t" { return true }
        }
        return false
    }

    static func timingLine(_ line: String, kind: Kind, line number: Int, file: String) throws -> (Double, Double) {
        let parts = line.components(separatedBy: "-->")
        guard parts.count == 2 else {
            throw EarshotError.badInput(file: file, location: "line \(number)", "malformed cue timing line \"\(line)\"; expected one '-->'")
        }
        let startText = parts[0].trimmingCharacters(in: .whitespaces)
        let afterArrow = parts[1].trimmingCharacters(in: .whitespaces)
        let endText = afterArrow.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
        let start = try timestamp(startText, kind: kind, line: number, file: file)
        let end = try timestamp(endText, kind: kind, line: number, file: file)
        return (start, end)
    }

    /// `[H…H:]MM:SS[,.]fff` → seconds. Minutes and seconds must be below 60.
    static func timestamp(_ text: String, kind: Kind, line: Int, file: String) throws -> Double {
        func malformed() -> EarshotError {
            let expected = kind == .srt ? "HH:MM:SS,mmm" : "HH:MM:SS.mmm or MM:SS.mmm"
            return EarshotError.badInput(file: file, location: "line \(line)",
                                         "malformed timestamp '\(text)'; expected \(expected)")
        }
        guard !text.isEmpty else { throw malformed() }
        var clock = Substring(text)
        var fraction = 0.0
        if let mark = text.lastIndex(where: { $0 == "," || $0 == "." }) {
            let digits = text[text.index(after: mark)...]
            guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy(\.isASCIIDigitCharacter),
                  let f = Double("0." + digits) else { throw malformed() }
            fraction = f
            clock = text[..<mark]
        }
        let fields = clock.split(separator: ":", omittingEmptySubsequences: false)
        // Hours any number of digits; minutes and seconds one or two.
        guard fields.count == 2 || fields.count == 3,
              fields.allSatisfy({ !$0.isEmpty && $0.count <= 9 && $0.allSatisfy(\.isASCIIDigitCharacter) }),
              fields.suffix(2).allSatisfy({ $0.count <= 2 }) else { throw malformed() }
        let values = fields.map { Double($0)! }
        let seconds = values[values.count - 1], minutes = values[values.count - 2]
        let hours = values.count == 3 ? values[0] : 0
        guard seconds < 60, minutes < 60 else {
            throw EarshotError.badInput(file: file, location: "line \(line)",
                                        "malformed timestamp '\(text)'; minutes and seconds must be below 60")
        }
        return hours * 3600 + minutes * 60 + seconds + fraction
    }
}

private extension Character {
    /// One of the ten ASCII digits, alone: a character range test would also take a digit
    /// with a combining mark ("0\u{0331}" sorts between "0" and "9").
    var isASCIIDigitCharacter: Bool { asciiValue.map { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } ?? false }
}

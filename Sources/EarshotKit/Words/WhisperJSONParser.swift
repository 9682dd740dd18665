import Foundation

/// Reads WhisperX-style JSON word timings:
/// `{"segments": [{"start", "end", "text", "speaker"?, "words": [{"word", "start", "end", "score"?, "speaker"?}]}]}`,
/// and the flat forms `{"words": [...]}`, `{"word_segments": [...]}` (WhisperX's own flat list)
/// and a top-level array of word objects. `"text"` is accepted in place of `"word"`; scores
/// and probabilities are ignored; word text is trimmed of the leading space Whisper writes.
///
/// WhisperX leaves some words unaligned (numerals and symbols its phoneme model cannot align):
/// they have no `start`/`end` (or null, or NaN, or zero duration). Such words are placed between
/// the aligned words (or segment edges) around them, in proportion to their length in
/// characters, and marked estimated. When the gap there is shorter than 50 ms per word, the
/// neighbouring aligned words give up their halves nearest the gap (and are marked estimated).
///
/// A segment without words (Whisper run without word timestamps, or WhisperX failing to align a
/// segment) is a line-level cue: its text is split into words placed by the dialogue envelope,
/// like subtitle lines.
enum WhisperJSONParser {
    static let minimumWordSeconds = 0.05

    private struct Entry {
        var text: String
        var start: Double?
        var end: Double?
        var line: Int
        var speaker: String?
        var estimated = false
    }

    static func parse(_ root: JSONNode, file: String) throws -> ParsedTimings {
        var result = ParsedTimings(source: .whisperJSON)
        if let segments = root["segments"] {
            guard let list = segments.array else {
                throw EarshotError.badInput(file: file, location: "line \(segments.line)", "\"segments\" is \(segments.kindName); expected an array of segments")
            }
            for (s, segment) in list.enumerated() {
                try readSegment(segment, number: s + 1, file: file, into: &result)
            }
        } else if let flat = root["words"] ?? root["word_segments"] ?? (root.array != nil ? root : nil) {
            guard let list = flat.array else {
                throw EarshotError.badInput(file: file, location: "line \(flat.line)", "the word list is \(flat.kindName); expected an array of words")
            }
            var entries = try list.enumerated().compactMap { try entry($0.element, what: "word \($0.offset + 1)", speaker: nil, file: file) }
            try interpolate(&entries, segmentStart: nil, segmentEnd: nil, file: file)
            result.words += entries.map(parsedWord)
        } else {
            throw EarshotError.badInput(file: file, location: "line \(root.line)",
                                        "expected a JSON object with \"segments\" (WhisperX), \"words\" or \"tiers\" (a TextGrid as JSON), or an array of word objects")
        }
        return result
    }

    private static func readSegment(_ segment: JSONNode, number: Int, file: String, into result: inout ParsedTimings) throws {
        guard segment.isObject else {
            throw EarshotError.badInput(file: file, location: "line \(segment.line)", "segment \(number) is \(segment.kindName); expected an object")
        }
        let start = try time(segment["start"], name: "start", what: "segment \(number)", file: file)
        let end = try time(segment["end"], name: "end", what: "segment \(number)", file: file)
        let speaker = segment["speaker"]?.string
        var entries: [Entry] = []
        if let words = segment["words"] {
            guard let list = words.array else {
                throw EarshotError.badInput(file: file, location: "line \(words.line)", "\"words\" of segment \(number) is \(words.kindName); expected an array")
            }
            entries = try list.enumerated().compactMap {
                try entry($0.element, what: "word \($0.offset + 1) of segment \(number)", speaker: speaker, file: file)
            }
        }
        if !entries.isEmpty {
            try interpolate(&entries, segmentStart: start, segmentEnd: end, file: file)
            result.words += entries.map(parsedWord)
            return
        }
        // No word times: a line-level cue.
        let text = segment["text"]?.string ?? ""
        let words = CueText.words(fromLines: [text]).map(\.text)
        if words.isEmpty { return }
        guard let start, let end else {
            throw EarshotError.badInput(file: file, location: "line \(segment.line)",
                                        "segment \(number) has text but neither word times nor its own \"start\" and \"end\"")
        }
        result.lineCues.append(LineCue(words: words, startSeconds: start, endSeconds: end, line: segment.line, speaker: speaker))
    }

    private static func entry(_ node: JSONNode, what: String, speaker: String?, file: String) throws -> Entry? {
        guard node.isObject else {
            throw EarshotError.badInput(file: file, location: "line \(node.line)", "\(what) is \(node.kindName); expected an object with \"word\", \"start\", \"end\"")
        }
        guard let textNode = node["word"] ?? node["text"], let raw = textNode.string else {
            throw EarshotError.badInput(file: file, location: "line \(node.line)", "\(what) has no \"word\" text")
        }
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return nil }
        var start = try time(node["start"], name: "start", what: "\(what) (\(TimeText.quoted(text)))", file: file)
        var end = try time(node["end"], name: "end", what: "\(what) (\(TimeText.quoted(text)))", file: file)
        // Half a time, or a zero-length word, is an unaligned word.
        if start == nil || end == nil || end! == start! { start = nil; end = nil }
        return Entry(text: text, start: start, end: end, line: node.line, speaker: node["speaker"]?.string ?? speaker)
    }

    /// A time field: nil when absent, null or NaN (unaligned); an error when it is not a number.
    private static func time(_ node: JSONNode?, name: String, what: String, file: String) throws -> Double? {
        guard let node, !node.isNull else { return nil }
        guard let v = node.number else {
            throw EarshotError.badInput(file: file, location: "line \(node.line)", "\"\(name)\" of \(what) is \(node.kindName); expected seconds as a number")
        }
        if v.isNaN { return nil }
        guard v.isFinite else {
            throw EarshotError.badInput(file: file, location: "line \(node.line)", "\"\(name)\" of \(what) is infinite")
        }
        return v
    }

    /// Places runs of unaligned words between their aligned neighbours (or the segment's edges).
    private static func interpolate(_ entries: inout [Entry], segmentStart: Double?, segmentEnd: Double?, file: String) throws {
        var k = 0
        while k < entries.count {
            guard entries[k].start == nil else { k += 1; continue }
            var j = k
            while j < entries.count && entries[j].start == nil { j += 1 }
            // entries[k..<j] are unaligned.
            let previous = k > 0 ? k - 1 : nil
            let next = j < entries.count ? j : nil
            let leftAnchor = previous.map { entries[$0].end! } ?? segmentStart
            let rightAnchor = next.map { entries[$0].start! } ?? segmentEnd
            guard var left = leftAnchor, var right = rightAnchor else {
                throw EarshotError.badInput(file: file, location: "line \(entries[k].line)",
                                            "word \(TimeText.quoted(entries[k].text)) has no \"start\"/\"end\" and no aligned word or segment time \(leftAnchor == nil ? "before" : "after") it to place it by")
            }
            let count = j - k
            if right - left < minimumWordSeconds * Double(count) {
                if let p = previous {
                    let mid = 0.5 * (entries[p].start! + entries[p].end!)
                    if mid < left { left = mid; entries[p].end = mid; entries[p].estimated = true }
                }
                if let q = next {
                    let mid = 0.5 * (entries[q].start! + entries[q].end!)
                    if mid > right { right = mid; entries[q].start = mid; entries[q].estimated = true }
                }
            }
            guard right > left else {
                throw EarshotError.badInput(file: file, location: "line \(entries[k].line)",
                                            "word \(TimeText.quoted(entries[k].text)) has no \"start\"/\"end\" and there is no time between its neighbours (\(TimeText.seconds(left)) to \(TimeText.seconds(right))) to place it in")
            }
            let weights = entries[k..<j].map { Double(CueText.weight(of: $0.text)) }
            let total = weights.reduce(0, +)
            var t = left
            for (offset, w) in weights.enumerated() {
                let e = offset == count - 1 ? right : t + (right - left) * w / total
                entries[k + offset].start = t
                entries[k + offset].end = e
                entries[k + offset].estimated = true
                t = e
            }
            k = j
        }
    }

    private static func parsedWord(_ e: Entry) -> ParsedWord {
        ParsedWord(text: e.text, startSeconds: e.start!, endSeconds: e.end!, line: e.line, estimated: e.estimated, speaker: e.speaker)
    }
}

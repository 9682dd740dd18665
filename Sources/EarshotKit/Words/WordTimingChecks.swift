import Foundation

/// The checks every timing file passes before its words reach the report, and the final
/// ordering: times finite and not negative, end after start, inside the programme (a little
/// past its end is clamped), no two words of one talker overlapping (a few milliseconds of
/// overlap is clamped), sorted by start, indexed 0…n−1.
enum WordTimingChecks {
    /// A word or cue may end this far past the end of the programme and is then clamped to it:
    /// timing files are often rounded to frames, or made from a render a few frames longer.
    static let pastEndToleranceSeconds = 0.5
    /// Words of one talker may overlap by this much and are then clamped (forced aligners and
    /// WhisperX round boundaries to their own 10–20 ms frames).
    static let overlapToleranceSeconds = 0.010
    /// Subtitle cues of one talker may overlap by this much; the earlier cue then ends where the
    /// later starts (subtitle timing slack, a frame or a few). Larger overlaps are an error.
    static let cueOverlapToleranceSeconds = 0.2
    private static let epsilon = 1e-9

    /// Checks one span (a word or a cue) and returns it with its end clamped to the programme.
    static func checkSpan(start: Double, end: Double, what: String, line: Int,
                          programmeSeconds: Double, file: String) throws -> (start: Double, end: Double) {
        func fail(_ message: String) -> EarshotError {
            EarshotError.badInput(file: file, location: "line \(line)", message)
        }
        guard start.isFinite, end.isFinite else {
            throw fail("\(what) has a time that is not a finite number (start \(start), end \(end))")
        }
        if start < -epsilon {
            throw fail("\(what) starts at \(TimeText.seconds(start)), before the start of the programme; times must not be negative")
        }
        if end < start - epsilon {
            throw fail("\(what) ends at \(TimeText.seconds(end)), before it starts at \(TimeText.seconds(start))")
        }
        if end - start <= epsilon {
            throw fail("\(what) has no duration (starts and ends at \(TimeText.seconds(start)))")
        }
        if start >= programmeSeconds - epsilon {
            throw fail("\(what) starts at \(TimeText.seconds(start)), at or after the end of the programme (\(TimeText.seconds(programmeSeconds)))"
                       + timecodeHint(start))
        }
        if end > programmeSeconds + pastEndToleranceSeconds {
            throw fail("\(what) ends at \(TimeText.seconds(end)), more than \(pastEndToleranceSeconds) s after the end of the programme (\(TimeText.seconds(programmeSeconds)))"
                       + timecodeHint(start))
        }
        return (max(0, start), min(end, programmeSeconds))
    }

    private static func timecodeHint(_ start: Double) -> String {
        start >= 3600 ? "; if the file's times are timecode (e.g. starting at 01:00:00:00), give the programme's start time as the time offset" : ""
    }

    /// Sorts by start (then end, then file order), clamps or rejects overlaps within one talker,
    /// and numbers the words.
    static func finish(_ input: [ParsedWord], source: WordTimings.Source, file: String,
                       overlapHint: String = "") throws -> WordTimings {
        let sorted = input.enumerated().sorted { a, b in
            if a.element.startSeconds != b.element.startSeconds { return a.element.startSeconds < b.element.startSeconds }
            if a.element.endSeconds != b.element.endSeconds { return a.element.endSeconds < b.element.endSeconds }
            return a.offset < b.offset
        }.map(\.element)
        var words: [ParsedWord] = []
        words.reserveCapacity(sorted.count)
        // For each talker, the word that ends last so far.
        var latestByTalker: [String: Int] = [:]
        for word in sorted {
            let talker = word.speaker ?? ""
            if let k = latestByTalker[talker], word.startSeconds < words[k].endSeconds - epsilon {
                let previous = words[k]
                let overlap = previous.endSeconds - word.startSeconds
                let clampable = overlap <= overlapToleranceSeconds + epsilon
                    && previous.endSeconds <= word.endSeconds
                    && word.startSeconds - previous.startSeconds > epsilon
                if clampable {
                    words[k].endSeconds = word.startSeconds
                } else {
                    throw EarshotError.badInput(
                        file: file, location: "line \(word.line)",
                        "word \(TimeText.quoted(word.text)) (\(span(word))) overlaps word \(TimeText.quoted(previous.text)) at line \(previous.line) (\(span(previous))) by \(String(format: "%.3f", overlap)) s; words of one talker must not overlap by more than \(Int(overlapToleranceSeconds * 1000)) ms" + overlapHint)
                }
            }
            words.append(word)
            let k = words.count - 1
            if let j = latestByTalker[talker], words[j].endSeconds > word.endSeconds { continue }
            latestByTalker[talker] = k
        }
        let timings = words.enumerated().map { i, w in
            WordTiming(index: i, text: w.text, startSeconds: w.startSeconds, endSeconds: w.endSeconds,
                       estimated: w.estimated, speaker: w.speaker, sourceLine: w.line)
        }
        return WordTimings(words: timings, source: source, file: file, estimated: timings.contains { $0.estimated })
    }

    private static func span(_ w: ParsedWord) -> String {
        String(format: "%.3f–%.3f s", w.startSeconds, w.endSeconds)
    }
}

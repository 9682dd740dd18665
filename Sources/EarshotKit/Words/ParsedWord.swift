import Foundation

/// A word as a parser read it, before the checks against the programme.
struct ParsedWord: Equatable {
    var text: String
    var startSeconds: Double
    var endSeconds: Double
    var line: Int
    var estimated: Bool = false
    var speaker: String? = nil
}

/// A subtitle cue (or a WhisperX segment without word times) whose text still has to be split
/// into words and placed in time.
struct LineCue: Equatable {
    var words: [String]
    var startSeconds: Double
    var endSeconds: Double
    var line: Int
    var speaker: String? = nil
}

/// What a parser found in a timing file: aligned words, line-level cues, or both.
struct ParsedTimings {
    var words: [ParsedWord] = []
    var lineCues: [LineCue] = []
    var source: WordTimings.Source
}

/// Times in messages: seconds and the same time as HH:MM:SS.mmm, which is how mixers read them.
enum TimeText {
    static func seconds(_ t: Double) -> String {
        guard t.isFinite else { return "\(t) s" }
        let s = String(format: "%.3f s", t)
        guard t >= 0, t < 1e9 else { return s }
        let ms = Int((t * 1000).rounded())
        return s + String(format: " (%02d:%02d:%02d.%03d)", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
    }

    static func quoted(_ word: String) -> String {
        let short = word.count > 40 ? String(word.prefix(40)) + "…" : word
        return "'\(short)'"
    }
}

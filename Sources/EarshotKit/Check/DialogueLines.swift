/// Lines of dialogue: consecutive words of one talker. A line ends at a pause of
/// `maximumGapSeconds` (0.6 s by default: a breath stays inside a line), at a change of talker,
/// or after a word ending a sentence (. ? !) followed by a pause of at least 0.25 s.
public struct DialogueLine: Sendable, Equatable {
    public var index: Int
    public var startSeconds: Double
    public var endSeconds: Double
    public var text: String
    public var wordIndices: ClosedRange<Int>

    public static func group(_ words: [WordTiming], maximumGapSeconds: Double = 0.6) -> [DialogueLine] {
        var lines: [DialogueLine] = []
        for (position, word) in words.enumerated() {
            let previous = position > 0 ? words[position - 1] : nil
            let gap = word.startSeconds - (previous?.endSeconds ?? -1e9)
            let sentenceEnd = previous.map { w in [".", "?", "!"].contains { w.text.hasSuffix($0) } } ?? false
            let continues = previous != nil && gap < maximumGapSeconds && previous?.speaker == word.speaker && !(sentenceEnd && gap >= 0.25)
            if continues, var last = lines.last {
                last.endSeconds = max(last.endSeconds, word.endSeconds)
                last.text += " " + word.text
                last.wordIndices = last.wordIndices.lowerBound...position
                lines[lines.count - 1] = last
            } else {
                lines.append(DialogueLine(index: lines.count, startSeconds: word.startSeconds, endSeconds: word.endSeconds,
                                          text: word.text, wordIndices: position...position))
            }
        }
        return lines
    }
}

/// Lines of dialogue: consecutive words with gaps under `maximumGapSeconds` (0.6 s by
/// default: a breath inside a line, a pause between lines).
public struct DialogueLine: Sendable, Equatable {
    public var index: Int
    public var startSeconds: Double
    public var endSeconds: Double
    public var text: String
    public var wordIndices: ClosedRange<Int>

    public static func group(_ words: [WordTiming], maximumGapSeconds: Double = 0.6) -> [DialogueLine] {
        var lines: [DialogueLine] = []
        for (position, word) in words.enumerated() {
            if var last = lines.last, word.startSeconds - last.endSeconds < maximumGapSeconds {
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

import Foundation
@testable import EarshotKit

/// Signals of the live monitor's tests, shared by the engine tests (no server) and the tests
/// through a private PulseAudio server.
enum MonitorScenes {
    static func longestZeroRun(_ x: [Float], _ range: Range<Int>) -> Int {
        var longest = 0, run = 0
        for i in range where i < x.count { run = x[i] == 0 ? run + 1 : 0; longest = max(longest, run) }
        return longest
    }

    /// Two lines of the synthetic talker, the first under speech-shaped M&E noise 10 dB above
    /// it, the second clean: the four channels of a dialogue + M&E source (planar), and the
    /// lines' times.
    static func meterScene() -> (channels: [[Float]], lines: [ClosedRange<Double>]) {
        let rate = AudioSource.processingRate
        typealias W = SyntheticTalker.Word
        let words: [W] = [W("where", nil, [.e]), W("were", nil, [.o]), W("you", nil, [.u]), W("last", nil, [.a], .s),
                          W("night", nil, [.a, .i], .t), W("told", .t, [.o])]
        let lineSeconds = words.reduce(0) { $0 + $1.seconds + 0.07 }
        let first = 1.5, second = first + lineSeconds + 2.0, seconds = second + lineSeconds + 1.5
        let placed = SyntheticTalker.layout([(first, words), (second, words)])
        var dialogue = SyntheticTalker.render(placed, seconds: seconds)
        let speechRMS = SpeechInNoise.rms(dialogue[Int(first * Double(rate))..<Int((first + lineSeconds) * Double(rate))])
        dialogue = dialogue.map { $0 / speechRMS * 0.05 }
        let noise = SpeechInNoise(id: "meter", speech: dialogue, words: [], sentences: []).masker(.stationary, seed: 3)
        var me = [Float](repeating: 0, count: dialogue.count)
        for i in Int((first - 0.5) * Double(rate))..<Int((first + lineSeconds + 0.5) * Double(rate)) { me[i] = noise[i] * 0.05 * Float(pow(10, 10.0 / 20)) }
        return ([dialogue, dialogue, me, me], [first...(first + lineSeconds), second...(second + lineSeconds)])
    }
}

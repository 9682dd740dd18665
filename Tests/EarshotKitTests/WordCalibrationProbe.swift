import XCTest
@testable import EarshotKit

final class WordCalibrationProbe: XCTestCase {
    func testProbe() throws {
        print("index50", WordTransferFunction.wordsInSentences.index50, "spread", WordTransferFunction.wordsInSentences.spread)
        for (name, s) in [("natural", try SpeechInNoise.natural()), ("synthetic", SpeechInNoise.synthetic())] {
            print(name, "words", s.words.count)
            for m in SpeechInNoise.Masker.allCases {
                var line = "\(name) \(m.rawValue):"
                for snr in stride(from: 9.0, through: -30, by: -3) {
                    line += String(format: " %.0f:%.2f", snr, try s.flaggedFraction(masker: m, snrDB: snr))
                }
                print(line)
            }
        }
    }
}

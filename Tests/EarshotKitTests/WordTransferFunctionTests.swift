import XCTest
@testable import EarshotKit

/// The transfer function reproduces the published psychometric function it is anchored on, and
/// the word index reduces to the ANSI S3.5 SII when nothing fluctuates.
final class WordTransferFunctionTests: XCTestCase {
    /// In stationary speech-shaped noise, heardProbability against SNR follows the OLSA
    /// word-scored psychometric function: p = 1/(1 + exp(4·0.171·(−7.1 − SNR))) (Wagener, Brand &
    /// Kollmeier 1999; the logistic form of Kollmeier et al. 2015).
    func testStationaryNoiseFollowsTheOLSAPsychometricFunction() {
        let transfer = WordTransferFunction.wordsInSentences
        for snr in stride(from: -16.0, through: 2, by: 1) {
            let olsa = 1 / (1 + exp(4 * 0.171 * (-7.1 - snr)))
            let model = transfer.heardProbability(index: WordTransferFunction.stationaryIndex(snrDB: snr))
            XCTAssertEqual(model, olsa, accuracy: 0.03, "at \(snr) dB SNR")
        }
        XCTAssertEqual(transfer.heardProbability(index: WordTransferFunction.stationaryIndex(snrDB: -7.1)), 0.5, accuracy: 1e-9)
        // ANSI S3.5 spreads audibility over 30 dB: the index rises about 1/30 per dB there.
        XCTAssertEqual(transfer.spread * 4 * 0.171 * 30, 1, accuracy: 0.1)
    }

    /// With the speech and the noise steady, every frame gives the same SII, so the word index
    /// is the ANSI S3.5 SII of the two spectra.
    func testSteadySpeechAndNoiseGiveTheANSISII() throws {
        let speechDB = SIIBandTable.oneThirdOctave.speechSpectrumLevelNormalDB
        let widths = SIIBandTable.oneThirdOctave.bandwidthLevelsDB
        let speech = zip(speechDB, widths).map { 4e-10 * pow(10, ($0 + $1) / 10) }
        let noise = speech.map { $0 * pow(10, 0.3) }   // 3 dB above the speech in every band
        let index = try WordIntelligibilityModel.index(speech: speech, maskerFrames: [[Double]](repeating: noise, count: 5))
        let ansi = try SpeechIntelligibilityIndex.compute(procedure: .oneThirdOctave, speechSpectrumLevelsDB: speechDB,
                                                          noiseSpectrumLevelsDB: speechDB.map { $0 + 3 }).value
        XCTAssertEqual(index, ansi, accuracy: 1e-6)
        XCTAssertEqual(index, WordTransferFunction.stationaryIndex(snrDB: -3), accuracy: 1e-6)
    }

    /// The speech is held at its long-term spectrum while the noise is framed (ESII): a word
    /// whose noise is silent half the time scores the mean of the clean and the noisy frame, and
    /// well above the same noise held steady at the same long-term level.
    func testGapsInTheNoiseRaiseTheIndexButLevelDipsInTheSpeechDoNot() throws {
        let speechDB = SIIBandTable.oneThirdOctave.speechSpectrumLevelNormalDB
        let widths = SIIBandTable.oneThirdOctave.bandwidthLevelsDB
        let speech = zip(speechDB, widths).map { 4e-10 * pow(10, ($0 + $1) / 10) }
        let loud = speech.map { $0 * pow(10, 1.0) }
        let silent = [Double](repeating: 0, count: 18)
        let gated = try WordIntelligibilityModel.index(speech: speech, maskerFrames: [loud, silent, loud, silent])
        let noisy = try WordIntelligibilityModel.index(speech: speech, maskerFrames: [loud])
        let clean = try WordIntelligibilityModel.index(speech: speech, maskerFrames: [silent])
        XCTAssertEqual(gated, (noisy + clean) / 2, accuracy: 1e-9)
        let steady = try WordIntelligibilityModel.index(speech: speech, maskerFrames: [speech.map { $0 * pow(10, 0.7) }])
        XCTAssertGreaterThan(gated, steady + 0.2)
    }
}

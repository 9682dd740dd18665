import XCTest
@testable import EarshotKit

/// Third-octave band levels by FFT power summation, and the SII from at-ear band levels.
final class ThirdOctaveBandLevelsTests: XCTestCase {
    /// Deterministic Gaussian noise (SplitMix64 + Box-Muller).
    struct Noise {
        var state: UInt64
        mutating func uniform() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return (Double(z >> 11) + 0.5) / Double(1 << 53)
        }
        mutating func gaussian(count: Int, sigma: Double) -> [Float] {
            (0..<count).map { _ in
                Float(sigma * sqrt(-2 * log(uniform())) * cos(2 * Double.pi * uniform()))
            }
        }
    }

    func sine(frequencyHz: Double, amplitudePa: Double, seconds: Double, sampleRate: Double) -> [Float] {
        (0..<Int(seconds * sampleRate)).map {
            Float(amplitudePa * sin(2 * Double.pi * frequencyHz * Double($0) / sampleRate + 0.3))
        }
    }

    /// A 1 Pa-peak 1 kHz sine is 90.97 dB SPL: all of it in the 1 kHz band (±0.05 dB), the
    /// neighbouring bands at least 60 dB down. Also for a signal shorter than one frame (±0.2 dB).
    func testSineLandsInItsBandAtItsLevel() throws {
        let analyzer = try ThirdOctaveBandAnalyzer(sampleRate: 48000)
        XCTAssertEqual(analyzer.frameLength, 8192)
        let expected = 20 * log10((1 / 2.0.squareRoot()) / 20e-6)
        let k = try XCTUnwrap(ThirdOctaveBand.siiBands.firstIndex { $0.nominalCenterHz == 1000 })
        let levels = try analyzer.bandLevelsDBSPL(pressurePa: sine(frequencyHz: 1000, amplitudePa: 1, seconds: 1, sampleRate: 48000))
        XCTAssertEqual(levels[k], expected, accuracy: 0.05)
        XCTAssertLessThan(levels[k - 1], expected - 60)
        XCTAssertLessThan(levels[k + 1], expected - 60)
        let short = try analyzer.bandLevelsDBSPL(pressurePa: sine(frequencyHz: 1000, amplitudePa: 1, seconds: 0.1, sampleRate: 48000))
        XCTAssertEqual(short[k], expected, accuracy: 0.2)
    }

    /// White noise of variance σ² has a flat one-sided PSD of σ²/(fs/2): each band's level is
    /// 10·log10(σ²·B/(fs/2)/p0²). 20 s at 44.1 kHz; ±0.5 dB per band (the 160 Hz band has a
    /// bandwidth-time product of about 730, a standard error near 0.16 dB), and the band powers
    /// add up to the noise's share in 141 Hz-8.9 kHz within 1 %.
    func testWhiteNoiseBandLevelsFollowBandwidth() throws {
        let fs = 44100.0, sigma = 0.2
        var noise = Noise(state: 7)
        let x = noise.gaussian(count: Int(20 * fs), sigma: sigma)
        let variance = x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(x.count)
        let analyzer = try ThirdOctaveBandAnalyzer(sampleRate: fs)
        let meanSquares = try analyzer.bandMeanSquares(pressurePa: x)
        for (i, band) in analyzer.bands.enumerated() {
            let expected = 10 * log10(variance * band.bandwidthHz / (fs / 2) / 4e-10)
            XCTAssertEqual(ThirdOctaveBandAnalyzer.levelDBSPL(meanSquarePa2: meanSquares[i]), expected,
                           accuracy: 0.5, "\(band.nominalCenterHz) Hz")
        }
        let covered = analyzer.bands.last!.upperEdgeHz - analyzer.bands.first!.lowerEdgeHz
        XCTAssertEqual(meanSquares.reduce(0, +), variance * covered / (fs / 2), accuracy: 0.01 * variance * covered / (fs / 2))
    }

    func testSampleRateTooLowForTheTopBandIsRejected() {
        XCTAssertThrowsError(try ThirdOctaveBandAnalyzer(sampleRate: 16000)) { error in
            XCTAssertEqual("\(error)", "sample rate: 16000 Hz cannot measure bands up to 8913 Hz; at least 17826 Hz is needed (resample to 48 kHz)")
        }
        XCTAssertThrowsError(try ThirdOctaveBandAnalyzer(sampleRate: 48000).bandLevelsDBSPL(pressurePa: []))
    }

    /// The band-level entry point is the spectrum-level procedure after subtracting Table 3's Δ_i:
    /// the TO developer-kit case given as band levels gives the same SII (1e-12).
    func testBandLevelEntryPointSubtractsBandwidth() throws {
        let speech: [Double] = [90, 5, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, -10, -10, -10, -10]
        let noise: [Double] = [10, -10, -10, 75, -10, -10, -10, -10, -10, -10, -10, -10, -10, -10, 10, 10, 10, 10]
        let threshold: [Double] = [90] + [Double](repeating: 0, count: 17)
        let delta = SIIBandTable.oneThirdOctave.bandwidthAdjustmentsDB!
        let fromBands = try SpeechIntelligibilityIndex.fromThirdOctaveBandLevels(
            speechBandLevelsDBSPL: zip(speech, delta).map { $0 + $1 },
            noiseBandLevelsDBSPL: zip(noise, delta).map { $0 + $1 }, hearingThresholdsDBHL: threshold)
        let fromSpectra = try SpeechIntelligibilityIndex.compute(
            procedure: .oneThirdOctave, speechSpectrumLevelsDB: speech, noiseSpectrumLevelsDB: noise,
            hearingThresholdsDBHL: threshold)
        XCTAssertEqual(fromBands.value, fromSpectra.value, accuracy: 1e-12)
        XCTAssertEqual(fromBands.value, 0.445, accuracy: 0.0005)
        XCTAssertEqual(fromBands.bands.map(\.contribution).reduce(0, +), fromBands.value, accuracy: 1e-12)
        XCTAssertThrowsError(try SpeechIntelligibilityIndex.fromThirdOctaveBandLevels(
            speechBandLevelsDBSPL: speech, noiseBandLevelsDBSPL: Array(noise.dropLast()))) { error in
            XCTAssertEqual("\(error)", "noise band level: the one-third octave band procedure needs 18 values (one per band), 17 were given")
        }
    }

    /// End to end from pressure signals: "speech" is one sine per band at the standard normal
    /// speech band level (U_i + Δ_i), the noise is white at 20 dB/Hz. Measured band levels give
    /// the SII of the stated spectra within 0.01.
    func testSIIFromSignalsMatchesSIIFromTheirSpectra() throws {
        let fs = 48000.0, seconds = 4.0
        let table = SIIBandTable.oneThirdOctave
        let speechBandDB = zip(table.speechSpectrumLevelNormalDB, table.bandwidthAdjustmentsDB!).map { $0 + $1 }
        var speech = [Float](repeating: 0, count: Int(seconds * fs))
        for (i, band) in ThirdOctaveBand.siiBands.enumerated() {
            let amplitude = 20e-6 * pow(10, speechBandDB[i] / 20) * 2.0.squareRoot()
            let s = sine(frequencyHz: band.exactCenterHz, amplitudePa: amplitude, seconds: seconds, sampleRate: fs)
            for n in 0..<speech.count { speech[n] += s[n] }
        }
        let noiseSpectrumDB = 20.0
        var rng = Noise(state: 11)
        let noise = rng.gaussian(count: speech.count, sigma: (4e-10 * pow(10, noiseSpectrumDB / 10) * fs / 2).squareRoot())

        let analyzer = try ThirdOctaveBandAnalyzer(sampleRate: fs)
        let measuredSpeech = try analyzer.bandLevelsDBSPL(pressurePa: speech)
        for i in 0..<18 { XCTAssertEqual(measuredSpeech[i], speechBandDB[i], accuracy: 0.1) }
        let fromSignals = try SpeechIntelligibilityIndex.fromThirdOctaveBandLevels(
            speechBandLevelsDBSPL: measuredSpeech,
            noiseBandLevelsDBSPL: try analyzer.bandLevelsDBSPL(pressurePa: noise))
        let fromSpectra = try SpeechIntelligibilityIndex.compute(
            procedure: .oneThirdOctave, speechSpectrumLevelsDB: table.speechSpectrumLevelNormalDB,
            noiseSpectrumLevelsDB: [Double](repeating: noiseSpectrumDB, count: 18))
        XCTAssertEqual(fromSignals.value, fromSpectra.value, accuracy: 0.01)
        XCTAssertGreaterThan(fromSpectra.value, 0.1)
        XCTAssertLessThan(fromSpectra.value, 0.9)
    }

    func testEardrumLevelsConvertToFreeField() throws {
        let eardrum = [Double](repeating: 60, count: 18)
        let free = try SpeechIntelligibilityIndex.freeFieldLevels(fromEardrumBandLevelsDB: eardrum)
        XCTAssertEqual(free[12], 60 - 16.8)   // 2.5 kHz: the ear-canal resonance, Table 3
        XCTAssertEqual(free[0], 60)
    }
}

import Foundation
import XCTest
@testable import EarshotKit

/// STOI/ESTOI against pystoi 0.4.1 goldens (Fixtures/stoi/goldens.json, made by
/// Scripts/stoi_goldens.py).
///
/// Tolerances: pairs at 10 kHz need no resampling and must agree within 1e-4 (absolute);
/// pairs at other rates are resampled with libsoxr instead of pystoi's filter and must agree
/// within 5e-3 (absolute, the torchmetrics tolerance for the same comparison).
final class STOITests: XCTestCase {
    static let tightTolerance = 1e-4
    static let resampledTolerance = 5e-3

    struct Goldens: Decodable {
        struct Noise: Decodable {
            var kind: String
            var snrDB: Double
            var seed: UInt64
            var gain: Double
            var poleCoefficients: [Double]
            var firstSamples: [Double]
            var degradedSumOfSquares: Double
        }
        struct Pair: Decodable {
            var id: String
            var reference: String
            var degraded: String?
            var sampleRate: Int
            var truncateTo: Int?
            var zeroRange: [Int]?
            var noise: Noise?
            var samples: Int
            var stoi: Double
            var estoi: Double
            var estoiSeedStd: Double?
            var speechActiveFrames10k: Int
            var analysedFrames10k: Int
        }
        var bandBins: [[Int]]
        var pairs: [Pair]
    }

    static func fixturePath(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: "Fixtures/stoi/" + name, withExtension: nil) else {
            throw EarshotError.badInput(file: name, "test fixture missing")
        }
        return url.path
    }

    static func loadGoldens() throws -> Goldens {
        let data = try Data(contentsOf: URL(fileURLWithPath: try fixturePath("goldens.json")))
        return try JSONDecoder().decode(Goldens.self, from: data)
    }

    /// The seeded noise of Scripts/stoi_goldens.py: splitmix64 uniforms, 12 summed per sample
    /// minus 6, optionally through one-pole low-pass sections y = (1 − a)·x + a·y[n−1].
    static func noise(seed: UInt64, count: Int, poles: [Double]) -> [Double] {
        var state = seed
        func uniform() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z = z ^ (z >> 31)
            return Double(z >> 11) * 0x1p-53
        }
        var out = [Double](repeating: 0, count: count)
        for i in 0..<count {
            var acc = uniform()
            for _ in 1..<12 { acc = acc + uniform() }
            out[i] = acc - 6.0
        }
        for a in poles {
            var previous = 0.0
            let b = 1.0 - a
            for i in 0..<count {
                previous = b * out[i] + a * previous
                out[i] = previous
            }
        }
        return out
    }

    static func signals(for pair: Goldens.Pair) throws -> (reference: [Float], degraded: [Float], rate: Int) {
        var (x, rate) = try AudioFile.readMono(path: fixturePath(pair.reference))
        var y: [Float]
        if let noise = pair.noise {
            let n = Self.noise(seed: noise.seed, count: x.count, poles: noise.poleCoefficients)
            XCTAssertEqual(Array(n.prefix(4)), noise.firstSamples, "\(pair.id): noise generator differs from the script")
            y = (0..<x.count).map { Float(Double(x[$0]) + noise.gain * n[$0]) }
            let sumSquares = y.reduce(0.0) { $0 + Double($1) * Double($1) }
            XCTAssertEqual(sumSquares, noise.degradedSumOfSquares, accuracy: 1e-9 * noise.degradedSumOfSquares, pair.id)
        } else {
            let (d, degradedRate) = try AudioFile.readMono(path: fixturePath(pair.degraded!))
            XCTAssertEqual(degradedRate, rate)
            y = d
        }
        if let n = pair.truncateTo {
            x = Array(x.prefix(n)); y = Array(y.prefix(n))
        }
        if let range = pair.zeroRange {
            for i in range[0]..<range[1] { y[i] = 0 }
        }
        XCTAssertEqual(x.count, pair.samples, pair.id)
        return (x, y, rate)
    }

    func testBandMatrixMatchesReferenceCode() throws {
        let goldens = try Self.loadGoldens()
        let ours = ThirdOctaveBandMatrix.stoi.binRanges.map { [$0.lowerBound, $0.upperBound] }
        XCTAssertEqual(ours, goldens.bandBins)
        XCTAssertEqual(ThirdOctaveBandMatrix.stoi.centreFrequenciesHz.last!, 150 * pow(2, 14.0 / 3), accuracy: 1e-9)
    }

    func testFramingDropsAFrameThatWouldEndOnTheLastSample() {
        // Frames start at 0, 128, ... strictly before count − 256 (pystoi's range()).
        XCTAssertEqual(SilentFrameRemoval.frameCount(samples: 256), 0)
        XCTAssertEqual(SilentFrameRemoval.frameCount(samples: 257), 1)
        XCTAssertEqual(SilentFrameRemoval.frameCount(samples: 384), 1)
        XCTAssertEqual(SilentFrameRemoval.frameCount(samples: 385), 2)
        // K kept frames overlap-add to (K − 1)·128 + 256 samples, which give K − 1 STFT frames.
        let x = (0..<(40 * 128 + 256)).map { Float(sin(Double($0) * 0.3)) }
        let removal = SilentFrameRemoval(reference: x)
        XCTAssertEqual(removal.keptFrames.count, 40)
        XCTAssertEqual(removal.overlapAdd(x).count, 39 * 128 + 256)
        XCTAssertEqual(ThirdOctaveEnvelopes(signal: removal.overlapAdd(x), fft: RealFFT(size: 512)).frameCount, 39)
    }

    func testWindowIsMatlabHanning256() {
        let w = STOIConstants.windowCoefficients
        XCTAssertEqual(w.count, 256)
        XCTAssertEqual(w[0], 0.5 - 0.5 * cos(2 * Double.pi / 257), accuracy: 1e-15)
        XCTAssertEqual(w[0], w[255], accuracy: 1e-15)
        XCTAssertGreaterThan(w[0], 0)
    }

    func testEveryGoldenPairAgreesWithPystoi() throws {
        let goldens = try Self.loadGoldens()
        XCTAssertGreaterThanOrEqual(goldens.pairs.count, 10)
        var worst: [Int: (stoi: Double, estoi: Double)] = [:]
        for pair in goldens.pairs {
            let (x, y, rate) = try Self.signals(for: pair)
            XCTAssertEqual(rate, pair.sampleRate)
            let scores = try STOI.computeBoth(reference: x, degraded: y, sampleRate: rate)
            let tolerance = rate == STOI.analysisSampleRateHz ? Self.tightTolerance : Self.resampledTolerance
            XCTAssertEqual(scores.stoi.value, pair.stoi, accuracy: tolerance, "\(pair.id) STOI")
            // Where the degraded signal has all-zero envelope rows (a dropout), pystoi's ESTOI
            // depends on its random noise: the golden is its mean over seeds, and the allowed
            // difference grows to four standard deviations of that spread.
            let estoiTolerance = max(tolerance, 4 * (pair.estoiSeedStd ?? 0))
            XCTAssertEqual(scores.estoi.value, pair.estoi, accuracy: estoiTolerance, "\(pair.id) ESTOI")
            if rate == STOI.analysisSampleRateHz {
                XCTAssertEqual(scores.stoi.speechActiveFrames, pair.speechActiveFrames10k, pair.id)
                XCTAssertEqual(scores.stoi.analysedFrames, pair.analysedFrames10k, pair.id)
            }
            if pair.estoiSeedStd != nil {
                print(String(format: "STOI %@: ESTOI %.6f, pystoi mean %.6f ± %.6f", pair.id, scores.estoi.value, pair.estoi, pair.estoiSeedStd!))
                continue
            }
            let w = worst[rate] ?? (0, 0)
            worst[rate] = (max(w.stoi, abs(scores.stoi.value - pair.stoi)), max(w.estoi, abs(scores.estoi.value - pair.estoi)))
            // compute(extended:) gives the same numbers as computeBoth.
            if pair.id.hasPrefix("white-0dB") {
                let single = try STOI.compute(reference: x, degraded: y, sampleRate: rate, extended: true)
                XCTAssertEqual(single, scores.estoi)
            }
        }
        for (rate, w) in worst.sorted(by: { $0.key < $1.key }) {
            print(String(format: "STOI goldens at %d Hz: max |Δ| STOI %.2e, ESTOI %.2e", rate, w.stoi, w.estoi))
        }
    }

    func testTorchmetricsPublishedValue() throws {
        let (x, _) = try AudioFile.readMono(path: Self.fixturePath("torchmetrics-audio_speech.wav"))
        let (y, rate) = try AudioFile.readMono(path: Self.fixturePath("torchmetrics-audio_speech_bab_0dB.wav"))
        let result = try STOI.compute(reference: x, degraded: y, sampleRate: rate)
        // torchmetrics test_on_real_audio: 0.6739177, rtol 1e-2, atol 5e-3.
        XCTAssertEqual(result.value, 0.6739177895331303, accuracy: 5e-3)
        XCTAssertFalse(result.extended)
    }

    func testIdentityIsOne() throws {
        for name in ["speech-10k.wav", "pystoi-clean.wav", "speech-48k.wav"] {
            let (x, rate) = try AudioFile.readMono(path: Self.fixturePath(name))
            let scores = try STOI.computeBoth(reference: x, degraded: x, sampleRate: rate)
            XCTAssertEqual(scores.stoi.value, 1, accuracy: 1e-12, name)
            XCTAssertEqual(scores.estoi.value, 1, accuracy: 1e-12, name)
        }
    }

    func testLevelOfDegradedSignalDoesNotMatter() throws {
        let (x, _) = try AudioFile.readMono(path: Self.fixturePath("speech-10k.wav"))
        let (y, rate) = try AudioFile.readMono(path: Self.fixturePath("babble-0dB-10k.wav"))
        let a = try STOI.computeBoth(reference: x, degraded: y, sampleRate: rate)
        let b = try STOI.computeBoth(reference: x, degraded: y.map { $0 * 0.125 }, sampleRate: rate)
        XCTAssertEqual(a.stoi.value, b.stoi.value, accuracy: 1e-9)
        XCTAssertEqual(a.estoi.value, b.estoi.value, accuracy: 1e-9)
    }

    func testSilentDegradedScoresZero() throws {
        let (x, rate) = try AudioFile.readMono(path: Self.fixturePath("speech-10k.wav"))
        let silence = [Float](repeating: 0, count: x.count)
        let scores = try STOI.computeBoth(reference: x, degraded: silence, sampleRate: rate)
        XCTAssertEqual(scores.stoi.value, 0, accuracy: 1e-12)
        XCTAssertEqual(scores.estoi.value, 0, accuracy: 1e-12)
    }

    func testDifferentLengthsAreRejectedWithBothLengths() throws {
        let x = [Float](repeating: 0.1, count: 20000), y = [Float](repeating: 0.1, count: 19000)
        XCTAssertThrowsError(try STOI.compute(reference: x, degraded: y, sampleRate: 10000,
                                              referenceName: "dlg.wav", degradedName: "mix.wav")) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("20000") && message.contains("19000"), message)
            XCTAssertTrue(message.contains("dlg.wav") && message.contains("mix.wav"), message)
            XCTAssertEqual((error as? EarshotError)?.kind, .badInput)
        }
    }

    func testSilentReferenceIsRejected() throws {
        let x = [Float](repeating: 0, count: 30000), y = (0..<30000).map { Float(sin(Double($0))) }
        XCTAssertThrowsError(try STOI.compute(reference: x, degraded: y, sampleRate: 10000)) { error in
            XCTAssertTrue("\(error)".contains("silent"), "\(error)")
        }
    }

    func testTooLittleSpeechIsRejectedInsteadOfReturningPlaceholder() throws {
        // 0.25 s of speech in 3 s of digital silence: about 20 speech-active frames, fewer than
        // one 30-frame segment. pystoi returns 1e-5 here; Earshot says why it cannot score it.
        let (speech, rate) = try AudioFile.readMono(path: Self.fixturePath("speech-10k.wav"))
        var x = [Float](repeating: 0, count: 30000)
        for i in 0..<2500 { x[10000 + i] = speech[5000 + i] }
        XCTAssertThrowsError(try STOI.compute(reference: x, degraded: x, sampleRate: rate, referenceName: "short.wav")) { error in
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix("short.wav: "), message)
            XCTAssertTrue(message.contains("speech-active frames"), message)
            XCTAssertTrue(message.contains("at least 30"), message)
        }
        // Shorter than a single frame.
        XCTAssertThrowsError(try STOI.compute(reference: Array(speech.prefix(200)), degraded: Array(speech.prefix(200)),
                                              sampleRate: rate)) { error in
            XCTAssertTrue("\(error)".contains("s long"), "\(error)")
        }
    }

    func testNonFiniteSamplesAndBadRateAreRejected() throws {
        var y = [Float](repeating: 0.1, count: 20000)
        y[1234] = .nan
        XCTAssertThrowsError(try STOI.compute(reference: y.map { _ in 0.1 }, degraded: y, sampleRate: 10000)) { error in
            XCTAssertTrue("\(error)".contains("sample 1234"), "\(error)")
        }
        XCTAssertThrowsError(try STOI.compute(reference: [0.1], degraded: [0.1], sampleRate: 0))
        // At 48 kHz the search runs on the resampled signal: a NaN or infinity anywhere, even in
        // the first or last sample, is still found and named.
        let clean = (0..<48000).map { Float(0.3 * sin(Double($0) * 0.05)) }
        for (index, value) in [(0, Float.nan), (20_001, .infinity), (47_999, -.infinity), (47_998, .nan)] {
            var bad = clean
            bad[index] = value
            XCTAssertThrowsError(try STOI.compute(reference: clean, degraded: bad, sampleRate: 48000)) { error in
                XCTAssertTrue("\(error)".contains("sample \(index)"), "\(error)")
            }
            XCTAssertThrowsError(try STOI.compute(reference: bad, degraded: clean, sampleRate: 48000, referenceName: "ref.wav")) { error in
                XCTAssertTrue("\(error)".contains("ref.wav") && "\(error)".contains("sample \(index)"), "\(error)")
            }
        }
    }
}

import Foundation
import XCTest
@testable import EarshotKit

/// `StreamingSTOI` (what `earshot check` uses, in memory that does not grow with the programme)
/// gives the numbers of the whole-signal `STOI.computeBoth`, which is checked against pystoi
/// (STOITests). Tolerance 1e-9 absolute: the same per-segment arithmetic, summed in another
/// order.
final class StreamingSTOITests: XCTestCase {
    static let tolerance = 1e-9

    /// Feeds both signals in pieces of seeded random length, the degraded one lagging behind
    /// by `lag` samples of input as a renderer's output does.
    static func streamed(reference x: [Float], degraded y: [Float], seed: UInt64, lag: Int) throws -> STOIScores {
        var scan = SilentFrameRemoval.Scan()
        var random = SeededRandom(seed: seed)
        var position = 0
        while position < x.count {
            let n = min(x.count - position, 1 + Int(random.next() % 3000))
            scan.append(Array(x[position..<position + n]))
            position += n
        }
        let stoi = StreamingSTOI(activity: scan.finish())
        var fedReference = 0, fedDegraded = 0
        while fedReference < x.count || fedDegraded < y.count {
            let n = min(x.count - fedReference, 1 + Int(random.next() % 5000))
            stoi.append(reference: Array(x[fedReference..<fedReference + n]))
            fedReference += n
            let upTo = fedReference == x.count ? y.count : max(0, min(y.count, fedReference - lag))
            if upTo > fedDegraded {
                stoi.append(degraded: Array(y[fedDegraded..<upTo]))
                fedDegraded = upTo
            }
        }
        return try stoi.finish(referenceName: "reference")
    }

    func testEveryTenKilohertzGoldenPairMatchesTheWholeSignalComputation() throws {
        let goldens = try STOITests.loadGoldens()
        var checked = 0
        for pair in goldens.pairs where pair.sampleRate == STOI.analysisSampleRateHz {
            let (x, y, rate) = try STOITests.signals(for: pair)
            let whole = try STOI.computeBoth(reference: x, degraded: y, sampleRate: rate)
            let streamed = try Self.streamed(reference: x, degraded: y, seed: UInt64(checked + 1), lag: 700)
            XCTAssertEqual(streamed.stoi.value, whole.stoi.value, accuracy: Self.tolerance, "\(pair.id) STOI")
            XCTAssertEqual(streamed.estoi.value, whole.estoi.value, accuracy: Self.tolerance, "\(pair.id) ESTOI")
            XCTAssertEqual(streamed.stoi.segments, whole.stoi.segments, pair.id)
            XCTAssertEqual(streamed.stoi.speechActiveFrames, whole.stoi.speechActiveFrames, pair.id)
            XCTAssertEqual(streamed.stoi.analysedFrames, whole.stoi.analysedFrames, pair.id)
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 5)
    }

    /// Longer than one correlation chunk (512 envelope frames, 6.6 s of speech), with pauses
    /// that silent-frame removal takes out: speech, silence, speech in noise, and so on.
    func testProgrammeLongerThanSeveralChunks() throws {
        let (speech, _) = try AudioFile.readMono(path: STOITests.fixturePath("speech-10k.wav"))
        var x: [Float] = [], y: [Float] = []
        var random = SeededRandom(seed: 11)
        for round in 0..<8 {
            let pause = [Float](repeating: 0, count: 2000 + 1500 * round)
            x += speech + pause
            let gain = Float(0.02 * Double(round))
            y += speech.map { $0 + gain * Float(random.nextGaussian()) } + pause.map { _ in 0.01 * Float(random.nextGaussian()) }
        }
        let whole = try STOI.computeBoth(reference: x, degraded: y, sampleRate: STOI.analysisSampleRateHz)
        XCTAssertGreaterThan(whole.stoi.segments, 3 * StreamingSTOI.chunkCapacity)
        for lag in [0, 128, 4321] {
            let streamed = try Self.streamed(reference: x, degraded: y, seed: UInt64(lag), lag: lag)
            XCTAssertEqual(streamed.stoi.value, whole.stoi.value, accuracy: Self.tolerance, "lag \(lag)")
            XCTAssertEqual(streamed.estoi.value, whole.estoi.value, accuracy: Self.tolerance, "lag \(lag)")
            XCTAssertEqual(streamed.stoi.segments, whole.stoi.segments)
        }
        print(String(format: "streamed STOI over %d segments: STOI %.6f, ESTOI %.6f, as the whole-signal computation", whole.stoi.segments, whole.stoi.value, whole.estoi.value))
    }

    func testTooLittleSpeechIsReportedAsTheWholeSignalComputationDoes() throws {
        let x = (0..<3000).map { Float(sin(Double($0) * 0.3)) }
        XCTAssertThrowsError(try STOI.computeBoth(reference: x, degraded: x, sampleRate: STOI.analysisSampleRateHz))
        XCTAssertThrowsError(try Self.streamed(reference: x, degraded: x, seed: 1, lag: 0)) { error in
            XCTAssertTrue("\(error)".contains("segment"), "\(error)")
        }
        let silent = [Float](repeating: 0, count: 20000)
        XCTAssertThrowsError(try Self.streamed(reference: silent, degraded: x + x, seed: 2, lag: 0)) { error in
            XCTAssertTrue("\(error)".contains("silent"), "\(error)")
        }
    }
}

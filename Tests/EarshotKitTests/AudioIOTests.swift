import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

final class AudioIOTests: XCTestCase {
    func temporaryDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "earshot-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    func testFloatWAVRoundTripsAndKeepsTimeReference() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/tone.wav"
        let x: [Float] = (0..<4800).map { Float(0.5 * sin(2 * Double.pi * 1000 * Double($0) / 48000)) }
        try AudioFile.write(path: path, channels: [x, x.map { -$0 }], sampleRate: 48000,
                            format: .float32, timeReferenceSamples: 3600 * 48000)
        let (channels, rate, info) = try AudioFile.readPlanar(path: path)
        XCTAssertEqual(rate, 48000)
        XCTAssertEqual(info.timeReferenceSeconds, 3600)
        XCTAssertEqual(channels[0], x)
        XCTAssertEqual(channels[1], x.map { -$0 })
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/.tone.wav.partial-\(ProcessInfo.processInfo.processIdentifier)"))
    }

    func testSurroundFoldsWithBS775Coefficients() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/surround.wav"
        let n = 100
        // L=0.1 R=0.2 C=0.3 LFE=0.9 Ls=0.4 Rs=0.5
        let values: [Float] = [0.1, 0.2, 0.3, 0.9, 0.4, 0.5]
        try AudioFile.write(path: path, channels: values.map { [Float](repeating: $0, count: n) }, sampleRate: 48000)
        let source = try AudioSource(path: path)
        let block = try source.read(n)
        XCTAssertEqual(block.left[10], 0.1 + 0.70710678 * 0.3 + 0.70710678 * 0.4, accuracy: 1e-6)
        XCTAssertEqual(block.right[10], 0.2 + 0.70710678 * 0.3 + 0.70710678 * 0.5, accuracy: 1e-6)
    }

    func testResamplingTo48kKeepsLengthAndTone() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/tone44.wav"
        let n = 44100
        let x: [Float] = (0..<n).map { Float(0.5 * sin(2 * Double.pi * 1000 * Double($0) / 44100)) }
        try AudioFile.write(path: path, channels: [x], sampleRate: 44100)
        let source = try AudioSource(path: path)
        XCTAssertEqual(source.frames, 48000)
        var total = 0
        var sumSquares = 0.0
        while true {
            let b = try source.read(1000)
            if b.frames == 0 { break }
            for i in 0..<b.frames where total + i > 2000 && total + i < 46000 { sumSquares += Double(b.left[i] * b.left[i]) }
            total += b.frames
        }
        XCTAssertEqual(total, 48000)
        XCTAssertEqual(sqrt(sumSquares / 44000), 0.5 / 2.0.squareRoot(), accuracy: 1e-3)
    }

    func testNaNSampleIsReportedWithFileAndSample() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/nan.wav"
        var x = [Float](repeating: 0.1, count: 1000)
        x[777] = .nan
        try AudioFile.write(path: path, channels: [x], sampleRate: 48000)
        XCTAssertThrowsError(try AudioFile.readPlanar(path: path)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains(path), message)
            XCTAssertTrue(message.contains("sample 777"), message)
        }
    }

    func testNonAudioAndEmptyFilesAreRejected() throws {
        let dir = try temporaryDirectory()
        let text = dir + "/notes.wav"
        try "not audio".write(toFile: text, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try AudioSource(path: text)) { XCTAssertTrue("\($0)".contains("not a readable audio file")) }
        let empty = dir + "/empty.wav"
        try AudioFile.write(path: empty, channels: [[]], sampleRate: 48000)
        XCTAssertThrowsError(try AudioSource(path: empty)) { XCTAssertTrue("\($0)".contains("no audio")) }
    }

    func testTruncatedFileIsReportedNotShortened() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/cut.wav"
        try AudioFile.write(path: path, channels: [TestSignals.sine(frequencyHz: 440, amplitude: 0.3, seconds: 1)], sampleRate: 48000)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(20_000).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try AudioSource(path: path)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains(path) && message.contains("truncated"), message)
        }
    }
}

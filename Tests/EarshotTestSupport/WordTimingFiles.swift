import XCTest
@testable import EarshotKit

/// Writes small timing files into a temporary folder that is removed after the test.
class WordTimingTestCase: XCTestCase {
    private(set) var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "earshot-words-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, bytes: Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let path = folder + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Reads `path` expecting a bad-input error; returns its one-line description.
    func readError(_ path: String, programmeSeconds: Double = 60, envelope: SpeechEnvelope? = nil,
                   file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            let timings = try WordTimingReader.read(path: path, programmeSeconds: programmeSeconds, dialogueEnvelope: envelope)
            XCTFail("expected an error, read \(timings.words.count) words", file: file, line: line)
            return ""
        } catch let error as EarshotError {
            XCTAssertEqual(error.kind, .badInput, file: file, line: line)
            XCTAssertEqual(error.file, path, file: file, line: line)
            return error.description
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
            return ""
        }
    }

    func texts(_ t: WordTimings) -> [String] { t.words.map(\.text) }
}

/// Synthetic "speech": Gaussian noise bursts at given times over a quiet floor.
enum SyntheticSpeech {
    struct Burst { var start: Double; var end: Double; var rms: Double = 0.1 }

    static func signal(seconds: Double, sampleRate: Int, bursts: [Burst], floorRMS: Double = 0.0003,
                       seed: UInt64 = 7) -> [Float] {
        var random = SeededRandom(seed: seed)
        let n = Int(seconds * Double(sampleRate))
        var x = [Float](repeating: 0, count: n)
        for i in 0..<n {
            let t = Double(i) / Double(sampleRate)
            var rms = floorRMS
            for b in bursts where t >= b.start && t < b.end { rms = b.rms }
            x[i] = Float(rms * random.nextGaussian())
        }
        return x
    }
}

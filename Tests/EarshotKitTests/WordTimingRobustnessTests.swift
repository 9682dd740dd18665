import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// The committed examples read as documented, and damaged timing files never crash the reader:
/// they read as valid timings or fail with a bad-input error naming the file.
final class WordTimingRobustnessTests: WordTimingTestCase {
    static let examples = ["example-mfa.TextGrid", "example-whisperx.json", "example-words.vtt", "example-lines.srt"]

    func examplePath(_ name: String) throws -> String {
        try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/words/" + name, withExtension: nil)).path
    }

    func testCommittedExamples() throws {
        let grid = try WordTimingReader.read(path: try examplePath("example-mfa.TextGrid"), programmeSeconds: 2.6, dialogueEnvelope: nil)
        XCTAssertEqual(texts(grid), ["where", "were", "you", "tonight"])
        let json = try WordTimingReader.read(path: try examplePath("example-whisperx.json"), programmeSeconds: 2.6, dialogueEnvelope: nil)
        XCTAssertEqual(texts(json), ["Where", "were", "you", "at", "10", "tonight?"])
        XCTAssertEqual(json.words[4].startSeconds, 1.45, accuracy: 1e-9)
        XCTAssertEqual(json.words[4].endSeconds, 1.76, accuracy: 1e-9)
        let vtt = try WordTimingReader.read(path: try examplePath("example-words.vtt"), programmeSeconds: 2.6, dialogueEnvelope: nil)
        XCTAssertEqual(vtt.source, .webVTTWords)
        XCTAssertEqual(vtt.words.map(\.startSeconds), grid.words.map(\.startSeconds))
        XCTAssertEqual(vtt.words.map(\.endSeconds), grid.words.map(\.endSeconds))
        let srt = try WordTimingReader.read(path: try examplePath("example-lines.srt"), programmeSeconds: 2.6, dialogueEnvelope: nil)
        XCTAssertEqual(srt.source, .srtLines)
        XCTAssertEqual(texts(srt), ["Where", "were", "you", "Tonight"])
    }

    /// Seeded random damage (bytes replaced, removed, duplicated, the file cut short) to each
    /// example, 300 times each. Whatever comes back must be valid: sorted, numbered, inside the
    /// programme, no overlap within a talker.
    func testDamagedFilesReadOrFailCleanly() throws {
        var random = SeededRandom(seed: 2024)
        let programme = 3.0
        let envelope = SpeechEnvelope(samples: SyntheticSpeech.signal(seconds: programme, sampleRate: 8000,
                                                                       bursts: [.init(start: 0.3, end: 1.0), .init(start: 1.3, end: 2.0)]),
                                      sampleRate: 8000)
        var read = 0, failed = 0
        for name in Self.examples {
            let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try examplePath(name))))
            let ext = (name as NSString).pathExtension
            for trial in 0..<300 {
                var bytes = original
                for _ in 0..<(1 + Int(random.next() % 4)) where !bytes.isEmpty {
                    let at = Int(random.next() % UInt64(bytes.count))
                    switch random.next() % 5 {
                    case 0: bytes[at] = UInt8(truncatingIfNeeded: random.next())
                    case 1: bytes.remove(at: at)
                    case 2: bytes.insert(bytes[at], at: at)
                    case 3: bytes[at] = Array("\"\n-->:,.0123456789<>[]{}".utf8)[Int(random.next() % 24)]
                    default: bytes.removeLast(Int(random.next() % UInt64(bytes.count)))
                    }
                }
                let path = try write("damaged-\(trial).\(ext)", bytes: bytes)
                do {
                    let t = try WordTimingReader.read(path: path, programmeSeconds: programme, dialogueEnvelope: envelope)
                    read += 1
                    XCTAssertFalse(t.words.isEmpty)
                    for (i, w) in t.words.enumerated() {
                        XCTAssertEqual(w.index, i)
                        XCTAssertGreaterThanOrEqual(w.startSeconds, 0)
                        XCTAssertGreaterThan(w.endSeconds, w.startSeconds, "\(name) trial \(trial)")
                        XCTAssertLessThanOrEqual(w.endSeconds, programme)
                        if i > 0 { XCTAssertLessThanOrEqual(t.words[i - 1].startSeconds, w.startSeconds) }
                    }
                    let byTalker = Dictionary(grouping: t.words, by: { $0.speaker ?? "" })
                    for words in byTalker.values {
                        for (a, b) in zip(words, words.dropFirst()) {
                            XCTAssertLessThanOrEqual(a.endSeconds, b.startSeconds + 1e-9, "\(name) trial \(trial)")
                        }
                    }
                } catch let error as EarshotError {
                    failed += 1
                    XCTAssertEqual(error.kind, .badInput)
                    XCTAssertEqual(error.file, path)
                    XCTAssertFalse(error.message.isEmpty)
                }
            }
        }
        // Both outcomes occur, so the check exercises both paths.
        XCTAssertGreaterThan(read, 50)
        XCTAssertGreaterThan(failed, 50)
    }
}

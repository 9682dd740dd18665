import XCTest
@testable import EarshotKit

/// The masked-word clips: where they are cut, their common gain, the cap and its order, and the
/// bounded rolling buffer; and the WAV data URIs that carry them.
final class MaskedWordSnippetTests: XCTestCase {
    static let rate = 48000

    static func word(_ i: Int, _ start: Double, _ end: Double) -> WordTiming {
        WordTiming(index: i, text: "w\(i)", startSeconds: start, endSeconds: end, estimated: false, speaker: nil, sourceLine: nil)
    }

    static func result(_ w: WordTiming, masked: Bool, by kind: MaskerKind? = nil, sii: Double) -> WordMasking {
        WordMasking(index: w.index, text: w.text, startSeconds: w.startSeconds, endSeconds: w.endSeconds, estimated: false,
                    sii: sii, dialogueToMaskerDB: 0, masked: masked, maskedBy: masked ? kind : nil, siiByMasker: [:], deviceDuckingDB: 0)
    }

    /// Streams `seconds` of programme in blocks: the clean dialogue is a 500 Hz sine of 0.1 FS
    /// inside the words and silence outside; the at-ear signal a 1 kHz sine of 0.8 Pa throughout.
    /// A word's result is handed over 30 ms after its end, as `WordMaskingAnalyzer` does.
    func stream(_ recorder: MaskedWordSnippetRecorder, words: [WordTiming], results: [WordMasking], seconds: Double,
                block: Int = 4800, maxHeld: inout Int) throws -> (snippets: [MaskedWordSnippet], notEmbedded: Int) {
        let total = Int(seconds * Double(Self.rate))
        var done = 0
        while done < total {
            let n = min(block, total - done)
            var clean = [Float](repeating: 0, count: n), heard = [Float](repeating: 0, count: n)
            for i in 0..<n {
                let t = Double(done + i) / Double(Self.rate)
                if words.contains(where: { t >= $0.startSeconds && t < $0.endSeconds }) { clean[i] = Float(0.1 * sin(2 * .pi * 500 * t)) }
                heard[i] = Float(0.8 * sin(2 * .pi * 1000 * t))
            }
            recorder.appendInput(clean)
            done += n
            let now = Double(done) / Double(Self.rate)
            try recorder.appendAtEar(heard, results: results.filter { $0.endSeconds + 0.03 <= now })
            maxHeld = max(maxHeld, recorder.heldFrames)
        }
        return try recorder.finish(results: results)
    }

    static func peakDB(_ x: [Float]) -> Double { 20 * log10(Double(x.map(abs).max() ?? 0)) }

    func testClipsSpanTheWordWithHalfASecondEitherSideAndKeepTheirLevelDifference() throws {
        let words = [Self.word(0, 1.0, 1.4), Self.word(1, 2.0, 2.3), Self.word(2, 5.0, 5.6)]
        let results = [Self.result(words[0], masked: true, by: .environment, sii: 0.2),
                       Self.result(words[1], masked: false, sii: 0.8),
                       Self.result(words[2], masked: true, by: .effects, sii: 0.3)]
        let recorder = MaskedWordSnippetRecorder(words: words, originalPascalsPerFullScale: 2)
        var held = 0
        let (clips, notEmbedded) = try stream(recorder, words: words, results: results, seconds: 8, maxHeld: &held)
        XCTAssertEqual(notEmbedded, 0)
        XCTAssertEqual(clips.map(\.wordIndex), [0, 2], "masked words only, in programme order")
        for (clip, w) in zip(clips, [words[0], words[2]]) {
            XCTAssertEqual(clip.sampleRate, 24000)
            XCTAssertEqual(clip.clipStartSeconds, w.startSeconds - 0.5, accuracy: 1e-9)
            let expected = Int(((w.endSeconds - w.startSeconds + 1) * 24000).rounded())
            XCTAssertEqual(clip.original.count, expected)
            XCTAssertEqual(clip.atEar.count, expected)
            // Each clip peaks at −3 dBFS; the real difference (stem 0.1 FS × 2 Pa/FS = 0.2 Pa
            // against 0.8 Pa at the ear, about 12 dB) is kept in levelDifferenceDB.
            XCTAssertEqual(Self.peakDB(clip.atEar), -3, accuracy: 0.05)
            XCTAssertEqual(Self.peakDB(clip.original), -3, accuracy: 0.05)
            XCTAssertLessThan(clip.levelDifferenceDB, -6, "the stem word is quieter than everything at the ear")
            XCTAssertGreaterThan(clip.levelDifferenceDB, -20)
            // The stem clip is silent in the context before the word (10 ms of resampler
            // smearing allowed) and carries the word after it.
            let before = clip.original[0..<Int(0.49 * 24000)]
            XCTAssertLessThan(before.map(abs).max()!, 1e-3)
            let inside = clip.original[Int(0.55 * 24000)..<Int(0.65 * 24000)]
            XCTAssertGreaterThan(inside.map(abs).max()!, 0.1)
        }
    }

    /// More masked words than places: the programme's maskers first, then the lowest SII.
    func testTheCapKeepsWhatAMixerCanActOnFirst() throws {
        let words = (0..<6).map { Self.word($0, 1 + Double($0), 1.3 + Double($0)) }
        let kinds: [MaskerKind] = [.environment, .environment, .music, .device, .environment, .me]
        let siis = [0.1, 0.05, 0.4, 0.2, 0.3, 0.35]
        let results = (0..<6).map { Self.result(words[$0], masked: true, by: kinds[$0], sii: siis[$0]) }
        let recorder = MaskedWordSnippetRecorder(words: words, originalPascalsPerFullScale: 1, capacity: 3)
        var held = 0
        let (clips, notEmbedded) = try stream(recorder, words: words, results: results, seconds: 8, maxHeld: &held)
        XCTAssertEqual(notEmbedded, 3)
        // M&E (0.35) and music (0.4) first, then the device; back in programme order.
        XCTAssertEqual(clips.map(\.wordIndex), [2, 3, 5])
    }

    /// A long programme with a masked word near its start and end: the buffer stays within the
    /// retention window, and the last word, cut at the programme's end, is still kept.
    func testMemoryStaysBounded() throws {
        let words = [Self.word(0, 2, 2.5), Self.word(1, 59.6, 59.9)]
        let results = [Self.result(words[0], masked: true, by: .environment, sii: 0.1),
                       Self.result(words[1], masked: true, by: .environment, sii: 0.1)]
        let recorder = MaskedWordSnippetRecorder(words: words, originalPascalsPerFullScale: 1)
        var held = 0
        let (clips, _) = try stream(recorder, words: words, results: results, seconds: 60, maxHeld: &held)
        XCTAssertLessThanOrEqual(held, Int((MaskedWordSnippetRecorder.retentionSeconds + 1.2) * Double(Self.rate)))
        XCTAssertEqual(clips.map(\.wordIndex), [0, 1])
        // The second clip ends with the programme (59.9 + 0.5 is past 60 s).
        XCTAssertEqual(Double(clips[1].atEar.count) / 24000, 60 - 59.1, accuracy: 0.001)
    }

    /// The WAV bytes read back through libsndfile: header, 16-bit values, clipping.
    func testWAVDataURIReadsBack() throws {
        let samples: [Float] = [0, 0.5, -1, 1.5, -0.25, 0.001]
        let bytes = WAVDataURI.wavBytes(mono: samples, sampleRate: 24000)
        XCTAssertEqual(bytes.count, 44 + 2 * samples.count)
        XCTAssertEqual(Array(bytes[0..<4]), Array("RIFF".utf8))
        XCTAssertEqual(Array(bytes[8..<16]), Array("WAVEfmt ".utf8))
        XCTAssertEqual(Array(bytes[44..<48]), [0, 0, 0x00, 0x40], "0 and 0.5 → 16384")
        let path = NSTemporaryDirectory() + "earshot-wav-\(UUID().uuidString).wav"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let (back, rate) = try AudioFile.readMono(path: path)
        XCTAssertEqual(rate, 24000)
        XCTAssertEqual(back.count, samples.count)
        for (x, y) in zip(samples, back) { XCTAssertEqual(y, max(-1, min(1, x)), accuracy: 1.0 / 32768 + 1e-6) }
        let uri = WAVDataURI.dataURI(mono: samples, sampleRate: 24000)
        XCTAssertTrue(uri.hasPrefix("data:audio/wav;base64,UklGR"))
        XCTAssertEqual(Data(base64Encoded: String(uri.dropFirst("data:audio/wav;base64,".count))), Data(bytes))
    }
}

/// The long-term at-ear spectrum.
final class LongTermSpectrumTests: XCTestCase {
    func sine(_ amplitude: Float, _ hz: Double, seconds: Double) -> [Float] {
        (0..<Int(seconds * 48000)).map { amplitude * Float(sin(2 * .pi * hz * Double($0) / 48000)) }
    }

    func testASineLandsInItsBandAtItsLevel() throws {
        let acc = try LongTermSpectrumAccumulator()
        let x = sine(1, 1000, seconds: 2)
        // Odd block sizes: frames must not depend on how the stream is cut.
        var i = 0
        for n in [1000, 7000, 30000, 50000] + [Int](repeating: 4000, count: 100) where i < x.count {
            let end = min(i + n, x.count)
            acc.add(StereoBlock(left: Array(x[i..<end]), right: Array(x[i..<end])))
            i = end
        }
        let spectrum = acc.finish()
        XCTAssertEqual(spectrum.map(\.centreHz), ThirdOctave.nominalCentresHz)
        let level = 10 * log10(0.5 / 4e-10)  // 1 Pa peak sine: 90.97 dB SPL
        let k = try XCTUnwrap(spectrum.firstIndex { $0.centreHz == 1000 })
        XCTAssertEqual(spectrum[k].levelDB, level, accuracy: 0.1)
        XCTAssertLessThan(spectrum[k - 3].levelDB, level - 60, "500 Hz")
        XCTAssertLessThan(spectrum[k + 3].levelDB, level - 60, "2 kHz")
    }

    func testTheTwoEarsAreAveraged() throws {
        let acc = try LongTermSpectrumAccumulator()
        let x = sine(1, 250, seconds: 1)
        acc.add(StereoBlock(left: x, right: [Float](repeating: 0, count: x.count)))
        let k = try XCTUnwrap(ThirdOctave.nominalCentresHz.firstIndex(of: 250))
        XCTAssertEqual(acc.finish()[k].levelDB, 10 * log10(0.5 / 4e-10) - 10 * log10(2.0), accuracy: 0.1)
    }

    func testAProgrammeShorterThanAFrameIsStillMeasured() throws {
        let acc = try LongTermSpectrumAccumulator()
        let x = sine(1, 1000, seconds: 0.1)
        acc.add(StereoBlock(left: x, right: x))
        let k = try XCTUnwrap(ThirdOctave.nominalCentresHz.firstIndex(of: 1000))
        XCTAssertEqual(acc.finish()[k].levelDB, 10 * log10(0.5 / 4e-10), accuracy: 0.5)
    }
}

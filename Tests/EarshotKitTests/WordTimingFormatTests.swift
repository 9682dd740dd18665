import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// Each timing format read right: TextGrid (long, short, UTF-16), WhisperX JSON, SRT and WebVTT
/// word cues and line cues.
final class WordTimingFormatTests: WordTimingTestCase {
    typealias Interval = (xmin: Double, xmax: Double, text: String)
    enum Tier { case intervals(String, [Interval]); case points(String, [(Double, String)]) }

    /// A TextGrid as Praat writes it, in the long or the short text format.
    static func textGrid(long: Bool, xmax: Double, tiers: [Tier]) -> String {
        func q(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var out = "File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n\n"
        if long {
            out += "xmin = 0 \nxmax = \(xmax) \ntiers? <exists> \nsize = \(tiers.count) \nitem []: \n"
            for (t, tier) in tiers.enumerated() {
                out += "    item [\(t + 1)]:\n"
                switch tier {
                case .intervals(let name, let intervals):
                    out += "        class = \"IntervalTier\" \n        name = \(q(name)) \n        xmin = 0 \n        xmax = \(xmax) \n"
                    out += "        intervals: size = \(intervals.count) \n"
                    for (i, iv) in intervals.enumerated() {
                        out += "        intervals [\(i + 1)]:\n            xmin = \(iv.xmin) \n            xmax = \(iv.xmax) \n            text = \(q(iv.text)) \n"
                    }
                case .points(let name, let points):
                    out += "        class = \"TextTier\" \n        name = \(q(name)) \n        xmin = 0 \n        xmax = \(xmax) \n"
                    out += "        points: size = \(points.count) \n"
                    for (i, p) in points.enumerated() {
                        out += "        points [\(i + 1)]:\n            number = \(p.0) \n            mark = \(q(p.1)) \n"
                    }
                }
            }
        } else {
            out += "0\n\(xmax)\n<exists>\n\(tiers.count)\n"
            for tier in tiers {
                switch tier {
                case .intervals(let name, let intervals):
                    out += "\"IntervalTier\"\n\(q(name))\n0\n\(xmax)\n\(intervals.count)\n"
                    for iv in intervals { out += "\(iv.xmin)\n\(iv.xmax)\n\(q(iv.text))\n" }
                case .points(let name, let points):
                    out += "\"TextTier\"\n\(q(name))\n0\n\(xmax)\n\(points.count)\n"
                    for p in points { out += "\(p.0)\n\(q(p.1))\n" }
                }
            }
        }
        return out
    }

    static let mfaTiers: [Tier] = [
        .points("events", [(0.5, "click")]),
        .intervals("phones", [(0, 0.25, ""), (0.25, 0.4, "W"), (0.4, 3, "")]),
        .intervals("words", [(0, 0.25, ""), (0.25, 0.61, "where"), (0.61, 0.7, "sp"), (0.7, 1.02, "is"),
                             (1.02, 1.6, "spn"), (1.6, 1.9, "SIL"), (1.9, 2.3, "say \"hi\""), (2.3, 2.6, "<eps>"), (2.6, 3, "")]),
    ]

    func checkMFAWords(_ t: WordTimings) {
        XCTAssertEqual(t.source, .textGrid)
        XCTAssertFalse(t.estimated)
        XCTAssertEqual(texts(t), ["where", "is", "<unk>", "say \"hi\""])
        XCTAssertEqual(t.words.map(\.startSeconds), [0.25, 0.7, 1.02, 1.9])
        XCTAssertEqual(t.words.map(\.endSeconds), [0.61, 1.02, 1.6, 2.3])
        XCTAssertEqual(t.words.map(\.index), [0, 1, 2, 3])
        XCTAssertTrue(t.words.allSatisfy { !$0.estimated && $0.speaker == nil })
    }

    func testTextGridLongFormatReadsTheWordsTier() throws {
        let path = try write("a.TextGrid", Self.textGrid(long: true, xmax: 3, tiers: Self.mfaTiers))
        let t = try WordTimingReader.read(path: path, programmeSeconds: 3, dialogueEnvelope: nil)
        checkMFAWords(t)
        XCTAssertEqual(t.file, path)
        // "where" is interval 2 of the third tier; its text line:
        let lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        XCTAssertEqual(lines[t.words[0].sourceLine! - 1].trimmingCharacters(in: .whitespaces), "text = \"where\"")
    }

    func testTextGridShortFormatReadsTheSameWords() throws {
        let path = try write("a.textgrid", Self.textGrid(long: false, xmax: 3, tiers: Self.mfaTiers))
        checkMFAWords(try WordTimingReader.read(path: path, programmeSeconds: 3, dialogueEnvelope: nil))
    }

    func testTextGridInUTF16WithByteOrderMarkBothEndiannesses() throws {
        let tiers: [Tier] = [.intervals("words", [(0, 0.4, "café"), (0.4, 0.9, "naïve"), (0.9, 1.2, "日本")])]
        let text = Self.textGrid(long: true, xmax: 1.2, tiers: tiers)
        let units = Array(text.utf16)
        let be: [UInt8] = [0xFE, 0xFF] + units.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let le: [UInt8] = [0xFF, 0xFE] + units.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let noBOM: [UInt8] = units.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        for (name, bytes) in [("be.TextGrid", be), ("le.TextGrid", le), ("nobom.TextGrid", noBOM)] {
            let t = try WordTimingReader.read(path: try write(name, bytes: bytes), programmeSeconds: 2, dialogueEnvelope: nil)
            XCTAssertEqual(texts(t), ["café", "naïve", "日本"], name)
            XCTAssertEqual(t.words.last?.endSeconds, 1.2, name)
        }
    }

    func testTextGridWithUTF8ByteOrderMarkAndCRLF() throws {
        let text = Self.textGrid(long: false, xmax: 1, tiers: [.intervals("words", [(0.1, 0.5, "hello"), (0.5, 1, "")])])
        let path = try write("crlf.TextGrid", bytes: [0xEF, 0xBB, 0xBF] + Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8))
        let t = try WordTimingReader.read(path: path, programmeSeconds: 1, dialogueEnvelope: nil)
        XCTAssertEqual(texts(t), ["hello"])
        XCTAssertEqual(t.words[0].sourceLine, 15)
    }

    func testTextGridWithoutAWordsTierUsesTheFirstIntervalTier() throws {
        let tiers: [Tier] = [.points("marks", [(0.1, "x")]),
                             .intervals("utterance", [(0, 0.5, "first"), (0.5, 1, "tier")]),
                             .intervals("other", [(0, 1, "second")])]
        let t = try WordTimingReader.read(path: try write("t.TextGrid", Self.textGrid(long: true, xmax: 1, tiers: tiers)),
                                          programmeSeconds: 1, dialogueEnvelope: nil)
        XCTAssertEqual(texts(t), ["first", "tier"])
    }

    func testMFASpeakerTiersMergeAndMayOverlapAcrossSpeakers() throws {
        let tiers: [Tier] = [.intervals("Alice - words", [(0, 0.5, "hi"), (0.5, 1.0, "bob")]),
                             .intervals("Alice - phones", [(0, 1, "HH")]),
                             .intervals("Bob - words", [(0.8, 1.3, "hey"), (1.3, 2, "")])]
        let t = try WordTimingReader.read(path: try write("s.TextGrid", Self.textGrid(long: false, xmax: 2, tiers: tiers)),
                                          programmeSeconds: 2, dialogueEnvelope: nil)
        XCTAssertEqual(texts(t), ["hi", "bob", "hey"])
        XCTAssertEqual(t.words.map(\.speaker), ["Alice", "Alice", "Bob"])
        XCTAssertEqual(t.words[2].startSeconds, 0.8)
    }

    func testAlignerOverlapOfUpTo10msIsClamped() throws {
        let tiers: [Tier] = [.intervals("words", [(0.1, 0.508, "one"), (0.5, 0.9, "two")])]
        let t = try WordTimingReader.read(path: try write("o.TextGrid", Self.textGrid(long: true, xmax: 1, tiers: tiers)),
                                          programmeSeconds: 1, dialogueEnvelope: nil)
        XCTAssertEqual(t.words[0].endSeconds, 0.5)
        XCTAssertEqual(t.words[1].startSeconds, 0.5)
    }

    func testWordEndingSlightlyPastTheProgrammeIsClamped() throws {
        let tiers: [Tier] = [.intervals("words", [(0.1, 0.5, "one"), (9.7, 10.3, "last")])]
        let t = try WordTimingReader.read(path: try write("c.TextGrid", Self.textGrid(long: true, xmax: 10.3, tiers: tiers)),
                                          programmeSeconds: 10, dialogueEnvelope: nil)
        XCTAssertEqual(t.words[1].endSeconds, 10)
    }

    // MARK: WhisperX JSON

    func testWhisperXSegmentsWithAnUnalignedNumeralAreInterpolated() throws {
        let json = """
        {"segments": [
          {"start": 1.0, "end": 3.0, "text": " It was 1990 then.", "speaker": "SPEAKER_00",
           "words": [
             {"word": " It", "start": 1.0, "end": 1.2, "score": 0.9},
             {"word": " was", "start": 1.25, "end": 1.5, "score": 0.8},
             {"word": " 1990"},
             {"word": " then.", "start": 2.3, "end": 2.8, "score": 0.7, "speaker": "SPEAKER_01"}
           ]},
          {"start": 4.0, "end": 5.0, "text": " Ok", "words": [{"word": "Ok", "start": 4.1, "end": 4.5, "score": null}]}
        ],
         "word_segments": []}
        """
        let t = try WordTimingReader.read(path: try write("w.json", json), programmeSeconds: 10, dialogueEnvelope: nil)
        XCTAssertEqual(t.source, .whisperJSON)
        XCTAssertEqual(texts(t), ["It", "was", "1990", "then.", "Ok"])
        XCTAssertTrue(t.estimated)
        XCTAssertEqual(t.words.map(\.estimated), [false, false, true, false, false])
        XCTAssertEqual(t.words[2].startSeconds, 1.5, accuracy: 1e-12)
        XCTAssertEqual(t.words[2].endSeconds, 2.3, accuracy: 1e-12)
        XCTAssertEqual(t.words.map(\.speaker), ["SPEAKER_00", "SPEAKER_00", "SPEAKER_00", "SPEAKER_01", nil])
        XCTAssertEqual(t.words[2].sourceLine, 6)
    }

    func testUnalignedWordsWithoutRoomBorrowFromTheirNeighbours() throws {
        let json = """
        {"segments": [{"start": 0.5, "end": 2.0, "text": "in 42 ways",
          "words": [{"word": "in", "start": 0.5, "end": 0.9}, {"word": "42"}, {"word": "ways", "start": 0.9, "end": 1.5}]}]}
        """
        let t = try WordTimingReader.read(path: try write("b.json", json), programmeSeconds: 3, dialogueEnvelope: nil)
        XCTAssertEqual(t.words.map(\.startSeconds), [0.5, 0.7, 1.2].map { $0 }, accuracy: 1e-12)
        XCTAssertEqual(t.words.map(\.endSeconds), [0.7, 1.2, 1.5], accuracy: 1e-12)
        XCTAssertEqual(t.words.map(\.estimated), [true, true, true])
    }

    func testFlatWordListsAndNaNTimes() throws {
        let flat = """
        {"words": [{"word": "alpha", "start": 0.1, "end": 0.4, "probability": 0.9},
                   {"text": "beta", "start": NaN, "end": NaN},
                   {"word": "gamma", "start": 0.8, "end": 1.1}]}
        """
        let t = try WordTimingReader.read(path: try write("f.json", flat), programmeSeconds: 2, dialogueEnvelope: nil)
        XCTAssertEqual(texts(t), ["alpha", "beta", "gamma"])
        XCTAssertEqual(t.words[1].startSeconds, 0.4, accuracy: 1e-12)
        XCTAssertEqual(t.words[1].endSeconds, 0.8, accuracy: 1e-12)
        XCTAssertTrue(t.words[1].estimated)

        let array = #"[{"word": "one", "start": 0.2, "end": 0.5}, {"word": "two", "start": 0.5, "end": 0.9}]"#
        let a = try WordTimingReader.read(path: try write("array.json", array), programmeSeconds: 1, dialogueEnvelope: nil)
        XCTAssertEqual(texts(a), ["one", "two"])
        XCTAssertFalse(a.estimated)
    }

    func testWhisperSegmentWithoutWordsIsALineCue() throws {
        let json = #"{"segments": [{"start": 1.0, "end": 2.0, "text": " Hello there"}]}"#
        let t = try WordTimingReader.read(path: try write("seg.json", json), programmeSeconds: 3, dialogueEnvelope: nil)
        XCTAssertEqual(texts(t), ["Hello", "there"])
        XCTAssertEqual(t.words.map(\.startSeconds), [1.0, 1.5], accuracy: 1e-12)
        XCTAssertEqual(t.words.map(\.endSeconds), [1.5, 2.0], accuracy: 1e-12)
        XCTAssertTrue(t.estimated)
    }

    func testTextGridSavedAsJSONInBothPraatioLayouts() throws {
        let byName = """
        {"start": 0, "end": 3, "tiers": {
          "phones": {"type": "IntervalTier", "entries": [[0.25, 0.4, "W"]]},
          "words": {"type": "IntervalTier", "entries": [[0.25, 0.61, "where"], [0.61, 0.7, "sp"], [0.7, 1.02, "is"], [1.02, 1.6, "spn"]]}}}
        """
        let a = try WordTimingReader.read(path: try write("mfa.json", byName), programmeSeconds: 3, dialogueEnvelope: nil)
        XCTAssertEqual(a.source, .textGrid)
        XCTAssertEqual(texts(a), ["where", "is", "<unk>"])
        XCTAssertEqual(a.words.map(\.sourceLine), [3, 3, 3])
        let list = """
        {"xmin": 0, "xmax": 3, "tiers": [
          {"class": "TextTier", "name": "marks", "xmin": 0, "xmax": 3, "entries": [[0.5, "x"]]},
          {"class": "IntervalTier", "name": "Ann - words", "xmin": 0, "xmax": 3, "entries": [[0.2, 0.5, "hello"], [0.5, 0.9, ""]]}]}
        """
        let b = try WordTimingReader.read(path: try write("tg.json", list), programmeSeconds: 3, dialogueEnvelope: nil)
        XCTAssertEqual(texts(b), ["hello"])
        XCTAssertEqual(b.words[0].speaker, "Ann")
        XCTAssertEqual(b.words[0].endSeconds, 0.5)
    }

    // MARK: SubRip and WebVTT

    func testSRTWordCuesAreTakenAsTheyAre() throws {
        let srt = """
        1
        00:00:01,000 --> 00:00:01,250
        Where

        3
        00:00:01,600 --> 00:00:01,900
        <i>now?</i>

        2
        00:00:01,300 --> 00:00:01,500  X1:100 X2:200 Y1:10 Y2:20
        are

        4
        00:00:02,000 --> 00:00:03,000
        [door slams]

        """
        let t = try WordTimingReader.read(path: try write("w.srt", srt), programmeSeconds: 5, dialogueEnvelope: nil)
        XCTAssertEqual(t.source, .srtWords)
        XCTAssertFalse(t.estimated)
        XCTAssertEqual(texts(t), ["Where", "are", "now"])
        XCTAssertEqual(t.words.map(\.startSeconds), [1.0, 1.3, 1.6], accuracy: 1e-9)
        XCTAssertEqual(t.words.map(\.endSeconds), [1.25, 1.5, 1.9], accuracy: 1e-9)
        XCTAssertEqual(t.words.map(\.sourceLine), [2, 10, 6])
        XCTAssertEqual(t.words.map(\.index), [0, 1, 2])
    }

    func testSRTWithoutBlankLinesBetweenCuesAndCRLF() throws {
        let srt = "1\r\n00:00:01,000 --> 00:00:02,000\r\nfirst\r\n2\r\n00:00:02,000 --> 00:00:03,000\r\nsecond\r\n"
        let t = try WordTimingReader.read(path: try write("n.srt", srt), programmeSeconds: 5, dialogueEnvelope: nil)
        XCTAssertEqual(texts(t), ["first", "second"])
        XCTAssertEqual(t.words.map(\.startSeconds), [1, 2], accuracy: 1e-9)
    }

    func testWebVTTWithHeaderNotesStyleIdentifiersAndSettings() throws {
        let vtt = """
        WEBVTT - word timings
        Kind: captions
        Language: en

        STYLE
        ::cue { color: yellow }

        NOTE this file was made by hand
        and this note has two lines

        word-1
        00:01.000 --> 00:01.400 align:start line:0
        <v Mia>Hello

        00:00:01.500 --> 00:00:01.900 position:10%
        &amp;

        NOTE a note between cues

        00:01:02.000 --> 00:01:02.500
        <c.loud>world</c>
        """
        let t = try WordTimingReader.read(path: try write("w.vtt", vtt), programmeSeconds: 70, dialogueEnvelope: nil)
        XCTAssertEqual(t.source, .webVTTWords)
        XCTAssertEqual(texts(t), ["Hello", "world"])   // "&" is not a word
        XCTAssertEqual(t.words.map(\.startSeconds), [1.0, 62.0], accuracy: 1e-9)
        XCTAssertEqual(t.words.map(\.endSeconds), [1.4, 62.5], accuracy: 1e-9)
        XCTAssertEqual(t.words[0].speaker, "Mia")
        XCTAssertEqual(t.words.map(\.sourceLine), [12, 20])
    }

    func testLineCuesWithoutAnEnvelopeAreSpreadOverTheCueByLength() throws {
        let vtt = """
        WEBVTT

        1
        00:00:02.000 --> 00:00:04.000
        <v Sam>- Wait... <i>what</i>
        [gunshot] (gasps)

        2
        00:00:05.000 --> 00:00:06.000
        ♪ la la la ♪
        """
        let t = try WordTimingReader.read(path: try write("l.vtt", vtt), programmeSeconds: 10, dialogueEnvelope: nil)
        XCTAssertEqual(t.source, .webVTTLines)
        XCTAssertTrue(t.estimated)
        XCTAssertEqual(texts(t), ["Wait", "what"])
        XCTAssertEqual(t.words.map(\.startSeconds), [2.0, 3.0], accuracy: 1e-9)
        XCTAssertEqual(t.words.map(\.endSeconds), [3.0, 4.0], accuracy: 1e-9)
        XCTAssertEqual(t.words.map(\.speaker), ["Sam", "Sam"])
        XCTAssertEqual(t.words.map(\.sourceLine), [4, 4])
    }

    func testTimecodeBasedFileWithAnOffset() throws {
        let srt = "1\n01:00:01,000 --> 01:00:01,500\nHello\n\n2\n01:00:02,000 --> 01:00:02,400\nagain\n"
        let path = try write("tc.srt", srt)
        let t = try WordTimingReader.read(path: path, programmeSeconds: 10, dialogueEnvelope: nil, timeOffsetSeconds: 3600)
        XCTAssertEqual(t.words.map(\.startSeconds), [1.0, 2.0], accuracy: 1e-9)
        let message = readError(path, programmeSeconds: 10)
        XCTAssertTrue(message.contains("timecode"), message)
    }

    func testContentSniffingForOtherExtensions() throws {
        let srt = "1\n00:00:01,000 --> 00:00:01,500\nHello\n"
        XCTAssertEqual(texts(try WordTimingReader.read(path: try write("x.txt", srt), programmeSeconds: 5, dialogueEnvelope: nil)), ["Hello"])
        let vtt = "WEBVTT\n\n00:01.000 --> 00:01.500\nHello\n"
        XCTAssertEqual(try WordTimingReader.read(path: try write("x.sub", vtt), programmeSeconds: 5, dialogueEnvelope: nil).source, .webVTTWords)
    }

    func testCueTextCleaning() {
        func words(_ lines: [String]) -> [String] { CueText.words(fromLines: lines).map(\.text) }
        XCTAssertEqual(words(["- JOHN: Hello, <i>there</i>! [door slams]", "- MAN 2: Don't—move..."]),
                       ["Hello", "there", "Don't", "move"])
        XCTAssertEqual(words([">> Rock &amp; roll&#33; {\\an8}(LAUGHS)"]), ["Rock", "roll"])
        XCTAssertEqual(words(["<00:00:01.000><c>one</c><00:00:01.500><c> two</c>"]), ["one", "two"])
        XCTAssertEqual(words(["Note: lower-case labels stay", "[MUSIC", "CONTINUES]"]), ["Note", "lower-case", "labels", "stay"])
        XCTAssertEqual(words(["你好吗"]), ["你", "好", "吗"])
        XCTAssertEqual(words(["♫ lyrics", "spoken ♪ sung ♪ again"]), ["spoken", "again"])
    }
}

private func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, _ message: String = "",
                            file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "count " + message, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, message, file: file, line: line) }
}

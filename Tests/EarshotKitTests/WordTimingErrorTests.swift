import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// Every bad timing file gives one clear message naming the file and the line (or byte, or
/// column), and what was expected.
final class WordTimingErrorTests: WordTimingTestCase {
    func testEmptyFilesAndFilesWithoutWords() throws {
        let empty = try write("empty.srt", "")
        XCTAssertEqual(readError(empty), "\(empty): the file is empty; expected word timings (Praat TextGrid, WhisperX JSON, SRT or WebVTT)")
        let blank = try write("blank.vtt", bytes: [0xEF, 0xBB, 0xBF] + Array(" \n\n".utf8))
        XCTAssertEqual(readError(blank), "\(blank): the file is empty; expected word timings (Praat TextGrid, WhisperX JSON, SRT or WebVTT)")

        let sounds = try write("sounds.srt", "1\n00:00:01,000 --> 00:00:02,000\n[music]\n\n2\n00:00:03,000 --> 00:00:04,000\n♪ la la ♪\n")
        XCTAssertEqual(readError(sounds), "\(sounds): no words found: no cue holds a spoken word (sound descriptions in brackets, lyrics and markup are not words)")

        let silent = try write("silent.TextGrid", WordTimingFormatTests.textGrid(
            long: true, xmax: 2, tiers: [.intervals("words", [(0, 1, ""), (1, 1.5, "sil"), (1.5, 2, "sp")])]))
        XCTAssertEqual(readError(silent), "\(silent): no words found: the word tier holds only empty intervals and silence marks")

        let noSegments = try write("none.json", #"{"segments": []}"#)
        XCTAssertEqual(readError(noSegments), "\(noSegments): no words found: no segment holds words or text")
    }

    func testMalformedTimestamps() throws {
        let srt = try write("t.srt", "1\n00:00:01,000 --> 00:00:02,000\nHello there\n\n2\n00:00:0x,000 --> 00:00:04,000\nAgain\n")
        XCTAssertEqual(readError(srt), "\(srt): line 6: malformed timestamp '00:00:0x,000'; expected HH:MM:SS,mmm")
        let minutes = try write("m.srt", "1\n00:61:01,000 --> 00:61:02,000\nHello\n")
        XCTAssertEqual(readError(minutes, programmeSeconds: 7200), "\(minutes): line 2: malformed timestamp '00:61:01,000'; minutes and seconds must be below 60")
        let vtt = try write("t.vtt", "WEBVTT\n\nNOTE x\n\n00:01.000 --> 1.500\nHello\n")
        XCTAssertEqual(readError(vtt), "\(vtt): line 5: malformed timestamp '1.500'; expected HH:MM:SS.mmm or MM:SS.mmm")
        let arrows = try write("a.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000 --> 00:03.000\nHello\n")
        XCTAssertEqual(readError(arrows), "\(arrows): line 3: malformed cue timing line \"00:01.000 --> 00:02.000 --> 00:03.000\"; expected one '-->'")
    }

    func testStructuralSubtitleErrors() throws {
        let header = try write("h.vtt", "00:01.000 --> 00:02.000\nHello\n")
        XCTAssertEqual(readError(header), "\(header): line 1: a WebVTT file must start with \"WEBVTT\"")
        let noTiming = try write("n.srt", "1\n00:00:01,000 --> 00:00:02,000\nHello\n\njust some text\nmore text\n")
        XCTAssertEqual(readError(noTiming), "\(noTiming): line 5: expected a cue number or a timing line 'HH:MM:SS,mmm --> HH:MM:SS,mmm', found \"just some text\"")
        let noArrow = try write("c.srt", "1\n00:00:01,000 --> 00:00:02,000\nHello\n\n2\n00:00:03,000 00:00:04,000\nAgain\n")
        XCTAssertEqual(readError(noArrow), "\(noArrow): line 6: expected the timing line 'HH:MM:SS,mmm --> HH:MM:SS,mmm' of cue 2, found \"00:00:03,000 00:00:04,000\"")
        let seconds = try write("d.vtt", "WEBVTT\n\n00:01.000 --> 00:01500\nHello\n")
        XCTAssertEqual(readError(seconds), "\(seconds): line 3: malformed timestamp '00:01500'; expected HH:MM:SS.mmm or MM:SS.mmm")
        let badNumber = try write("b.srt", "one\n00:00:01,000 --> 00:00:02,000\nHello\n")
        XCTAssertEqual(readError(badNumber), "\(badNumber): line 1: expected a cue number before the timing line, found \"one\"")
    }

    func testEndBeforeStartAndNoDuration() throws {
        let srt = try write("e.srt", "1\n00:00:02,000 --> 00:00:01,000\nHi\n")
        XCTAssertEqual(readError(srt), "\(srt): line 2: word 'Hi' ends at 1.000 s (00:00:01.000), before it starts at 2.000 s (00:00:02.000)")
        let lines = try write("l.srt", "1\n00:00:01,000 --> 00:00:03,000\nHello there\n\n2\n00:00:05,000 --> 00:00:04,500\nGood bye now\n")
        XCTAssertEqual(readError(lines), "\(lines): line 6: cue 'Good bye now' ends at 4.500 s (00:00:04.500), before it starts at 5.000 s (00:00:05.000)")
        let grid = try write("e.TextGrid", WordTimingFormatTests.textGrid(long: false, xmax: 2, tiers: [.intervals("words", [(0.5, 0.2, "back")])]))
        XCTAssertEqual(readError(grid), "\(grid): line 15: word 'back' ends at 0.200 s (00:00:00.200), before it starts at 0.500 s (00:00:00.500)")
        let zero = try write("z.srt", "1\n00:00:02,000 --> 00:00:02,000\nHi\n")
        XCTAssertEqual(readError(zero), "\(zero): line 2: word 'Hi' has no duration (starts and ends at 2.000 s (00:00:02.000))")
    }

    func testNegativeTimes() throws {
        let grid = try write("n.TextGrid", WordTimingFormatTests.textGrid(long: true, xmax: 2, tiers: [.intervals("words", [(-0.5, 0.2, "early"), (0.2, 2, "")])]))
        let message = readError(grid)
        XCTAssertEqual(message, "\(grid): line 18: word 'early' starts at -0.500 s, before the start of the programme; times must not be negative")
        let json = try write("n.json", "{\"words\": [\n {\"word\": \"a\", \"start\": 0.1, \"end\": 0.2},\n {\"word\": \"b\", \"start\": -1, \"end\": 0.5}]}")
        XCTAssertEqual(readError(json), "\(json): line 3: word 'b' starts at -1.000 s, before the start of the programme; times must not be negative")
    }

    func testWordsPastTheEndOfTheProgramme() throws {
        let srt = try write("p.srt", "1\n00:00:01,000 --> 00:00:01,500\nfine\n\n2\n00:00:09,500 --> 00:00:10,800\nlate\n")
        XCTAssertEqual(readError(srt, programmeSeconds: 10),
                       "\(srt): line 6: word 'late' ends at 10.800 s (00:00:10.800), more than 0.5 s after the end of the programme (10.000 s (00:00:10.000))")
        let after = try write("a.srt", "1\n00:00:10,100 --> 00:00:10,300\nafter\n")
        XCTAssertEqual(readError(after, programmeSeconds: 10),
                       "\(after): line 2: word 'after' starts at 10.100 s (00:00:10.100), at or after the end of the programme (10.000 s (00:00:10.000))")
    }

    func testOverlappingWords() throws {
        let srt = try write("o.srt", "1\n00:00:01,000 --> 00:00:01,400\nfirst\n\n2\n00:00:01,200 --> 00:00:01,600\nsecond\n")
        XCTAssertEqual(readError(srt),
                       "\(srt): line 6: word 'second' (1.200–1.600 s) overlaps word 'first' at line 2 (1.000–1.400 s) by 0.200 s; words of one talker must not overlap by more than 10 ms")
        let grid = try write("o.TextGrid", WordTimingFormatTests.textGrid(long: false, xmax: 2, tiers: [.intervals("words", [(0.1, 0.52, "one"), (0.5, 0.9, "two")])]))
        XCTAssertTrue(readError(grid).hasSuffix("line 18: word 'two' (0.500–0.900 s) overlaps word 'one' at line 15 (0.100–0.520 s) by 0.020 s; words of one talker must not overlap by more than 10 ms"))
        // Line cues overlapping by more than the cue tolerance, without an envelope.
        let cues = try write("c.srt", "1\n00:00:01,000 --> 00:00:03,000\nhello there\n\n2\n00:00:02,000 --> 00:00:04,000\ngood bye\n")
        let message = readError(cues)
        XCTAssertTrue(message.hasPrefix("\(cues): line 6: word 'good' (2.000–"), message)
        XCTAssertTrue(message.hasSuffix("(the subtitle cues they come from overlap)"), message)
        // A cue overlap of 0.1 s is subtitle slack: trimmed, no error.
        let slack = try write("s.srt", "1\n00:00:01,000 --> 00:00:03,100\nhello there\n\n2\n00:00:03,000 --> 00:00:04,000\ngood bye\n")
        let t = try WordTimingReader.read(path: slack, programmeSeconds: 10, dialogueEnvelope: nil)
        XCTAssertEqual(t.words[1].endSeconds, 3.0, accuracy: 1e-9)
    }

    func testTextThatIsNotUTF8() throws {
        // "café" in Latin-1 on line 3.
        let bytes = Array("1\n00:00:01,000 --> 00:00:02,000\ncaf".utf8) + [0xE9] + Array(" noir\n".utf8)
        let path = try write("latin1.srt", bytes: bytes)
        XCTAssertEqual(readError(path), "\(path): line 3, byte 35: text is not valid UTF-8 (byte 0xE9); save the file as UTF-8 (Latin-1 and Windows code pages are not guessed)")
        XCTAssertEqual(TimingFileText.firstInvalidUTF8Offset(Array("ok é ✓ 😀".utf8)), nil)
        XCTAssertEqual(TimingFileText.firstInvalidUTF8Offset([0x41, 0xC0, 0x80]), 1)          // overlong
        XCTAssertEqual(TimingFileText.firstInvalidUTF8Offset([0x41, 0xED, 0xA0, 0x80]), 1)    // surrogate
        XCTAssertEqual(TimingFileText.firstInvalidUTF8Offset([0x41, 0x42, 0xE2, 0x9C]), 2)    // truncated
    }

    func testMalformedJSONGivesTheParsersPosition() throws {
        let path = try write("bad.json", "{\"segments\": [\n  {\"start\": 1.0, \"end\": 2.0 \"text\": \"x\"}\n]}")
        XCTAssertEqual(readError(path), "\(path): line 2, column 29: malformed JSON: expected ',' or '}' in an object, found '\"'")
        let truncated = try write("cut.json", "{\"words\": [{\"word\": \"a\", \"start\": 0.")
        XCTAssertEqual(readError(truncated), "\(truncated): line 1, column 37: malformed JSON: expected digits after the decimal point, found end of file")
    }

    func testWrongJSONShapes() throws {
        let text = try write("s.json", "{\"segments\": [{\"start\": 1, \"end\": 2, \"words\": [\n{\"word\": \"a\", \"start\": \"1.0\", \"end\": 2}]}]}")
        XCTAssertEqual(readError(text), "\(text): line 2: \"start\" of word 1 of segment 1 ('a') is a string; expected seconds as a number")
        let other = try write("o.json", "{\"transcript\": \"hello\"}")
        XCTAssertEqual(readError(other), "\(other): line 1: expected a JSON object with \"segments\" (WhisperX), \"words\" or \"tiers\" (a TextGrid as JSON), or an array of word objects")
        let entry = try write("e.json", "{\"tiers\": {\"words\": {\"type\": \"IntervalTier\", \"entries\": [\n[0.1, 0.4, \"a\"],\n[0.4, \"b\"]]}}}")
        XCTAssertEqual(readError(entry), "\(entry): line 3: entry 2 of tier \"words\" is not [start, end, \"label\"]")
        let unanchored = try write("u.json", "{\"words\": [{\"word\": \"1990\"}, {\"word\": \"was\", \"start\": 1, \"end\": 1.2}]}")
        XCTAssertEqual(readError(unanchored), "\(unanchored): line 1: word '1990' has no \"start\"/\"end\" and no aligned word or segment time before it to place it by")
        let noText = try write("t.json", "{\"words\": [{\"start\": 1, \"end\": 1.2}]}")
        XCTAssertEqual(readError(noText), "\(noText): line 1: word 1 has no \"word\" text")
    }

    func testMalformedTextGrids() throws {
        let full = WordTimingFormatTests.textGrid(long: true, xmax: 2, tiers: [.intervals("words", [(0.1, 0.5, "one"), (0.5, 2, "")])])
        // Lines 1–20 end with "xmin = 0.5" of interval 2.
        let cut = try write("cut.TextGrid", full.components(separatedBy: "\n").prefix(20).joined(separator: "\n"))
        XCTAssertEqual(readError(cut), "\(cut): line 20: the TextGrid ends early: expected the xmax of interval 2 of tier 1")
        let badNumber = try write("num.TextGrid", full.replacingOccurrences(of: "xmin = 0.1", with: "xmin = 0.1.2"))
        XCTAssertEqual(readError(badNumber), "\(badNumber): line 16: malformed number '0.1.2'")
        let binary = try write("bin.TextGrid", "File type = \"ooBinaryFile\"\nObject class = \"TextGrid\"\n")
        XCTAssertEqual(readError(binary), "\(binary): line 1: file type is \"ooBinaryFile\"; only Praat text TextGrids (\"ooTextFile\") are read — save binary TextGrids as text")
        let points = try write("p.TextGrid", WordTimingFormatTests.textGrid(long: false, xmax: 2, tiers: [.points("marks", [(0.5, "a")])]))
        XCTAssertEqual(readError(points), "\(points): the TextGrid has no IntervalTier (point tiers carry no word durations), so no words")
    }

    func testUnknownFormatAndMissingFile() throws {
        let path = try write("notes.txt", "hello world\n")
        XCTAssertEqual(readError(path), "\(path): unrecognised word-timing format: expected a Praat TextGrid (.TextGrid), WhisperX JSON (.json), SubRip (.srt) or WebVTT (.vtt) file")
        let wav = folder + "/dialogue.wav"
        try AudioFile.write(path: wav, channels: [[0, 0.1, 0]], sampleRate: 48000)
        XCTAssertEqual(readError(wav), "\(wav): is an audio file, not word timings (Praat TextGrid, WhisperX JSON, SRT or WebVTT)")
        let missing = folder + "/missing.srt"
        XCTAssertEqual(readError(missing), "\(missing): no such file (word timings)")
    }
}

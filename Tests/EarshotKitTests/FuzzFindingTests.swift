import XCTest
@testable import EarshotKit

/// What the fuzz targets in Fuzz/ found, each as a plain test, and a replay of every committed
/// fuzz input (Fuzz/corpus/, Fuzz/seeds/, Fuzz/regressions/) through the same readers with the
/// same promises as the targets: valid timings or a bad-input error naming the file, never a
/// crash.
final class FuzzFindingTests: WordTimingTestCase {
    /// A digit with a combining mark ("0" + U+0331) is one Character that sorts between "0" and
    /// "9"; a timestamp holding one crashed the SubRip reader (a forced unwrap of Double("0̱")).
    func testTimestampDigitWithACombiningMark() throws {
        let srt = try write("mark.srt", "1\n00:00:0\u{331}1,000 --> 00:00:02,000\nHello\n")
        XCTAssertEqual(readError(srt), "\(srt): line 2: malformed timestamp '00:00:0\u{331}1,000'; expected HH:MM:SS,mmm")
        let fraction = try write("mark.vtt", "WEBVTT\n\n00:01.5\u{331} --> 00:02.000\nHello\n")
        XCTAssertEqual(readError(fraction), "\(fraction): line 3: malformed timestamp '00:01.5\u{331}'; expected HH:MM:SS.mmm or MM:SS.mmm")
    }
}

import XCTest
@testable import EarshotKit

/// The command-line value lists of `earshot metrics sii`.
final class SIIValueListTests: XCTestCase {
    func error(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    func testNumbersWithSpacesAndSigns() throws {
        XCTAssertEqual(try SIIValueList.parseNumbers(" 50, 40,+40,30 ,20,-1.5", option: "--speech-db", procedure: .octave),
                       [50, 40, 40, 30, 20, -1.5])
    }

    func testErrorsNameOptionPositionAndText() {
        XCTAssertEqual(error { try SIIValueList.parseNumbers("50,40,4O,30,20,0", option: "--noise-db", procedure: .octave) },
                       "--noise-db value 3: '4O' is not a number")
        XCTAssertEqual(error { try SIIValueList.parseNumbers("50,,30,20,0,0", option: "--noise-db", procedure: .octave) },
                       "--noise-db value 2: is empty (expected a number in dB)")
        XCTAssertEqual(error { try SIIValueList.parseNumbers("50,40,30,20,0", option: "--threshold-db", procedure: .octave) },
                       "--threshold-db: the octave band procedure needs 6 values (one per band, 250 Hz to 8000 Hz), 5 were given")
        XCTAssertEqual(error { try SIIValueList.parseSpeech("lowd", option: "--speech-db", procedure: .octave) },
                       "--speech-db: 'lowd' is neither a vocal effort (normal, raised, loud, shout) nor a list of levels")
        XCTAssertTrue(error { try SIIValueList.parseImportance("ANSI", option: "--importance", procedure: .octave) }
            .hasPrefix("--importance: 'ANSI' is not a band-importance function"))
    }

    func testWordsSelectTheStandardTables() throws {
        XCTAssertEqual(try SIIValueList.parseSpeech("Loud", option: "--speech-db", procedure: .criticalBand),
                       SIIBandTable.criticalBand.speechSpectrumLevelLoudDB)
        XCTAssertEqual(try SIIValueList.parseImportance("short-passage", option: "--importance", procedure: .octave),
                       .function(.shortPassage))
        XCTAssertEqual(try SIIValueList.parseImportance("0,0,1,0,0,0", option: "--importance", procedure: .octave),
                       .custom([0, 0, 1, 0, 0, 0]))
    }
}

import XCTest
@testable import EarshotKit

final class ReportComparisonTests: XCTestCase {
    func report(_ words: [(Int, String, Double, Bool, String?)], id: String = "phone@bus") -> [String: Any] {
        ["scenarios": [["id": id, "words": words.map { w -> [String: Any] in
            ["index": w.0, "text": w.1, "startSeconds": Double(w.0), "sii": w.2, "masked": w.3, "maskedBy": w.4 as Any]
        }]]]
    }

    func testBeforeAfterFindsNewlyMaskedAndSavedWords() throws {
        let before = report([(0, "where", 0.6, false, nil), (1, "were", 0.3, true, "effects"), (2, "you", 0.7, false, nil)])
        let after = report([(0, "where", 0.4, true, "music"), (1, "were", 0.62, false, nil), (2, "you", 0.71, false, nil)])
        let c = ReportComparison(a: try ReportComparison.column(report: before, scenario: nil, file: "before.json"),
                                 b: try ReportComparison.column(report: after, scenario: nil, file: "after.json"))
        let changed = c.rows.filter(\.changed)
        XCTAssertEqual(changed.map(\.index), [0, 1])
        XCTAssertEqual(changed[0].siiChange!, -0.2, accuracy: 1e-9)
        XCTAssertEqual(changed[0].b?.maskedBy, "music")
        XCTAssertEqual(changed[1].a?.maskedBy, "effects")
    }

    func testMissingScenarioIsNamed() {
        XCTAssertThrowsError(try ReportComparison.column(report: report([]), scenario: "laptop@cafe", file: "r.json")) {
            XCTAssertTrue("\($0)".contains("no scenario 'laptop@cafe'; it has phone@bus"), "\($0)")
        }
    }
}

import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

final class ReportComparisonTests: XCTestCase {
    typealias W = ReportJSONFixture.Word

    func testBeforeAfterFindsNewlyMaskedAndSavedWords() throws {
        let before = try ReportJSONFixture.document(scenarios: [("phone@bus", [W(index: 0, text: "where", sii: 0.6, masked: false),
                                                                             W(index: 1, text: "were", sii: 0.3, masked: true, maskedBy: "effects"),
                                                                             W(index: 2, text: "you", sii: 0.7, masked: false)])])
        let after = try ReportJSONFixture.document(scenarios: [("phone@bus", [W(index: 0, text: "where", sii: 0.4, masked: true, maskedBy: "music"),
                                                                            W(index: 1, text: "were", sii: 0.62, masked: false),
                                                                            W(index: 2, text: "you", sii: 0.71, masked: false)])])
        let comparisons = try ReportComparison.beforeAfter(before, after, files: ("a.json", "b.json"), labels: ("v1", "v2"))
        XCTAssertEqual(comparisons.count, 1)
        let c = comparisons[0]
        XCTAssertEqual(c.a.label, "v1")
        XCTAssertEqual(c.b.label, "v2")
        let changed = c.rows.filter(\.changed)
        XCTAssertEqual(changed.map(\.index), [0, 1])
        XCTAssertEqual(changed[0].siiChange!, -0.2, accuracy: 1e-9)
        XCTAssertEqual(changed[0].b?.maskedBy, "music")
        XCTAssertEqual(changed[1].a?.maskedBy, "effects")
    }

    func testTwoReportsAreComparedOnEveryScenarioTheyShare() throws {
        let word = [W(index: 0, text: "hi", sii: 0.5, masked: false)]
        let before = try ReportJSONFixture.document(scenarios: [("phone@bus", word), ("laptop@cafe", word), ("tv@room", word)])
        let after = try ReportJSONFixture.document(scenarios: [("tv@room", word), ("phone@bus", word), ("buds@street", word)])
        let comparisons = try ReportComparison.beforeAfter(before, after, files: ("a.json", "b.json"), labels: ("a", "b"))
        XCTAssertEqual(comparisons.map(\.a.scenario), ["phone@bus", "tv@room"], "the shared scenarios, in the before report's order")
        XCTAssertEqual(comparisons.map(\.b.scenario), ["phone@bus", "tv@room"])

        let unrelated = try ReportJSONFixture.document(scenarios: [("buds@street", word)])
        XCTAssertThrowsError(try ReportComparison.beforeAfter(before, unrelated, files: ("a.json", "b.json"), labels: ("a", "b"))) {
            XCTAssertTrue("\($0)".hasPrefix("b.json: shares no scenario with a.json"), "\($0)")
        }
    }

    func testMissingScenarioIsNamed() throws {
        let report = try ReportJSONFixture.document(scenarios: [("phone@bus", [])])
        XCTAssertThrowsError(try ReportComparison.scenarios("phone@bus", "laptop@cafe", of: report, file: "r.json")) {
            XCTAssertEqual("\($0)", "r.json: has no scenario 'laptop@cafe'; it has phone@bus")
        }
    }

    func testReportsAreLabelledByTheirFolders() {
        XCTAssertTrue(ReportLabels.labels("qc/ep01-v1/report.json", "qc/ep01-v2/report.json") == ("ep01-v1", "ep01-v2"))
        XCTAssertTrue(ReportLabels.labels("mix-v1/ep01/report.json", "mix-v2/ep01/report.json") == ("mix-v1/ep01", "mix-v2/ep01"),
                      "same folder name: the folder above tells them apart")
        XCTAssertTrue(ReportLabels.labels("/tmp/x/before.json", "/tmp/x/after.json") == ("before.json", "after.json"),
                      "one folder: the file names")
        XCTAssertTrue(ReportLabels.labels("qc/ep01/report.json", "qc/./ep01/report.json") == ("before", "after"), "the same file")
    }
}

import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// The metric registry (ARCHITECTURE.md section 10): every registered metric's result reaches
/// report.json (right after `intelligibility`, in registration order), the summary table (its
/// column, its cell) and the scenario's details in report.html.
final class ScenarioMetricTests: XCTestCase {
    func testEveryRegisteredMetricWritesItsPartOfEachReport() throws {
        let workspace = try TestWorkspace()
        addTeardownBlock { workspace.remove() }
        let scene = try CheckScene(workspace)
        let report = try CheckRunner.run(inputs: try scene.writeStemsAndMix(), settings: scene.settings(words: try scene.writeWords()),
                                         catalog: try scene.catalog())
        let keys = ScenarioMetrics.registered.map { $0.reportKey }
        XCTAssertFalse(keys.isEmpty)
        let summary = report.summary()
        let html = report.html()
        for s in report.scenarios {
            XCTAssertEqual(s.metrics.map(\.key), keys, s.id)
            guard case .object(let fields) = report.scenarioJSON(s) else { return XCTFail("scenario JSON is not an object") }
            let names = fields.map(\.0)
            let after = try XCTUnwrap(names.firstIndex(of: "intelligibility")) + 1
            XCTAssertEqual(Array(names[after..<(after + keys.count)]), keys, s.id)
            for metric in s.metrics {
                XCTAssertTrue(summary.contains(metric.result.summaryCell), "\(s.id) \(metric.key): \(metric.result.summaryCell)")
                for row in metric.result.htmlDetails(report: report, scenario: s) {
                    XCTAssertTrue(html.contains("<tr><td>\(HTMLText.escape(row.label))</td><td>\(HTMLText.escape(row.text))</td></tr>"),
                                  "\(s.id) \(metric.key): \(row.label)")
                }
            }
        }
        for header in ScenarioMetrics.registered.map({ $0.summaryHeader }) { XCTAssertTrue(summary.contains(header), header) }
    }
}

import Foundation

/// One measure made on what a scenario delivers to the ear, registered in
/// `ScenarioMetrics.registered` (ARCHITECTURE.md section 10, "Adding a metric"): one is made
/// for each scenario, fed every at-ear block in order, and finished into a result that writes
/// its own parts of the reports.
protocol ScenarioMetric: AnyObject {
    /// The key of its object in each of report.json's `scenarios[]`.
    static var reportKey: String { get }
    /// The header of its column in the text summary.
    static var summaryHeader: String { get }
    init(scenario: Scenario) throws
    /// The next at-ear block (pascals), in programme order.
    func consume(_ block: AtEarBlock)
    func finish() -> any ScenarioMetricResult
}

/// What a scenario metric found, and how it appears in each report: its object in report.json,
/// its cell in the text summary, its rows in the scenario's details in report.html.
protocol ScenarioMetricResult: Sendable {
    func json(report: CheckReport, scenario: ScenarioResult) -> JSONValue
    var summaryCell: String { get }
    func htmlDetails(report: CheckReport, scenario: ScenarioResult) -> [(label: String, text: String)]
}

import Foundation

/// QC gates (`--fail-on`) over a series: every rule evaluated on each episode's report.json,
/// the outcomes grouped by episode (one JUnit test suite per episode). An episode fails when
/// any of its outcomes fails.
public struct SeriesGates: Sendable {
    /// Per episode, in name order: its outcomes, each subject prefixed with the episode's name
    /// (`ep01/phone-budget-speaker@commute-bus`) so that test cases stay apart in CI.
    public var episodes: [(name: String, outcomes: [QCGate.Outcome])]

    public var outcomes: [QCGate.Outcome] { episodes.flatMap(\.outcomes) }
    public var failed: [QCGate.Outcome] { outcomes.filter(\.failed) }
    /// The episodes that failed a gate, in name order.
    public var failedEpisodes: [String] { episodes.filter { $0.outcomes.contains(where: \.failed) }.map(\.name) }

    /// Evaluates `gates` on the reports at `reports` (episode name → report.json path).
    public init(gates: [QCGate], reports: [(name: String, path: String)]) throws {
        episodes = try reports.sorted { $0.name < $1.name }.map { name, path in
            let figures = QCGateFigures(try ReportDocument.read(path: path))
            let outcomes = try gates.flatMap { try $0.evaluate(figures) }.map { o -> QCGate.Outcome in
                var o = o
                o.subject = "\(name)/\(o.subject)"
                o.message = "\(name): \(o.message)"
                return o
            }
            return (name, outcomes)
        }
    }

    /// The JUnit XML of the series: one test suite per episode.
    public func junitXML() -> String {
        JUnitReport.xml(suites: episodes.map { ($0.name, $0.outcomes) })
    }
}

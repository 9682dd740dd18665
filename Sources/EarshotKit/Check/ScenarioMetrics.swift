import Foundation

/// The scenario metrics every check runs, in the order their parts appear in report.json
/// (after `intelligibility`), in the summary table (after SII) and in the details of
/// report.html (after the masked words). A new metric is its folder under Analysis/ and one
/// line here.
enum ScenarioMetrics {
    static let registered: [any ScenarioMetric.Type] = [
        LowFrequencyMetric.self,
    ]
}

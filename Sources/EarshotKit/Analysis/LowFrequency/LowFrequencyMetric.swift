import Foundation

/// Low-frequency risk as a registered scenario metric (`ScenarioMetrics`): the device drive of
/// each at-ear block through the profile's excursion model (`LowFrequencyRiskAnalyzer`).
final class LowFrequencyMetric: ScenarioMetric {
    static let reportKey = "lowFrequency"
    static let summaryHeader = "LF risk (0-1)"
    private let analyzer: LowFrequencyRiskAnalyzer

    init(scenario: Scenario) {
        let channels = scenario.device.profile.channelMode == .mono ? 1 : 2
        analyzer = LowFrequencyRiskAnalyzer(excursion: scenario.device.profile.excursion, channels: channels)
    }

    func consume(_ block: AtEarBlock) { analyzer.consume(drive: block.mixDrive, limiterGain: block.deviceGain) }

    func finish() -> any ScenarioMetricResult { analyzer.finish() }
}

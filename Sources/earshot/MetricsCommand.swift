import ArgumentParser
import EarshotKit

/// `earshot metrics ...`: one validated metric on files or values.
struct Metrics: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Compute one metric (STOI, ESTOI, SII, loudness, sharpness) on files or band levels.",
        subcommands: [MetricsSTOI.self, MetricsESTOI.self, MetricsSII.self, MetricsLoudness.self, MetricsSharpness.self, MetricsZwickerLoudness.self])
}

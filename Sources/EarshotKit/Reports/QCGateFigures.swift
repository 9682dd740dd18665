import Foundation

/// The figures QC gates judge, from a check just run (`CheckReport`) or from a report.json read
/// back (`ReportDocument`, as `earshot batch` does for episodes it did not check again).
public struct QCGateFigures: Sendable {
    /// One platform's verdict on the mix.
    public struct Platform: Sendable {
        public var name: String
        public var deviationLU: Double?
        public var pass: Bool
        public var reason: String?
    }

    /// One scenario's figures; `maskedWords` and `maskedByMix` are nil when per-word masking was
    /// not computed.
    public struct Scenario: Sendable {
        public var id: String
        public var maskedWords: Int?
        /// Words masked but heard without the mix (nil without per-word masking, or read from a
        /// report written before the mix's share was measured).
        public var maskedByMix: Int?
        public var stoi: Double?
        public var estoi: Double?
        public var sii: Double?
        public var lowFrequencyRisk: Double?
        public var sibilanceHarshness: Double?
    }

    public var truePeakDBTP: Double?
    public var integratedLUFS: Double?
    public var loudnessRangeLU: Double?
    public var platforms: [Platform]
    public var scenarios: [Scenario]

    public init(_ report: CheckReport) {
        truePeakDBTP = report.loudness.truePeakDBTP
        integratedLUFS = report.loudness.integratedLUFS
        loudnessRangeLU = report.loudness.loudnessRangeLU
        platforms = report.platforms.map { Platform(name: $0.0.name, deviationLU: $0.1.deviationLU, pass: $0.1.pass, reason: $0.1.reason) }
        scenarios = report.scenarios.map { s in
            Scenario(id: s.id, maskedWords: s.words.map { _ in s.maskedWords }, maskedByMix: s.words.map { _ in s.maskedByMix }, stoi: s.stoi, estoi: s.estoi, sii: s.sii,
                     lowFrequencyRisk: s.lowFrequency.riskScore, sibilanceHarshness: s.sibilance?.harshnessScore)
        }
    }

    public init(_ report: ReportDocument) {
        truePeakDBTP = report.loudness.truePeakDBTP
        integratedLUFS = report.loudness.integratedLUFS
        loudnessRangeLU = report.loudness.loudnessRangeLU
        platforms = report.loudness.platforms.map { Platform(name: $0.name, deviationLU: $0.deviationLU, pass: $0.pass, reason: $0.reason) }
        scenarios = report.scenarios.map { s in
            Scenario(id: s.id, maskedWords: s.summary.maskedWords, maskedByMix: s.summary.maskedByMix, stoi: s.intelligibility.stoi, estoi: s.intelligibility.estoi,
                     sii: s.intelligibility.sii, lowFrequencyRisk: s.lowFrequency.riskScore, sibilanceHarshness: s.sibilance.harshnessScore)
        }
    }
}

import Foundation

/// A delivery-pipeline rule that fails a check: `--fail-on` text such as
/// `masked-words>0@phone-budget-speaker@commute-bus`, `masked-by-mix>0`, `true-peak>-2`, `loudness-off-target@ReelShort`,
/// `stoi<0.6`, `sii<0.45@earbuds-wired-inbox@commute-metro`, `lf-risk>0.5`, `sibilance>0.7`,
/// `lra>15`, `integrated<-25`. A scenario-level rule without `@scenario` applies to every scenario.
public struct QCGate: Sendable, Equatable, CustomStringConvertible {
    public enum Metric: String, Sendable, CaseIterable {
        case maskedWords = "masked-words"
        /// Words masked but heard without the mix: what the mix costs (`ScenarioResult.maskedByMix`).
        case maskedByMix = "masked-by-mix"
        case stoi, estoi, sii
        case lfRisk = "lf-risk"
        case sibilance
        case truePeak = "true-peak"
        case integrated
        case lra
        case loudnessOffTarget = "loudness-off-target"

        var perScenario: Bool { [.maskedWords, .maskedByMix, .stoi, .estoi, .sii, .lfRisk, .sibilance].contains(self) }
    }

    public enum Comparison: String, Sendable { case greater = ">", greaterOrEqual = ">=", less = "<", lessOrEqual = "<=" }

    public var metric: Metric
    public var comparison: Comparison?
    public var threshold: Double?
    /// A scenario id (per-scenario metrics) or a platform name (`loudness-off-target`).
    public var target: String?
    public let text: String

    public var description: String { text }

    /// How errors name a rule's setting (a command line names its option instead).
    public static let settingName = "QC gate"

    /// Parses a rule; errors say what the grammar is.
    public init(_ text: String) throws {
        self.text = text
        let grammar = "expected METRIC>VALUE[@DEVICE@ENVIRONMENT] (METRIC: \(Metric.allCases.filter { $0 != .loudnessOffTarget }.map(\.rawValue).joined(separator: ", ")); also <, >=, <=) or loudness-off-target[@PLATFORM]"
        var body = text
        var target: String?
        if let at = text.firstIndex(of: "@") {
            body = String(text[..<at])
            target = String(text[text.index(after: at)...])
            if target!.isEmpty { throw EarshotError.usage(setting: Self.settingName, "'\(text)': empty target after @; \(grammar)") }
        }
        self.target = target
        if body == Metric.loudnessOffTarget.rawValue {
            metric = .loudnessOffTarget
            return
        }
        guard let op = [">=", "<=", ">", "<"].first(where: { body.contains($0) }),
              let range = body.range(of: op) else {
            throw EarshotError.usage(setting: Self.settingName, "'\(text)': no comparison; \(grammar)")
        }
        let name = String(body[..<range.lowerBound]), value = String(body[range.upperBound...])
        guard let metric = Metric(rawValue: name), metric != .loudnessOffTarget else {
            throw EarshotError.usage(setting: Self.settingName, "'\(text)': unknown metric '\(name)'; \(grammar)")
        }
        guard let threshold = Double(value), threshold.isFinite else {
            throw EarshotError.usage(setting: Self.settingName, "'\(text)': '\(value)' is not a number; \(grammar)")
        }
        if target != nil && !metric.perScenario {
            throw EarshotError.usage(setting: Self.settingName, "'\(text)': \(name) is a programme metric and takes no @scenario")
        }
        if let target, target.split(separator: "@", omittingEmptySubsequences: false).count != 2 {
            throw EarshotError.usage(setting: Self.settingName, "'\(text)': '\(target)' is not a scenario DEVICE@ENVIRONMENT")
        }
        self.metric = metric
        comparison = Comparison(rawValue: op)
        self.threshold = threshold
    }

    /// One evaluated rule on one subject (a scenario, a platform, or the programme).
    public struct Outcome: Sendable, Equatable {
        public var gate: String
        /// "programme", a scenario id, or a platform name.
        public var subject: String
        public var value: Double?
        public var failed: Bool
        public var message: String
    }

    /// Evaluates the rule on a report; a rule naming a scenario or platform the report does not
    /// have is a usage error.
    public func evaluate(_ report: CheckReport) throws -> [Outcome] {
        try evaluate(QCGateFigures(report))
    }

    /// Evaluates the rule on a report's figures (a check just run, or a report.json read back).
    public func evaluate(_ figures: QCGateFigures) throws -> [Outcome] {
        switch metric {
        case .loudnessOffTarget:
            let verdicts = figures.platforms.filter { target == nil || $0.name.lowercased() == target!.lowercased() }
            if verdicts.isEmpty {
                throw EarshotError.usage(setting: Self.settingName, "'\(text)': no platform '\(target ?? "")' in the delivery table (\(figures.platforms.map(\.name).joined(separator: ", ")))")
            }
            return verdicts.map { p in
                Outcome(gate: text, subject: p.name, value: p.deviationLU, failed: !p.pass,
                        message: p.pass ? "meets \(p.name)" : (p.reason ?? "off target"))
            }
        case .truePeak, .integrated, .lra:
            let value: Double? = metric == .truePeak ? figures.truePeakDBTP
                : metric == .integrated ? figures.integratedLUFS : figures.loudnessRangeLU
            return [outcome(subject: "programme", value: value)]
        default:
            let scenarios = figures.scenarios.filter { target == nil || $0.id == target }
            if scenarios.isEmpty {
                throw EarshotError.usage(setting: Self.settingName, "'\(text)': the check has no scenario '\(target!)' (it has \(figures.scenarios.map(\.id).joined(separator: ", ")))")
            }
            return scenarios.map { s in
                let value: Double?
                switch metric {
                case .maskedWords: value = s.maskedWords.map(Double.init)
                case .maskedByMix: value = s.maskedByMix.map(Double.init)
                case .stoi: value = s.stoi
                case .estoi: value = s.estoi
                case .sii: value = s.sii
                case .lfRisk: value = s.lowFrequencyRisk
                default: value = s.sibilanceHarshness
                }
                return outcome(subject: s.id, value: value)
            }
        }
    }

    /// Checks, before any work, that a rule's target exists among these scenarios (per-scenario
    /// rules) or platforms (`loudness-off-target`): a typo fails at once, as a usage error.
    /// Checks every gate's target against the scenarios `settings` checks and the platform
    /// table it uses, before any work: a typo fails at once, not after the run.
    public static func validate(_ gates: [QCGate], against settings: CheckSettings) throws {
        guard !gates.isEmpty else { return }
        let platforms = try PlatformSpec.load(path: try settings.platformsPath ?? (EarshotResources.folder(named: "Reports") + "/platforms.json"))
        let scenarioIDs = settings.scenarios.map { "\($0.device)@\($0.environment)" }
        for gate in gates { try gate.validate(scenarioIDs: scenarioIDs, platformNames: platforms.map(\.name)) }
    }

    public func validate(scenarioIDs: [String], platformNames: [String]) throws {
        guard let target else { return }
        if metric == .loudnessOffTarget {
            if !platformNames.contains(where: { $0.lowercased() == target.lowercased() }) {
                throw EarshotError.usage(setting: Self.settingName, "'\(text)': no platform '\(target)' in the delivery table (\(platformNames.joined(separator: ", ")))")
            }
        } else if !scenarioIDs.contains(target) {
            throw EarshotError.usage(setting: Self.settingName, "'\(text)': the check has no scenario '\(target)' (it has \(scenarioIDs.joined(separator: ", ")))")
        }
    }

    private func outcome(subject: String, value: Double?) -> Outcome {
        guard let value, let threshold, let comparison else {
            return Outcome(gate: text, subject: subject, value: nil, failed: true,
                           message: "\(metric.rawValue) was not computed for \(subject), so the gate cannot pass")
        }
        let failed: Bool
        switch comparison {
        case .greater: failed = value > threshold
        case .greaterOrEqual: failed = value >= threshold
        case .less: failed = value < threshold
        case .lessOrEqual: failed = value <= threshold
        }
        let shown = metric == .maskedWords || metric == .maskedByMix ? String(Int(value)) : String(format: "%.3g", value)
        return Outcome(gate: text, subject: subject, value: value, failed: failed,
                       message: "\(metric.rawValue) = \(shown) on \(subject)\(failed ? ": fails \(text)" : "")")
    }
}

/// JUnit XML of QC gate outcomes, one test case per rule and subject, as CI systems display it.
public enum JUnitReport {
    public static func xml(_ outcomes: [QCGate.Outcome], suiteName: String = "earshot check") -> String {
        xml(suites: [(suiteName, outcomes)])
    }

    /// One test suite per named group (for a series: one per episode, each holding a test
    /// case per rule and subject), in one document.
    public static func xml(suites: [(name: String, outcomes: [QCGate.Outcome])]) -> String {
        func escape(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        let all = suites.flatMap(\.outcomes)
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"earshot\" tests=\"\(all.count)\" failures=\"\(all.filter(\.failed).count)\">\n"
        for (name, outcomes) in suites {
            let failures = outcomes.filter(\.failed).count
            out += "  <testsuite name=\"\(escape(name))\" tests=\"\(outcomes.count)\" failures=\"\(failures)\">\n"
            for o in outcomes {
                out += "    <testcase classname=\"\(escape(o.subject))\" name=\"\(escape(o.gate))\""
                if o.failed {
                    out += ">\n      <failure message=\"\(escape(o.message))\">\(escape(o.message))</failure>\n    </testcase>\n"
                } else {
                    out += "/>\n"
                }
            }
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }
}

import ArgumentParser
import EarshotKit
import Foundation

/// `earshot compare`: per-word differences between scenarios of one report, or between a
/// before and an after report.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare words side by side: two scenarios of one report, or a before and an after mix.",
        discussion: """
        earshot compare REPORT.json --scenario A --scenario B      the same mix on two scenarios
        earshot compare BEFORE.json AFTER.json [--scenario A]      two mixes (run check on each first)
        Shows the words whose masking or short-time SII (by 0.05 or more) changed; --all shows every word. \(exitCodesHelp)
        """)

    @Argument(help: "One report.json (two --scenario) or two (before, after).") var reports: [String]
    @Option(help: "Scenario id DEVICE@ENVIRONMENT (once or twice).") var scenario: [String] = []
    @Flag(help: "Show every word, not only the changed ones.") var all = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try runReportingErrors {
            let comparison: ReportComparison
            switch (reports.count, scenario.count) {
            case (1, 2):
                let r = try ReportComparison.load(reports[0])
                comparison = ReportComparison(a: try ReportComparison.column(report: r, scenario: scenario[0], file: reports[0]),
                                              b: try ReportComparison.column(report: r, scenario: scenario[1], file: reports[0]))
            case (2, 0), (2, 1):
                let before = try ReportComparison.load(reports[0]), after = try ReportComparison.load(reports[1])
                comparison = ReportComparison(a: try ReportComparison.column(report: before, scenario: scenario.first, file: reports[0]),
                                              b: try ReportComparison.column(report: after, scenario: scenario.first, file: reports[1]))
            default:
                throw EarshotError.usage("give one report with two --scenario, or two reports (before, after) with at most one --scenario")
            }
            let rows = comparison.rows.filter { all || $0.changed }
            func cell(_ c: (sii: Double?, masked: Bool, maskedBy: String?)?) -> String {
                guard let c else { return "-" }
                let sii = c.sii.map { String(format: "%.2f", $0) } ?? "n/a"
                return c.masked ? "\(sii) MASKED (\(c.maskedBy ?? "?"))" : sii
            }
            if json {
                try printJSON([
                    "a": comparison.a.label, "b": comparison.b.label,
                    "maskedA": comparison.a.words.values.filter(\.masked).count,
                    "maskedB": comparison.b.words.values.filter(\.masked).count,
                    "words": rows.map { r -> [String: Any] in
                        ["index": r.index, "text": r.text, "startSeconds": r.startSeconds,
                         "siiA": r.a?.sii ?? NSNull(), "siiB": r.b?.sii ?? NSNull(),
                         "maskedA": r.a?.masked ?? NSNull(), "maskedB": r.b?.masked ?? NSNull(),
                         "maskedByA": r.a?.maskedBy ?? NSNull(), "maskedByB": r.b?.maskedBy ?? NSNull(),
                         "siiChange": r.siiChange ?? NSNull()]
                    },
                ])
                return
            }
            let maskedA = comparison.a.words.values.filter(\.masked).count, maskedB = comparison.b.words.values.filter(\.masked).count
            print("A: \(comparison.a.label): \(maskedA) masked of \(comparison.a.words.count)")
            print("B: \(comparison.b.label): \(maskedB) masked of \(comparison.b.words.count)")
            let newlyMasked = comparison.rows.filter { $0.a?.masked == false && $0.b?.masked == true }.count
            let saved = comparison.rows.filter { $0.a?.masked == true && $0.b?.masked == false }.count
            print("masked in B only: \(newlyMasked); masked in A only: \(saved)\n")
            print(pad("word", 18) + pad("time s", 9) + pad("A", 28) + pad("B", 28) + "ΔSII")
            for r in rows {
                print(pad("\(r.index) \(r.text)", 18) + pad(String(format: "%.2f", r.startSeconds), 9) + pad(cell(r.a), 28) + pad(cell(r.b), 28)
                      + (r.siiChange.map { String(format: "%+.2f", $0) } ?? ""))
            }
        }
    }
}

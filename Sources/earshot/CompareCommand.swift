import ArgumentParser
import EarshotKit
import Foundation

/// `earshot compare`: per-word differences between scenarios of one report, or between a
/// before and an after report.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare words side by side: two scenarios of one report, or a before and an after mix.",
        discussion: """
        earshot compare BEFORE.json AFTER.json                     two mixes (run check on each first), every scenario both have
        earshot compare BEFORE.json AFTER.json --scenario A        … on one scenario
        earshot compare REPORT.json --scenario A --scenario B      the same mix on two scenarios
        Reports are labelled by the folder they are in (qc/ep01-v2/report.json: ep01-v2; the \
        folder above it too when both folders have the same name). Leads each scenario with the \
        words the mix costs on each side and the words lost to the situation as context, then \
        shows the words whose masking or short-time SII (by 0.05 or more) changed; --all shows \
        every word. \
        \(ExitStatus.help(gates: false))
        """)

    @Argument(help: "Two report.json files (before, after), or one with two --scenario.") var reports: [String]
    @Option(help: ArgumentHelp("Scenario id (two reports: at most once; one report: twice).", valueName: "device@environment")) var scenario: [String] = []
    @Flag(help: "Show every word, not only the changed ones.") var all = false
    @Flag(help: "Print JSON on stdout instead of the tables.") var json = false

    func run() throws {
        let comparisons: [ReportComparison]
        let labels: (String, String)
        switch (reports.count, scenario.count) {
        case (1, 2):
            let report = try ReportDocument.read(path: reports[0])
            comparisons = [try ReportComparison.scenarios(scenario[0], scenario[1], of: report, file: reports[0])]
            labels = (scenario[0], scenario[1])
        case (2, 0), (2, 1):
            let before = try ReportDocument.read(path: reports[0]), after = try ReportDocument.read(path: reports[1])
            labels = ReportLabels.labels(reports[0], reports[1])
            comparisons = try ReportComparison.beforeAfter(before, after, files: (reports[0], reports[1]), labels: labels, scenario: scenario.first)
        default:
            throw EarshotError.usage("give two reports (before, after; --scenario at most once), or one report with two --scenario")
        }
        if json {
            printJSON(.object([
                ("a", .string(labels.0)), ("b", .string(labels.1)),
                ("comparisons", .array(comparisons.map(jsonComparison))),
            ]))
            return
        }
        print("A: \(labels.0)" + (reports.count == 2 ? " (\(reports[0]))" : ""))
        print("B: \(labels.1)" + (reports.count == 2 ? " (\(reports[1]))" : ""))
        for c in comparisons { printTable(c) }
    }

    func jsonComparison(_ c: ReportComparison) -> JSONValue {
        let rows = c.rows.filter { all || $0.changed }
        return .object([
            ("scenarioA", .string(c.a.scenario)), ("scenarioB", .string(c.b.scenario)),
            ("maskedByMixA", c.a.maskedByMixCount.map { .integer($0) } ?? .null),
            ("maskedByMixB", c.b.maskedByMixCount.map { .integer($0) } ?? .null),
            ("maskedBySituationA", c.a.maskedBySituationCount.map { .integer($0) } ?? .null),
            ("maskedBySituationB", c.b.maskedBySituationCount.map { .integer($0) } ?? .null),
            ("maskedA", .integer(c.a.maskedCount)), ("maskedB", .integer(c.b.maskedCount)),
            ("totalA", .integer(c.a.words.count)), ("totalB", .integer(c.b.words.count)),
            ("words", .array(rows.map { r in
                .object([
                    ("index", .integer(r.index)), ("text", .string(r.text)), ("startSeconds", .num(r.startSeconds)),
                    ("siiA", .num(r.a?.sii)), ("siiB", .num(r.b?.sii)),
                    ("maskedA", r.a.map { .bool($0.masked) } ?? .null), ("maskedB", r.b.map { .bool($0.masked) } ?? .null),
                    ("maskedByA", .str(r.a?.maskedBy)), ("maskedByB", .str(r.b?.maskedBy)),
                    ("maskedWithoutMixA", r.a?.maskedWithoutMix.map { JSONValue.bool($0) } ?? JSONValue.null),
                    ("maskedWithoutMixB", r.b?.maskedWithoutMix.map { JSONValue.bool($0) } ?? JSONValue.null),
                    ("siiChange", .num(r.siiChange)),
                ])
            })),
        ])
    }

    func printTable(_ c: ReportComparison) {
        // MASKED: the mix's cost; lost: masked even without the mix (the situation's).
        func cell(_ x: ReportComparison.Cell?) -> String {
            guard let x else { return "-" }
            let sii = x.sii.map { String(format: "%.2f", $0) } ?? "n/a"
            guard x.masked else { return sii }
            return x.maskedWithoutMix == true ? "\(sii) lost (\(x.maskedBy ?? "?"))" : "\(sii) MASKED (\(x.maskedBy ?? "?"))"
        }
        print("\n" + c.headline)
        let newlyMasked = c.rows.filter { $0.a?.masked == false && $0.b?.masked == true }.count
        let saved = c.rows.filter { $0.a?.masked == true && $0.b?.masked == false }.count
        print("masked in B only: \(newlyMasked); masked in A only: \(saved)")
        for (side, words) in [("A", c.a.words), ("B", c.b.words)] where words.isEmpty {
            print("\(side) has no per-word results (it was checked without a dialogue stem): only the other side's words are listed")
        }
        let rows = c.rows.filter { all || $0.changed }
        if rows.isEmpty { print("no word changed"); return }
        print("MASKED: by the mix; lost: masked even without the mix (the device or the place is the limit)")
        print(pad("word", 18) + pad("time s", 9) + pad("A", 28) + pad("B", 28) + "ΔSII")
        for r in rows {
            print(pad("\(r.index) \(r.text)", 18) + pad(String(format: "%.2f", r.startSeconds), 9) + pad(cell(r.a), 28) + pad(cell(r.b), 28)
                  + (r.siiChange.map { String(format: "%+.2f", $0) } ?? ""))
        }
    }
}

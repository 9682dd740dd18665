import Foundation

/// Per-word differences between two columns of check results: the same mix on two scenarios,
/// or two mixes (before/after) on the same scenario. Words are matched by index and text.
public struct ReportComparison: Sendable {
    /// One scenario's words from one report, under the label the comparison shows.
    public struct Column: Sendable {
        public var label: String
        public var scenario: String
        /// `maskedWithoutMix` is nil in reports written before the mix's share was measured.
        public var words: [Int: (text: String, startSeconds: Double, sii: Double?, masked: Bool, maskedBy: String?, maskedWithoutMix: Bool?)]

        public var maskedCount: Int { words.values.filter(\.masked).count }
        /// Words masked but heard without the mix: the mix's cost; nil when the report cannot tell.
        public var maskedByMixCount: Int? {
            let masked = words.values.filter(\.masked)
            guard masked.allSatisfy({ $0.maskedWithoutMix != nil }) else { return nil }
            return masked.filter { $0.maskedWithoutMix == false }.count
        }
        /// Words masked even without the mix: the situation's; nil when the report cannot tell.
        public var maskedBySituationCount: Int? { maskedByMixCount.map { maskedCount - $0 } }
    }

    /// One word in one column.
    public typealias Cell = (sii: Double?, masked: Bool, maskedBy: String?, maskedWithoutMix: Bool?)

    /// One word in both columns (nil where a column lacks it).
    public struct Row: Sendable {
        public var index: Int
        public var text: String
        public var startSeconds: Double
        public var a: Cell?
        public var b: Cell?
        public var siiChange: Double? {
            guard let x = a?.sii, let y = b?.sii else { return nil }
            return y - x
        }
        public var changed: Bool {
            a?.masked != b?.masked || a?.maskedBy != b?.maskedBy || a?.maskedWithoutMix != b?.maskedWithoutMix || abs(siiChange ?? 1) >= 0.05
        }
    }

    /// The comparison's first line, leading with what the mix costs on each side and giving the
    /// situation's losses as context: "phone@bus: masked by the mix A 3 of 44, B 0 of 44; lost
    /// to the situation (context) A 12, B 12". When a report does not tell the mix's share (it
    /// predates it), the masked words: "phone@bus: A 15 masked of 44, B 12 masked of 44 (…)".
    public var headline: String {
        let heading = a.scenario == b.scenario ? a.scenario : "\(a.scenario) against \(b.scenario)"
        guard let mixA = a.maskedByMixCount, let mixB = b.maskedByMixCount,
              let situationA = a.maskedBySituationCount, let situationB = b.maskedBySituationCount else {
            return "\(heading): A \(a.maskedCount) masked of \(a.words.count), B \(b.maskedCount) masked of \(b.words.count)"
                + " (the mix's share is not in both reports)"
        }
        return "\(heading): masked by the mix A \(mixA) of \(a.words.count), B \(mixB) of \(b.words.count); "
            + "lost to the situation (context) A \(situationA), B \(situationB)"
    }

    public var a: Column
    public var b: Column

    public init(a: Column, b: Column) {
        self.a = a
        self.b = b
    }

    public var rows: [Row] {
        let indices = Set(a.words.keys).union(b.words.keys).sorted()
        return indices.map { i in
            let x = a.words[i], y = b.words[i]
            return Row(index: i, text: x?.text ?? y!.text, startSeconds: x?.startSeconds ?? y!.startSeconds,
                       a: x.map { ($0.sii, $0.masked, $0.maskedBy, $0.maskedWithoutMix) }, b: y.map { ($0.sii, $0.masked, $0.maskedBy, $0.maskedWithoutMix) })
        }
    }

    /// One scenario's words from a report; a scenario the report lacks is an error naming the
    /// ones it has.
    public static func column(report: ReportDocument, scenario: String, label: String, file: String) throws -> Column {
        guard let s = report.scenario(scenario) else {
            throw EarshotError.badInput(file: file, "has no scenario '\(scenario)'; it has \(report.scenarios.map(\.id).joined(separator: ", "))")
        }
        var words: [Int: (String, Double, Double?, Bool, String?, Bool?)] = [:]
        for w in s.words { words[w.index] = (w.text, w.startSeconds, w.sii, w.masked, w.maskedBy, w.masked ? w.maskedWithoutMix : false) }
        return Column(label: label, scenario: scenario, words: words)
    }

    /// Two scenarios of one report.
    public static func scenarios(_ first: String, _ second: String, of report: ReportDocument, file: String) throws -> ReportComparison {
        ReportComparison(a: try column(report: report, scenario: first, label: first, file: file),
                         b: try column(report: report, scenario: second, label: second, file: file))
    }

    /// A before and an after report, scenario by scenario: every scenario both reports have
    /// (in the before report's order), or only `scenario`. Columns are labelled `labels`
    /// (see `ReportLabels`). Reports that share no scenario are an error naming both lists.
    public static func beforeAfter(_ before: ReportDocument, _ after: ReportDocument, files: (String, String),
                                   labels: (String, String), scenario: String? = nil) throws -> [ReportComparison] {
        let shared: [String]
        if let scenario {
            shared = [scenario]
        } else {
            let afterIDs = Set(after.scenarios.map(\.id))
            shared = before.scenarios.map(\.id).filter(afterIDs.contains)
            if shared.isEmpty {
                throw EarshotError.badInput(file: files.1, "shares no scenario with \(files.0) (\(before.scenarios.map(\.id).joined(separator: ", ")) against \(after.scenarios.map(\.id).joined(separator: ", ")))")
            }
        }
        return try shared.map { id in
            ReportComparison(a: try column(report: before, scenario: id, label: labels.0, file: files.0),
                             b: try column(report: after, scenario: id, label: labels.1, file: files.1))
        }
    }
}

/// Short names for two reports compared side by side: the folder each report.json is in
/// (`qc/ep01-v1/report.json` → `ep01-v1`), walking up while the two names are the same
/// (`v1/ep01/report.json` against `v2/ep01/report.json` → `v1/ep01`, `v2/ep01`); the file
/// names when the folders cannot tell them apart, and "before"/"after" for the same file.
public enum ReportLabels {
    public static func labels(_ first: String, _ second: String) -> (String, String) {
        let a = components(first), b = components(second)
        if a == b { return ("before", "after") }
        // Folders above the file, innermost first.
        let folderA = Array(a.dropLast().reversed()), folderB = Array(b.dropLast().reversed())
        var depth = 1
        while depth <= max(folderA.count, folderB.count) {
            let x = folderA.prefix(depth).reversed().joined(separator: "/"), y = folderB.prefix(depth).reversed().joined(separator: "/")
            if x != y && !x.isEmpty && !y.isEmpty { return (x, y) }
            depth += 1
        }
        let nameA = a.last ?? first, nameB = b.last ?? second
        return nameA == nameB ? ("before", "after") : (nameA, nameB)
    }

    /// The path's components after making it absolute and resolving `.` and `..`.
    static func components(_ path: String) -> [String] {
        URL(fileURLWithPath: path).standardizedFileURL.pathComponents.filter { $0 != "/" }
    }
}

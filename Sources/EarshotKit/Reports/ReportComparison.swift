import Foundation

/// Per-word differences between two columns of check results: the same mix on two scenarios,
/// or two mixes (before/after) on the same scenario. Words are matched by index and text.
public struct ReportComparison: Sendable {
    public struct Column: Sendable {
        public var label: String
        public var words: [Int: (text: String, startSeconds: Double, sii: Double?, masked: Bool, maskedBy: String?)]
    }

    public struct Row: Sendable {
        public var index: Int
        public var text: String
        public var startSeconds: Double
        public var a: (sii: Double?, masked: Bool, maskedBy: String?)?
        public var b: (sii: Double?, masked: Bool, maskedBy: String?)?
        public var siiChange: Double? {
            guard let x = a?.sii, let y = b?.sii else { return nil }
            return y - x
        }
        public var changed: Bool { a?.masked != b?.masked || a?.maskedBy != b?.maskedBy || abs(siiChange ?? 1) >= 0.05 }
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
                       a: x.map { ($0.sii, $0.masked, $0.maskedBy) }, b: y.map { ($0.sii, $0.masked, $0.maskedBy) })
        }
    }

    /// One scenario's words from a report.json (parsed with JSONSerialization).
    public static func column(report: [String: Any], scenario: String?, file: String) throws -> Column {
        guard let scenarios = report["scenarios"] as? [[String: Any]] else {
            throw EarshotError.badInput(file: file, "not an Earshot report.json (no scenarios)")
        }
        let ids = scenarios.compactMap { $0["id"] as? String }
        let chosen: [String: Any]
        if let scenario {
            guard let s = scenarios.first(where: { ($0["id"] as? String) == scenario }) else {
                throw EarshotError.badInput(file: file, "has no scenario '\(scenario)'; it has \(ids.joined(separator: ", "))")
            }
            chosen = s
        } else {
            guard scenarios.count == 1 else {
                throw EarshotError.usage("\(file) has \(scenarios.count) scenarios; name one with --scenario (\(ids.joined(separator: ", ")))")
            }
            chosen = scenarios[0]
        }
        var words: [Int: (String, Double, Double?, Bool, String?)] = [:]
        for w in chosen["words"] as? [[String: Any]] ?? [] {
            guard let i = w["index"] as? Int, let text = w["text"] as? String, let start = (w["startSeconds"] as? NSNumber)?.doubleValue else {
                throw EarshotError.badInput(file: file, location: "scenario \(chosen["id"] ?? "?")", "a word lacks index, text or startSeconds")
            }
            words[i] = (text, start, (w["sii"] as? NSNumber)?.doubleValue, w["masked"] as? Bool ?? false, w["maskedBy"] as? String)
        }
        return Column(label: "\(chosen["id"] as? String ?? "?") (\((file as NSString).lastPathComponent))", words: words)
    }

    public static func load(_ path: String) throws -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path) else { throw EarshotError.badInput(file: path, "cannot read the report") }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw EarshotError.badInput(file: path, "not valid JSON")
        }
        return object
    }
}

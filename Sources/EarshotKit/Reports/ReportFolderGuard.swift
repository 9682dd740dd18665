import Foundation

/// Keeps `earshot check` from silently replacing the report of another programme: an output
/// folder whose report.json was made from other input files is refused unless the user says
/// `--force`. report.json records its inputs by file name (`input.mix`, `input.dialogue`, …);
/// the report is another programme's when a role present in both has another file name, or the
/// two share no role at all. Word timings are not compared: checking the same audio again with
/// better timings replaces the report. A report.json that records no inputs (not written by
/// Earshot, or unreadable) is not attributed to any programme and is replaced as before.
public enum ReportFolderGuard {
    /// Throws a bad-input error naming the folder and the other programme's file when `folder`
    /// holds a report.json of other inputs.
    public static func check(folder: String, for inputs: ScenarioInputs) throws {
        guard let recorded = recordedInputs(reportPath: folder + "/report.json"), !recorded.isEmpty else { return }
        var shared = false
        for role in ScenarioInputs.Role.allCases {
            guard let old = recorded[role], let new = inputs.paths[role].map({ ($0 as NSString).lastPathComponent }) else { continue }
            shared = true
            if old != new { throw refusal(folder: folder, role: role, other: old, this: new) }
        }
        if !shared, let role = recorded.keys.sorted().first, let old = recorded[role] {
            throw refusal(folder: folder, role: role, other: old, this: nil)
        }
    }

    /// The input file names report.json records, by role (its `input`, read with the typed
    /// reader); nil when it is not an Earshot report.
    static func recordedInputs(reportPath: String) -> [ScenarioInputs.Role: String]? {
        struct Recorded: Decodable { var input: ReportDocument.Input }
        guard let data = FileManager.default.contents(atPath: reportPath),
              let input = (try? JSONDecoder().decode(Recorded.self, from: data))?.input else { return nil }
        var names: [ScenarioInputs.Role: String] = [:]
        for role in ScenarioInputs.Role.allCases {
            if let name = input.fileName(role) { names[role] = name }
        }
        return names
    }

    static func refusal(folder: String, role: ScenarioInputs.Role, other: String, this: String?) -> EarshotError {
        let versus = this.map { ", not \($0)" } ?? ""
        return EarshotError(.badInput, file: folder,
                            "holds the report of another programme (its \(role.label) is \(other)\(versus)); give another --out, or --force to replace it")
    }
}

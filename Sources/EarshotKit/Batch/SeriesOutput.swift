import Foundation

/// Writing the series report, and building it from the outputs of several shards.
public enum SeriesOutput {
    /// Writes series.json and series.html into `folder` (each whole or not at all).
    public static func write(_ report: SeriesReport, to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try AtomicFile.write(report.json().serialized(), to: folder + "/series.json")
        try AtomicFile.write(SeriesHTML.page(report), to: folder + "/series.html")
    }

    /// The series report of an unsharded run from its outcomes.
    public static func report(folder: String, outcomes: [EpisodeOutcome], settings: CheckSettings) -> SeriesReport {
        SeriesReport(folder: folder, checked: outcomes.filter { $0.status != .failed }.map(\.name),
                     failed: outcomes.filter { $0.status == .failed }.map { ($0.name, $0.error ?? "failed") },
                     settings: settings.fingerprint)
    }

    /// `earshot batch --merge`: reads the shard summaries (`shard-K-of-N.json`) in `folders`,
    /// checks that shards 1…N are all there exactly once and ran with the same settings,
    /// gathers the episodes' report files into `out/<name>/` (when they are elsewhere) and
    /// builds the series report from them.
    public static func merge(folders: [String], out: String) throws -> SeriesReport {
        var summaries: [(path: String, folder: String, summary: ShardSummary)] = []
        var seen = Set<String>()
        for folder in folders {
            let canonical = canonicalPath(folder)
            guard seen.insert(canonical).inserted else { continue }
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
                throw EarshotError.badInput(file: folder, "no such folder (give the output folders of the shards)")
            }
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter(isSummaryName).sorted()
            if files.isEmpty {
                throw EarshotError.badInput(file: folder, "no shard summaries (shard-K-of-N.json): was earshot batch --shard K/N run with --out here?")
            }
            for file in files { summaries.append((folder + "/" + file, folder, try ShardSummary.read(path: folder + "/" + file))) }
        }
        let counts = Set(summaries.map(\.summary.shard.count))
        guard counts.count == 1, let n = counts.first else {
            throw EarshotError.badInput(file: folders.joined(separator: ", "),
                "shard summaries of different splits (\(counts.sorted().map { "of \($0)" }.joined(separator: ", "))); remove the stale shard-K-of-N.json files")
        }
        var byIndex: [Int: (path: String, folder: String, summary: ShardSummary)] = [:]
        for s in summaries {
            if let other = byIndex[s.summary.shard.index] {
                throw EarshotError.badInput(file: s.path, "shard \(s.summary.shard) is also in \(other.path); give each shard's output once")
            }
            byIndex[s.summary.shard.index] = s
        }
        let missing = (1...n).filter { byIndex[$0] == nil }
        if !missing.isEmpty {
            throw EarshotError.badInput(file: folders.joined(separator: ", "),
                "shard\(missing.count > 1 ? "s" : "") \(missing.map { "\($0)/\(n)" }.joined(separator: ", ")) missing (no shard-K-of-\(n).json); run them, or give their output folders")
        }
        let ordered = (1...n).map { byIndex[$0]! }
        let first = ordered[0]
        for s in ordered.dropFirst() {
            if s.summary.settings != first.summary.settings {
                throw EarshotError.badInput(file: s.path, "ran with other settings than \(first.path) (scenarios, volume or masking threshold); rerun it with the same options")
            }
            if s.summary.seriesEpisodeCount != first.summary.seriesEpisodeCount {
                throw EarshotError.badInput(file: s.path, "counts \(s.summary.seriesEpisodeCount) episodes in the series but \(first.path) counts \(first.summary.seriesEpisodeCount); were the shards run over the same episodes?")
            }
        }
        var checked: [String] = [], failed: [(String, String)] = []
        var names = Set<String>()
        for s in ordered {
            for o in s.summary.outcomes {
                guard names.insert(o.name).inserted else {
                    throw EarshotError.badInput(file: s.path, "episode '\(o.name)' is also in another shard")
                }
                if o.status == .failed { failed.append((o.name, o.error ?? "failed")); continue }
                checked.append(o.name)
                let source = s.folder + "/" + o.name + "/report.json"
                let destination = out + "/" + o.name + "/report.json"
                guard let text = try? String(contentsOfFile: source, encoding: .utf8) else {
                    throw EarshotError.badInput(file: source, "missing: \(s.path) lists the episode as \(o.status.rawValue)")
                }
                if canonicalPath(s.folder) != canonicalPath(out) {
                    try FileManager.default.createDirectory(atPath: out + "/" + o.name, withIntermediateDirectories: true)
                    // The episode's other report files first, report.json last (as a check writes them).
                    for name in ReportFiles.names where name != "report.json" {
                        if let data = FileManager.default.contents(atPath: s.folder + "/" + o.name + "/" + name) {
                            try AtomicFile.write(data, to: out + "/" + o.name + "/" + name)
                        }
                    }
                    try AtomicFile.write(text, to: destination)
                }
            }
        }
        if names.count != first.summary.seriesEpisodeCount {
            throw EarshotError.badInput(file: folders.joined(separator: ", "),
                "the shards hold \(names.count) episodes but the series has \(first.summary.seriesEpisodeCount); a shard summary is incomplete (was a shard interrupted?)")
        }
        return SeriesReport(folder: out, checked: checked, failed: failed, settings: first.summary.settings)
    }

    static func isSummaryName(_ file: String) -> Bool {
        let parts = file.split(separator: "-")
        return parts.count == 4 && parts[0] == "shard" && Int(parts[1]) != nil && parts[2] == "of"
            && parts[3].hasSuffix(".json") && Int(parts[3].dropLast(5)) != nil
    }

    static func canonicalPath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}

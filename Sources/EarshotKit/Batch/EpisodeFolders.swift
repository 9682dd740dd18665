import Foundation

/// Finds the episodes of a series in a folder of episode folders. Each sub-folder is one
/// episode named after the folder; inside it the stems are files named `dialogue`, `music`,
/// `effects`, `me` or `mix` (any case) with an audio extension, and the word timings
/// `words.srt`, `words.vtt`, `words.TextGrid` or `words.json`. Hidden folders, the output
/// folder (when it lies inside) and earlier batch outputs (holding series.json or a shard
/// summary) are skipped; other files are ignored.
public enum EpisodeFolders {
    /// Extensions taken as audio (libsndfile's formats).
    public static let audioExtensions: Set<String> = [
        "wav", "wave", "bwf", "rf64", "w64", "flac", "aif", "aiff", "aifc", "ogg", "oga", "opus", "caf", "mp3", "au", "snd",
    ]
    public static let wordsExtensions: Set<String> = ["srt", "vtt", "textgrid", "json"]

    public static func discover(folder: String, excluding outFolder: String? = nil) throws -> [BatchEpisode] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir) else {
            throw EarshotError.badInput(file: folder, "no such folder")
        }
        guard isDir.boolValue else {
            throw EarshotError.badInput(file: folder, "not a folder; give a folder of episode folders, or a manifest ending in .json or .csv")
        }
        let excluded = outFolder.map { URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path }
        let entries = try contents(of: folder)
        var episodes: [BatchEpisode] = []
        for name in entries where !name.hasPrefix(".") {
            let path = folder + "/" + name
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else { continue }
            if let excluded, URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path == excluded { continue }
            if isBatchOutput(path) { continue }
            episodes.append(episode(folder: path, name: name))
        }
        if episodes.isEmpty {
            throw EarshotError.badInput(file: folder,
                "no episode folders found; expected one sub-folder per episode holding dialogue/music/effects/me/mix audio files and words.srt|vtt|TextGrid|json")
        }
        return episodes.sorted { $0.name < $1.name }
    }

    /// One episode folder; a folder without usable inputs gives an episode with a `problem`.
    public static func episode(folder: String, name: String) -> BatchEpisode {
        var paths: [ScenarioInputs.Role: String] = [:]
        var words: [String] = []
        var problem: EarshotError?
        let files = (try? contents(of: folder)) ?? []
        for file in files where !file.hasPrefix(".") {
            let ext = (file as NSString).pathExtension.lowercased()
            let base = (file as NSString).deletingPathExtension.lowercased()
            let path = folder + "/" + file
            if base == "words" && wordsExtensions.contains(ext) {
                words.append(path)
            } else if audioExtensions.contains(ext), let role = ScenarioInputs.Role(rawValue: base) {
                if let earlier = paths[role] {
                    problem = problem ?? .badInput(file: folder, "two \(role.label) files, \((earlier as NSString).lastPathComponent) and \(file); keep one")
                }
                paths[role] = path
            }
        }
        if words.count > 1 {
            problem = problem ?? .badInput(file: folder, "several word timing files (\(words.map { ($0 as NSString).lastPathComponent }.joined(separator: ", "))); keep one")
        }
        var inputs = ScenarioInputs()
        inputs.paths = paths
        if problem == nil {
            if paths.isEmpty {
                problem = .badInput(file: folder,
                    "no usable stem: expected audio files named dialogue, music, effects, me or mix (.\(audioExtensions.sorted().joined(separator: " ."))), found \(files.isEmpty ? "nothing" : files.joined(separator: ", "))")
            } else if paths[.me] != nil && (paths[.music] != nil || paths[.effects] != nil) {
                problem = .badInput(file: folder, "holds both an me file and music/effects files; keep either me, or music and effects")
            } else if paths[.mix] == nil && paths.count == 1 && paths[.dialogue] != nil {
                problem = .badInput(file: folder, "only a dialogue stem: add the mix, or the M&E (me, or music and effects)")
            }
        }
        return BatchEpisode(name: name, inputs: inputs, wordsPath: words.first, problem: problem)
    }

    /// A folder `earshot batch` wrote (series.json or a shard summary in it): not an episode.
    static func isBatchOutput(_ folder: String) -> Bool {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return files.contains("series.json") || files.contains(where: SeriesOutput.isSummaryName)
    }

    static func contents(of folder: String) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        } catch {
            throw EarshotError.badInput(file: folder, "cannot list the folder (\(error.localizedDescription))")
        }
    }
}

import Foundation

/// The name of the episode a programme is, from its files: what `earshot check` names its
/// default report folder after (`earshot-reports/<episode>/`). The mix's file name (else the
/// dialogue stem's, else another stem's) without its extension and without trailing stem words
/// such as `_mix`, `-dx`, ` dialogue` or `_me`: `ep01_mix.wav` and `EP01 Dialogue.wav` are `ep01`
/// and `EP01`. When nothing but stem words is left (`mix.wav`, `dx.wav`), the name of the folder
/// the file is in: `ep01/mix.wav` is `ep01`.
public enum EpisodeName {
    /// Words that name a stem or a mix rather than an episode (compared without case).
    public static let stemWords: Set<String> = [
        "mix", "full", "fullmix", "printmaster", "master",
        "dx", "dia", "dial", "dialog", "dialogue", "dialogues",
        "me", "m&e", "mne", "music", "mx", "effects", "fx", "sfx", "stem", "stems",
    ]

    /// Characters that separate a stem word from the episode name.
    static let separators: Set<Character> = ["_", "-", " ", "."]

    /// The episode name of a programme.
    public static func of(_ inputs: ScenarioInputs) -> String {
        guard let path = inputs.paths[.mix] ?? inputs.paths[.dialogue] ?? inputs.paths.values.sorted().first else { return "programme" }
        return of(path: path)
    }

    /// The episode name of one file.
    public static func of(path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let base = url.deletingPathExtension().lastPathComponent
        let stripped = strippingStemWords(base)
        if !stripped.isEmpty { return stripped }
        let folder = url.deletingLastPathComponent().lastPathComponent
        if !folder.isEmpty, folder != "/", folder != ".", folder != ".." { return folder }
        return base.isEmpty ? "programme" : base
    }

    /// The name without its trailing stem words and separators; empty when only those were left.
    static func strippingStemWords(_ name: String) -> String {
        var words = splitKeepingSeparators(name)
        while let last = words.last {
            if last.allSatisfy({ separators.contains($0) }) || stemWords.contains(last.lowercased()) {
                words.removeLast()
            } else {
                break
            }
        }
        return words.joined()
    }

    /// "ep01_dx" → ["ep01", "_", "dx"]: runs of separators and runs of other characters.
    static func splitKeepingSeparators(_ name: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var currentIsSeparator = false
        for character in name {
            let isSeparator = separators.contains(character)
            if !current.isEmpty && isSeparator != currentIsSeparator {
                parts.append(current)
                current = ""
            }
            current.append(character)
            currentIsSeparator = isSeparator
        }
        if !current.isEmpty { parts.append(current) }
        return parts
    }
}

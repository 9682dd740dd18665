import Foundation

/// One episode of a series as `earshot batch` sees it: a name (its output folder), its stems
/// or mix, and its word timings. An episode whose inputs could not be worked out carries the
/// reason in `problem` and fails on its own without stopping the batch.
public struct BatchEpisode: Sendable, Equatable {
    public var name: String
    public var inputs: ScenarioInputs
    public var wordsPath: String?
    public var problem: EarshotError?

    public init(name: String, inputs: ScenarioInputs, wordsPath: String? = nil, problem: EarshotError? = nil) {
        self.name = name
        self.inputs = inputs
        self.wordsPath = wordsPath
        self.problem = problem
    }

    /// Every file the episode's report depends on.
    public var inputFiles: [String] {
        ScenarioInputs.Role.allCases.compactMap { inputs.paths[$0] } + (wordsPath.map { [$0] } ?? [])
    }

    /// A name that can be a folder under the output folder: not empty, no path separator, not
    /// starting with a dot.
    static func checkName(_ name: String, file: String?, location: String?) throws {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { throw EarshotError.badInput(file: file, location: location, "the episode has no name") }
        if trimmed != name || name.contains("/") || name.contains("\\") || name.hasPrefix(".") || name.contains("\0") {
            throw EarshotError.badInput(file: file, location: location,
                "episode name '\(name)' cannot be a folder name (no '/', no leading '.' or spaces)")
        }
    }

    static func checkUnique(_ episodes: [BatchEpisode], file: String) throws {
        var seen = Set<String>()
        for e in episodes where !seen.insert(e.name).inserted {
            throw EarshotError.badInput(file: file, "episode name '\(e.name)' appears twice; names must be unique (they name the output folders)")
        }
    }
}

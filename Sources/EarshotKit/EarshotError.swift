import Foundation

/// An error Earshot reports to the user: what is wrong, where (file, line, sample or field),
/// and, where it helps, what was expected. `description` is the one-line message the CLI prints.
public struct EarshotError: Error, CustomStringConvertible, LocalizedError, Equatable {
    /// The kind of failure, which decides the exit code.
    public enum Kind: Sendable, Equatable {
        /// The input (audio, timings, profile, values) is wrong: exit code 1.
        case badInput
        /// The command line is wrong: exit code 2.
        case usage
        /// Something outside Earshot failed (audio server, file system): exit code 1.
        case environment
    }

    public var kind: Kind
    /// The file the problem is in, if any.
    public var file: String?
    /// Where in the file: "line 12", "sample 48000", "field 'levels.sensitivityDBSPL'".
    public var location: String?
    public var message: String
    /// The library's name for the setting the message is about ("QC gate"), printed before the
    /// message; a command line replaces it with its option's name (`--fail-on`).
    public var setting: String?

    public init(_ kind: Kind = .badInput, file: String? = nil, location: String? = nil, setting: String? = nil, _ message: String) {
        self.kind = kind
        self.file = file
        self.location = location
        self.setting = setting
        self.message = message
    }

    public var description: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        if let location { parts.append(location) }
        parts.append((setting.map { $0 + " " } ?? "") + message)
        return parts.joined(separator: ": ")
    }

    public var errorDescription: String? { description }

    public static func badInput(file: String? = nil, location: String? = nil, _ message: String) -> EarshotError {
        EarshotError(.badInput, file: file, location: location, message)
    }

    public static func usage(_ message: String) -> EarshotError {
        EarshotError(.usage, message)
    }

    /// A setting given wrongly: `setting` is the library's name for it ("QC gate").
    public static func usage(setting: String, _ message: String) -> EarshotError {
        EarshotError(.usage, setting: setting, message)
    }
}

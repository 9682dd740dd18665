import Foundation
import PackagePlugin

/// Writes `BuildCommit.swift` into the target it is applied to: `let buildCommit: String?`, the
/// git commit the package is built from, or nil when the package is not a git checkout (a
/// source archive) or its HEAD cannot be read. The commit is read from the checkout's own files
/// (HEAD, the branch's ref, packed-refs; a linked worktree's `.git` file is followed), so the
/// `git` program is not needed. The plugin runs at every build and the commit is an argument of
/// the command, so a new commit rewrites the file and a build of the same commit leaves it alone.
@main
struct BuildCommitStamp: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectory.appending("BuildCommit.swift")
        let commit = GitCheckout(packageDirectory: context.package.directory.string)?.headCommit()
        let source = """
            // Generated at build time by the BuildCommitStamp plugin; not in the source tree.
            /// The git commit this build was made from; nil when it was built outside a git checkout.
            let buildCommit: String? = \(commit.map { "\"\($0)\"" } ?? "nil")

            """
        return [.buildCommand(displayName: "Stamping the build with commit \(commit ?? "(none: not a git checkout)")",
                              executable: Path("/bin/sh"),
                              arguments: ["-c", "printf '%s' \"$1\" > \"$2\"", "sh", source, output.string],
                              inputFiles: [],
                              outputFiles: [output])]
    }
}

/// The git metadata of a checkout, read from its files.
struct GitCheckout {
    /// The folder holding HEAD (`.git`, or a linked worktree's folder under the main `.git`).
    var gitDirectory: String
    /// The folder holding the shared refs (the same as `gitDirectory` outside linked worktrees).
    var commonDirectory: String

    init?(packageDirectory: String) {
        let dotGit = packageDirectory + "/.git"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dotGit, isDirectory: &isDirectory) else { return nil }
        if isDirectory.boolValue {
            gitDirectory = dotGit
        } else {
            guard let text = Self.read(dotGit), text.hasPrefix("gitdir:") else { return nil }
            gitDirectory = Self.resolve(String(text.dropFirst("gitdir:".count)).trimmingCharacters(in: .whitespaces), against: packageDirectory)
        }
        if let common = Self.read(gitDirectory + "/commondir") {
            commonDirectory = Self.resolve(common, against: gitDirectory)
        } else {
            commonDirectory = gitDirectory
        }
    }

    /// The full hexadecimal name of the commit HEAD points at, or nil.
    func headCommit() -> String? {
        guard let head = Self.read(gitDirectory + "/HEAD") else { return nil }
        guard head.hasPrefix("ref:") else { return Self.isCommitName(head) ? head : nil }
        let ref = String(head.dropFirst("ref:".count)).trimmingCharacters(in: .whitespaces)
        for folder in [gitDirectory, commonDirectory] {
            if let loose = Self.read(folder + "/" + ref), Self.isCommitName(loose) { return loose }
        }
        guard let packed = Self.read(commonDirectory + "/packed-refs") else { return nil }
        for line in packed.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("^") {
            let fields = line.split(separator: " ", maxSplits: 1)
            if fields.count == 2, fields[1] == ref, Self.isCommitName(String(fields[0])) { return String(fields[0]) }
        }
        return nil
    }

    static func isCommitName(_ text: String) -> Bool {
        text.count >= 40 && text.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    static func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else { return nil }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func resolve(_ path: String, against folder: String) -> String {
        path.hasPrefix("/") ? path : folder + "/" + path
    }
}

import EarshotKit

/// What `earshot --version` prints: the version and the git commit the binary was built from
/// (`buildCommit`, written at build time by the BuildCommitStamp plugin).
enum VersionText {
    static var line: String {
        let commit = buildCommit.map { "commit \($0.prefix(12))" } ?? "commit unknown: not built from a git checkout"
        return "earshot \(CheckReport.toolVersion) (\(commit))"
    }
}

import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// `earshot` as installed: `--version` names the commit it was built from, and a symlink to the
/// binary on the PATH, called by its bare name from any folder, still finds the stock
/// profiles of the checkout it was built in.
final class InstallTests: XCTestCase {
    var workspace: TestWorkspace!

    override func setUpWithError() throws { workspace = try TestWorkspace() }
    override func tearDown() { workspace.remove() }

    /// `git rev-parse HEAD` in the package root, or nil when that is not a git checkout or git
    /// is not installed.
    func checkoutCommit() throws -> String? {
        guard FileManager.default.fileExists(atPath: TestPackage.root.appendingPathComponent(".git").path) else { return nil }
        let git = try EarshotRun.run(URL(fileURLWithPath: "/usr/bin/env"), ["git", "-c", "safe.directory=*", "rev-parse", "HEAD"],
                                     in: TestPackage.root.path, scratch: workspace.root)
        guard git.status == 0 else { return nil }
        return git.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func testVersionNamesTheVersionAndTheCommitOfTheCheckout() throws {
        let result = try EarshotRun.run(try CheckCommandTests.earshotBinary(), ["--version"], in: workspace.root, scratch: workspace.root)
        XCTAssertEqual(result.status, 0, result.stderr)
        let prefix = "earshot \(CheckReport.toolVersion) (commit "
        XCTAssertTrue(result.stdout.hasPrefix(prefix) && result.stdout.hasSuffix(")\n"), result.stdout)
        let commit = String(result.stdout.dropFirst(prefix.count).dropLast(2))
        if let head = try checkoutCommit() {
            XCTAssertGreaterThanOrEqual(commit.count, 7, result.stdout)
            XCTAssertTrue(commit.allSatisfy { $0.isHexDigit }, result.stdout)
            XCTAssertTrue(head.hasPrefix(commit), "\(result.stdout) names another commit than the checkout's \(head)")
        } else {
            XCTAssertEqual(commit, "unknown: not built from a git checkout")
        }
    }

    func testASymlinkOnThePathFindsTheCheckoutsProfilesFromAnyFolder() throws {
        let bin = workspace.path("bin"), project = workspace.path("project")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: bin + "/earshot", withDestinationPath: try CheckCommandTests.earshotBinary().path)
        // A user's project with folders of the same names: not Earshot's, so never used.
        try FileManager.default.createDirectory(atPath: project + "/DeviceProfiles/empty", withIntermediateDirectories: true)
        try "{}\n".write(toFile: project + "/DeviceProfiles/profile.schema.json", atomically: true, encoding: .utf8)
        let path = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let result = try EarshotRun.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "earshot devices list"], in: project, scratch: workspace.root,
                                        environment: ["PATH": path, "EARSHOT_STOCK_PROFILES": nil, "EARSHOT_PROFILES": nil])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("phone-budget-speaker"), result.stdout)
        XCTAssertTrue(result.stdout.contains("studio-reference"), result.stdout)
    }
}

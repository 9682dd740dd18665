import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// `earshot devices import` and `devices validate` through the built binary: the imported
/// profile is written and valid, an existing one is kept without --force, a wrong --format is a
/// usage error naming the formats.
final class DevicesImportCommandTests: XCTestCase {
    var workspace: TestWorkspace!
    override func setUpWithError() throws { workspace = try TestWorkspace() }
    override func tearDown() { workspace.remove() }

    func testDevicesImportOnTheCommandLine() throws {
        var lines = ["* REW export", "* Freq(Hz) SPL(dB) Phase(degrees)"]
        var f = 10.0
        while f < 24000 { lines.append(String(format: "%.4f %.3f 0", f, 80 + MeasurementFixtures.importedCurveDB(f))); f *= pow(2, 1.0 / 24) }
        let path = workspace.path("laptop.txt")
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        func run(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
            let process = try SpawnedProcess(executable: try CheckCommandTests.earshotBinary().path, arguments: arguments,
                                             environment: ProcessInfo.processInfo.environment, stderrPath: workspace.path("stderr.txt"))
            return (try XCTUnwrap(process.waitUntilExit()), process.stderr)
        }
        let out = workspace.path("mine")
        let ok = try run(["devices", "import", path, "--name", "my-laptop", "--out", out, "--category", "laptop", "--by", "Test Runner"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertEqual(try run(["devices", "validate", out + "/my-laptop"]).status, 0)
        let again = try run(["devices", "import", path, "--name", "my-laptop", "--out", out, "--by", "Test Runner"])
        XCTAssertEqual(again.status, 2)
        XCTAssertTrue(again.stderr.contains("already exists") && again.stderr.contains("--force"), again.stderr)
        let wrong = try run(["devices", "import", path, "--name", "x", "--out", out, "--by", "T", "--format", "csv"])
        XCTAssertEqual(wrong.status, 2)
        XCTAssertTrue(wrong.stderr.contains("--format must be one of rew-ir, rew-text, autoeq"), wrong.stderr)
    }
}

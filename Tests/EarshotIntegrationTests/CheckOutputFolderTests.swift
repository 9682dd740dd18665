import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// Where `earshot check` writes when no --out is given (earshot-reports/<episode>/ in the
/// current folder), and that it refuses to replace the report of other input files unless
/// --force is given.
final class CheckOutputFolderTests: XCTestCase {
    var workspace: TestWorkspace!
    var scene: CheckScene!

    override func setUpWithError() throws {
        workspace = try TestWorkspace()
        scene = try CheckScene(workspace)
    }

    override func tearDown() { workspace.remove() }

    /// Runs `earshot check` on a mix in one test scenario, from `folder`, with the test profiles
    /// as the only stock profiles.
    func check(_ arguments: [String], from folder: String) throws -> EarshotRun {
        try EarshotRun.run(try CheckCommandTests.earshotBinary(),
                           ["check", "--scenario", "test-speaker@quiet-test"] + arguments,
                           in: folder, scratch: workspace.root,
                           environment: ["EARSHOT_STOCK_PROFILES": workspace.path("profiles"), "EARSHOT_PROFILES": nil])
    }

    /// The scene's mix written at `relativePath` in the workspace.
    func writeMix(_ relativePath: String) throws -> String {
        let path = workspace.path(relativePath)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let mix = CheckScene.sum(CheckScene.dialogue(), CheckScene.music())
        try AudioFile.write(path: path, channels: [mix, mix], sampleRate: CheckScene.rate, format: .float32)
        return path
    }

    func folder(_ relativePath: String) throws -> String {
        let path = workspace.path(relativePath)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func recordedMix(_ reportPath: String) throws -> String? {
        let data = try XCTUnwrap(FileManager.default.contents(atPath: reportPath), reportPath)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return (report["input"] as? [String: Any])?["mix"] as? String
    }

    func testTheDefaultFolderIsInTheCurrentFolderNamedAfterTheEpisode() throws {
        let mix = try writeMix("series/s01/ep07/mix.wav")
        let work = try folder("work")
        let result = try check(["--mix", mix], from: work)
        XCTAssertEqual(result.status, 0, result.stderr)
        let report = work + "/earshot-reports/ep07/report.json"
        XCTAssertEqual(try recordedMix(report), "mix.wav")
        XCTAssertTrue(FileManager.default.fileExists(atPath: work + "/earshot-reports/ep07/report.html"))
        XCTAssertTrue(result.stdout.contains("Report: earshot-reports/ep07/report.html"), result.stdout)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: work), ["earshot-reports"], "nothing else written in the current folder")
        XCTAssertFalse(FileManager.default.fileExists(atPath: workspace.path("series/s01/ep07/earshot-reports")), "nothing written beside the input")
    }

    func testAReportOfOtherInputFilesIsNotReplacedWithoutForce() throws {
        // Two versions of episode 1 whose names both give the episode name "ep01".
        let first = try writeMix("ep01_mix.wav"), second = try writeMix("ep01-mix.wav")
        let work = try folder("work")
        let report = work + "/earshot-reports/ep01/report.json"

        XCTAssertEqual(try check(["--mix", first], from: work).status, 0)
        let again = try check(["--mix", first], from: work)
        XCTAssertEqual(again.status, 0, "the same input again replaces its own report: \(again.stderr)")
        let firstReport = try XCTUnwrap(FileManager.default.contents(atPath: report))

        let refused = try check(["--mix", second], from: work)
        XCTAssertEqual(refused.status, 1)
        XCTAssertEqual(refused.stdout, "")
        XCTAssertEqual(refused.stderr, "earshot: error: earshot-reports/ep01: holds the report of another programme "
                       + "(its mix is ep01_mix.wav, not ep01-mix.wav); give another --out, or --force to replace it\n")
        XCTAssertEqual(FileManager.default.contents(atPath: report), firstReport, "the earlier report.json is untouched")

        let elsewhere = try check(["--mix", second, "--out", "ep01-v2"], from: work)
        XCTAssertEqual(elsewhere.status, 0, elsewhere.stderr)
        XCTAssertEqual(try recordedMix(work + "/ep01-v2/report.json"), "ep01-mix.wav")

        let forced = try check(["--mix", second, "--force"], from: work)
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertEqual(try recordedMix(report), "ep01-mix.wav")
    }

    func testAReportWithNoSharedInputIsRefusedToo() throws {
        let out = try folder("out")
        try "{\"input\": {\"mix\": null, \"dialogue\": \"ep02_dx.wav\", \"me\": \"ep02_me.wav\", \"durationSeconds\": 3.0}}\n".write(toFile: out + "/report.json", atomically: true, encoding: .utf8)
        let mix = try writeMix("ep03_mix.wav")
        let refused = try check(["--mix", mix, "--out", out], from: workspace.root)
        XCTAssertEqual(refused.status, 1)
        XCTAssertEqual(refused.stderr, "earshot: error: \(out): holds the report of another programme (its dialogue is ep02_dx.wav); "
                       + "give another --out, or --force to replace it\n")
    }
}

import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

final class ProfileLoaderTests: XCTestCase {
    var workspace: TestWorkspace!
    override func setUpWithError() throws { workspace = try TestWorkspace() }
    override func tearDown() { workspace.remove() }

    func loadError(_ manifest: [String: Any], files: [String: String] = ["flat.csv": TestWorkspace.flatCSV]) throws -> String {
        let dir = try workspace.writeProfile("p", manifest, files: files)
        do {
            let profile = try ProfileLoader.load(folder: dir)
            if case .device(let d) = profile { _ = try DeviceModel(profile: d) }
            XCTFail("expected an error")
            return ""
        } catch let error as EarshotError {
            return error.description
        }
    }

    func testValidDeviceLoads() throws {
        let dir = try workspace.writeProfile("p", TestWorkspace.device("p"), files: ["flat.csv": TestWorkspace.flatCSV])
        guard case .device(let d) = try ProfileLoader.load(folder: dir) else { return XCTFail("not a device") }
        XCTAssertEqual(d.id, "p")
        XCTAssertEqual(d.volumeGainDB(percent: 75), -6, accuracy: 1e-9)
        XCTAssertEqual(d.volumeGainDB(percent: 100), 0)
    }

    func testMissingFieldIsNamedWithTheFile() throws {
        var m = TestWorkspace.device("p")
        var level = m["level"] as! [String: Any]
        level["sensitivityDBSPL"] = nil
        m["level"] = level
        let message = try loadError(m)
        XCTAssertTrue(message.contains("profile.json"), message)
        XCTAssertTrue(message.contains("field 'level.sensitivityDBSPL'"), message)
        XCTAssertTrue(message.contains("missing"), message)
    }

    func testWrongTypeAndAbsurdValues() throws {
        var m = TestWorkspace.device("p")
        m["level"] = ["sensitivityDBSPL": "loud"]
        XCTAssertTrue(try loadError(m).contains("expected a number, found a string"))
        m["level"] = ["sensitivityDBSPL": -5]
        XCTAssertTrue(try loadError(m).contains("out of range"))
        m = TestWorkspace.device("p")
        m["volumeCurve"] = [[0, -60], [50, -12], [40, 0]]
        XCTAssertTrue(try loadError(m).contains("volumeCurve[2]"))
        m = TestWorkspace.device("p")
        m["channelMode"] = "quad"
        XCTAssertTrue(try loadError(m).contains("'quad' is not one of mono, stereo"))
    }

    func testPathsCannotLeaveTheProfileFolder() throws {
        try FileManager.default.createDirectory(atPath: workspace.path("profiles"), withIntermediateDirectories: true)
        try "frequencyHz,levelDB\n20,0\n20000,0\n".write(toFile: workspace.path("profiles/outside.csv"), atomically: true, encoding: .utf8)
        for path in ["../outside.csv", "/etc/passwd", "sub/../../outside.csv"] {
            let message = try loadError(TestWorkspace.device("p", response: ["frequencyResponse": path]))
            XCTAssertTrue(message.contains("leaves the profile folder") || message.contains("absolute path"), message)
        }
        // A symbolic link that points outside is refused too.
        let dir = try workspace.writeProfile("q", TestWorkspace.device("q", response: ["frequencyResponse": "link.csv"]))
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.csv", withDestinationPath: workspace.path("profiles/outside.csv"))
        XCTAssertThrowsError(try ProfileLoader.load(folder: dir)) { XCTAssertTrue("\($0)".contains("leaves the profile folder"), "\($0)") }
    }

    func testMissingAndNonAudioDataFiles() throws {
        XCTAssertTrue(try loadError(TestWorkspace.device("p", response: ["frequencyResponse": "nope.csv"])).contains("does not exist"))
        let message = try loadError(TestWorkspace.device("p", response: ["impulseResponse": "ir.wav"]), files: ["ir.wav": "not audio"])
        XCTAssertTrue(message.contains("ir.wav") && message.contains("not a readable audio file"), message)
        let csv = try loadError(TestWorkspace.device("p", response: ["frequencyResponse": "bad.csv"]), files: ["bad.csv": "frequencyHz,levelDB\n20,0\n100,abc\n"])
        XCTAssertTrue(csv.contains("bad.csv") && csv.contains("line 3"), csv)
    }

    func testProvenanceMustBeHonest() throws {
        var m = TestWorkspace.device("p")
        m["provenance"] = ["kind": "measured", "summary": "x", "confidence": "high"]
        XCTAssertTrue(try loadError(m).contains("must say who measured it"))
        m["provenance"] = ["kind": "guessed", "summary": "x", "confidence": "high"]
        XCTAssertTrue(try loadError(m).contains("'guessed' is not one of measured, derived, modelled"))
        m["provenance"] = nil
        XCTAssertTrue(try loadError(m).contains("field 'provenance'"))
    }

    func testInvalidJSONIsReported() throws {
        let dir = workspace.path("profiles/broken")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "{ \"id\": ".write(toFile: dir + "/profile.json", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ProfileLoader.load(folder: dir)) { XCTAssertTrue("\($0)".contains("not valid JSON"), "\($0)") }
    }

    func testCatalogPrefersUserProfilesAndNamesUnknownIds() throws {
        try workspace.writeProfile("p", TestWorkspace.device("p", overrides: ["name": "stock"]), files: ["flat.csv": TestWorkspace.flatCSV], under: "stock")
        try workspace.writeProfile("p", TestWorkspace.device("p", overrides: ["name": "mine"]), files: ["flat.csv": TestWorkspace.flatCSV], under: "user")
        let catalog = try ProfileCatalog(roots: [workspace.path("user"), workspace.path("stock")])
        XCTAssertEqual(try catalog.device("p").name, "mine")
        XCTAssertThrowsError(try catalog.device("phone-x")) { XCTAssertTrue("\($0)".contains("unknown device 'phone-x'; known devices: p"), "\($0)") }
    }
}

import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// `earshot devices import`: REW impulse-response WAVs, REW text exports and AutoEq CSVs become
/// profiles whose rendered response is the imported one, with honest provenance; bad files are
/// refused naming the file and line.
final class ResponseImportTests: XCTestCase {
    var workspace: TestWorkspace!
    override func setUpWithError() throws { workspace = try TestWorkspace() }
    override func tearDown() { workspace.remove() }

    /// A smooth device curve: a closed-box roll-off at 300 Hz and a +6 dB presence bump at 3 kHz.
    static func curveDB(_ f: Double) -> Double { MeasurementFixtures.importedCurveDB(f) }

    static let centres = ThirdOctave.nominalCentresHz.filter { $0 >= 100 && $0 <= 10000 }

    /// The written profile's rendered third-octave response re 1 kHz.
    func renderedResponse(_ folder: String) throws -> [Double] {
        guard case .device(let p) = try ProfileLoader.load(folder: folder) else { XCTFail("not a device"); return [] }
        return MeasurementFixtures.thirdOctaveReOneKHz(try DeviceModel(profile: p).impulseResponse, centres: Self.centres)
    }

    /// The curve's own third-octave levels re 1 kHz (from a long minimum-phase IR of it).
    func expectedResponse() -> [Double] {
        var points: [(frequencyHz: Double, levelDB: Double)] = []
        var f = 10.0
        while f < 24000 { points.append((f, Self.curveDB(f))); f *= pow(2, 1.0 / 48) }
        return MeasurementFixtures.thirdOctaveReOneKHz(MinimumPhase.impulseResponse(points: points, sampleRate: 48000, length: 16384), centres: Self.centres)
    }

    func description(_ id: String, category: DeviceProfile.Category = .phone) throws -> ImportedDeviceDescription {
        let catalog = try ProfileCatalog(roots: [try ProfileCatalog.stockProfilesFolder(environment: [:])])
        return ImportedDeviceDescription(id: id, name: id, category: category, channelMode: .mono, measuredBy: "Test Runner",
                                         date: "2026-01-02", source: "a test", like: try catalog.device(ImportedDeviceProfile.defaultLike(for: category)))
    }

    func testREWTextExportWithCommentsAndDecimalCommasImports() throws {
        var lines = ["* Measurement data measured by REW V5.20.13", "* Source: test", "* Freq(Hz) SPL(dB) Phase(degrees)"]
        var f = 2.0
        while f < 24000 { lines.append(String(format: "%.6f %.3f %.2f", f, 75 + Self.curveDB(f), -90.0)); f *= pow(2, 1.0 / 96) }
        let path = workspace.path("phone.txt")
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(try ResponseImport.detectFormat(path: path), .rewText)
        let imported = try ResponseImport.read(path: path)
        let folder = try ImportedDeviceProfile.write(imported, try description("rew-phone"), originalPath: path, parent: workspace.path("out"))
        let worst = zip(try renderedResponse(folder), expectedResponse()).map { abs($0 - $1) }.max()!
        XCTAssertLessThanOrEqual(worst, 0.5)
        print(String(format: "REW text import: largest third-octave deviation %.3f dB (100 Hz–10 kHz)", worst))
        guard case .device(let p) = try ProfileLoader.load(folder: folder) else { return XCTFail() }
        XCTAssertEqual(p.provenance.kind, .measured)
        XCTAssertTrue(p.provenance.summary.contains("Only the response is measured") && p.provenance.summary.contains("'phone-budget-speaker'"))
        XCTAssertEqual(p.excursion.limitDBFS, -9, "copied from the stock phone, and said so")
        XCTAssertEqual(p.excursion.usableLowCutHz, 300 / 1.5, accuracy: 40, "fitted to the imported roll-off")
        // Tab-separated with decimal commas (a European locale) reads the same.
        let european = lines.map { $0.hasPrefix("*") ? $0 : $0.replacingOccurrences(of: " ", with: "\t").replacingOccurrences(of: ".", with: ",") }
        try european.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        guard case .curve(let a) = imported.data, case .curve(let b) = try ResponseImport.read(path: path).data else { return XCTFail() }
        XCTAssertEqual(a.count, b.count)
        for (x, y) in zip(a, b) { XCTAssertEqual(x.levelDB, y.levelDB, accuracy: 1e-3) }
    }

    func testREWImpulseResponseWAVImports() throws {
        // A known filter at 44.1 kHz, with 200 samples of lead-in as REW exports have.
        var points: [(frequencyHz: Double, levelDB: Double)] = []
        var f = 10.0
        while f < 22000 { points.append((f, Self.curveDB(f))); f *= pow(2, 1.0 / 48) }
        let ir = [Float](repeating: 0, count: 200) + MinimumPhase.impulseResponse(points: points, sampleRate: 44100, length: 16384)
        let path = workspace.path("phone-ir.wav")
        try AudioFile.write(path: path, channels: [ir], sampleRate: 44100)
        XCTAssertEqual(try ResponseImport.detectFormat(path: path), .rewImpulse)
        let folder = try ImportedDeviceProfile.write(try ResponseImport.read(path: path), try description("rew-ir-phone"), originalPath: path, parent: workspace.path("out"))
        let worst = zip(try renderedResponse(folder), expectedResponse()).map { abs($0 - $1) }.max()!
        XCTAssertLessThanOrEqual(worst, 0.5)
        print(String(format: "REW impulse-response import: largest third-octave deviation %.3f dB (100 Hz–10 kHz)", worst))
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/ir.wav"))
    }

    func testAutoEqCSVWithColumnsAndATarget() throws {
        // raw = target + the device's colouration; --target leaves the colouration.
        var rows = ["frequency,raw,error,smoothed"]
        var target = ["frequency,raw"]
        var f = 20.0
        while f <= 20000 {
            let t = 8 * exp(-pow(log2(f / 2500), 2) / 1.0)   // an ear-gain-like target
            rows.append(String(format: "%.2f,%.3f,,%.3f", f, Self.curveDB(f) + t, 0.0))
            target.append(String(format: "%.2f,%.3f", f, t))
            f *= pow(2, 1.0 / 48)
        }
        let path = workspace.path("Budget Buds.csv"), targetPath = workspace.path("target.csv")
        try rows.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try target.joined(separator: "\n").write(toFile: targetPath, atomically: true, encoding: .utf8)
        XCTAssertEqual(try ResponseImport.detectFormat(path: path), .autoEq)
        let imported = try ResponseImport.read(path: path, target: targetPath)
        let folder = try ImportedDeviceProfile.write(imported, try description("budget-buds", category: .earbuds), originalPath: path, parent: workspace.path("out"))
        let worst = zip(try renderedResponse(folder), expectedResponse()).map { abs($0 - $1) }.max()!
        XCTAssertLessThanOrEqual(worst, 0.5)
        guard case .device(let p) = try ProfileLoader.load(folder: folder) else { return XCTFail() }
        XCTAssertNil(p.level.listeningDistanceMeters, "earbuds have no listening distance")
        XCTAssertNotNil(p.passiveIsolation)
        XCTAssertTrue(p.provenance.summary.contains("minus the target curve target.csv"), p.provenance.summary)
        print(String(format: "AutoEq import with target: largest third-octave deviation %.3f dB (100 Hz–10 kHz)", worst))
        // An empty column is refused by name; a missing one lists what there is.
        XCTAssertThrowsError(try ResponseImport.read(path: path, column: "error")) { XCTAssertTrue("\($0)".contains("fewer than two rows with a 'error' value"), "\($0)") }
        XCTAssertThrowsError(try ResponseImport.read(path: path, column: "equalization")) { XCTAssertTrue("\($0)".contains("it has raw, error, smoothed"), "\($0)") }
    }

    func testBadFilesNameTheFileAndLine() throws {
        let path = workspace.path("bad.txt")
        try "* REW\n20 70 0\n40 71 0\nforty 72 0\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ResponseImport.read(path: path)) {
            XCTAssertTrue("\($0)".contains("bad.txt: line 4: expected 'frequency level [phase]'"), "\($0)")
        }
        try "* REW\n20 70 0\n40 71 0\n30 72 0\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ResponseImport.read(path: path)) { XCTAssertTrue("\($0)".contains("line 4: frequencies must increase"), "\($0)") }
        try "hello world\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ResponseImport.read(path: path)) { XCTAssertTrue("\($0)".contains("not a format Earshot imports"), "\($0)") }
        let silent = workspace.path("silent.wav")
        try AudioFile.write(path: silent, channels: [[Float](repeating: 0, count: 1000)], sampleRate: 48000)
        XCTAssertThrowsError(try ResponseImport.read(path: silent)) { XCTAssertTrue("\($0)".contains("silent.wav: the impulse response is silent"), "\($0)") }
    }
}

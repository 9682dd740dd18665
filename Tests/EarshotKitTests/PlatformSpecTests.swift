import XCTest
@testable import EarshotKit

final class PlatformSpecTests: XCTestCase {
    /// The repository's committed table, found from this file's location.
    static var committedTablePath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Reports/platforms.json").path
    }

    static func result(integrated: Double?, truePeak: Double?) -> LoudnessResult {
        LoudnessResult(integratedLUFS: integrated, loudnessRangeLU: 5, truePeakDBTP: truePeak, maxMomentaryLUFS: nil,
                       maxShortTermLUFS: nil, samplePeakDBFS: nil, durationSeconds: 60)
    }

    func testCommittedTableHoldsTheDomainFigures() throws {
        let specs = try PlatformSpec.load(path: Self.committedTablePath)
        let byName = Dictionary(uniqueKeysWithValues: specs.map { ($0.name, $0) })
        func check(_ name: String, _ target: Double, _ ceiling: Double, _ tolerance: Double) {
            guard let s = byName[name] else { return XCTFail("\(name) missing from the table") }
            XCTAssertEqual(s.targetLUFS, target, name)
            XCTAssertEqual(s.truePeakCeilingDBTP, ceiling, name)
            XCTAssertEqual(s.toleranceLU, tolerance, name)
        }
        check("ReelShort", -24, -2, 1)
        check("DramaBox", -23, -1.5, 1)
        check("KukuTV", -24, -2, 1)
        check("QuickTV", -24, -2, 1.5)
        check("YouTube", -14, -1, 1)
        check("General streaming", -24, -2, 1)
        XCTAssertEqual(specs.count, 6)
    }

    func testVerdictsAgainstTheTable() throws {
        let specs = try PlatformSpec.load(path: Self.committedTablePath)
        let verdicts = specs.verdict(for: Self.result(integrated: -24.3, truePeak: -2.5))
        let pass = Dictionary(uniqueKeysWithValues: verdicts.map { ($0.name, $0.pass) })
        XCTAssertEqual(pass, ["ReelShort": true, "DramaBox": false, "KukuTV": true, "QuickTV": true,
                              "YouTube": false, "General streaming": true])
        // DramaBox: −24.3 is 1.3 LU under −23 ±1; true peak −2.5 is under its −1.5 ceiling.
        XCTAssertEqual(verdicts.first { $0.name == "DramaBox" }!.deviationLU!, -1.3, accuracy: 1e-9)
        let youtube = verdicts.first { $0.name == "YouTube" }!
        XCTAssertEqual(youtube.deviationLU!, -10.3, accuracy: 1e-9)
        XCTAssertFalse(youtube.loudnessPass)
        XCTAssertTrue(youtube.truePeakPass)
        XCTAssertTrue(youtube.reason!.contains("below"), youtube.reason!)
        // −25.4 LUFS: outside ±1 of −24, inside ±1.5 (QuickTV).
        let quiet = specs.verdict(for: Self.result(integrated: -25.4, truePeak: -3))
        XCTAssertEqual(quiet.filter(\.pass).map(\.name), ["QuickTV"])
    }

    func testBoundariesAreComparedAtDisplayedPrecision() {
        let spec = PlatformSpec(name: "X", targetLUFS: -24, truePeakCeilingDBTP: -2, toleranceLU: 1)
        XCTAssertTrue(spec.verdict(for: Self.result(integrated: -25.0, truePeak: -2.0)).pass)
        XCTAssertTrue(spec.verdict(for: Self.result(integrated: -25.04, truePeak: -2.04)).pass, "shows as −25.0 / −2.0")
        XCTAssertFalse(spec.verdict(for: Self.result(integrated: -25.06, truePeak: -3)).loudnessPass, "shows as −25.1")
        XCTAssertFalse(spec.verdict(for: Self.result(integrated: -22.9, truePeak: -3)).loudnessPass)
        let hot = spec.verdict(for: Self.result(integrated: -24, truePeak: -1.94))
        XCTAssertTrue(hot.loudnessPass)
        XCTAssertFalse(hot.truePeakPass)
        XCTAssertFalse(hot.pass)
        XCTAssertTrue(hot.reason!.contains("-1.9 dBTP"), hot.reason!)
    }

    func testSilenceFailsLoudnessButNotPeak() {
        let spec = PlatformSpec(name: "X", targetLUFS: -24, truePeakCeilingDBTP: -2, toleranceLU: 1)
        let v = spec.verdict(for: Self.result(integrated: nil, truePeak: nil))
        XCTAssertFalse(v.pass)
        XCTAssertFalse(v.loudnessPass)
        XCTAssertTrue(v.truePeakPass)
        XCTAssertNil(v.deviationLU)
        XCTAssertNotNil(v.reason)
    }

    func testMalformedTablesNameTheField() {
        func error(_ json: String) -> String {
            do {
                _ = try PlatformSpec.parse(Data(json.utf8), file: "p.json")
                return "no error"
            } catch { return "\(error)" }
        }
        XCTAssertEqual(error(#"{"platforms": [{"name": "A", "targetLUFS": -24, "truePeakCeilingDBTP": -2}]}"#),
                       "p.json: field 'platforms[0].toleranceLU': expected a number")
        XCTAssertEqual(error(#"[{"name": "A", "targetLUFS": true, "truePeakCeilingDBTP": -2, "toleranceLU": 1}]"#),
                       "p.json: field 'platforms[0].targetLUFS': expected a number")
        XCTAssertTrue(error(#"[{"name": "A", "targetLUFS": -24, "truePeakCeilingDBTP": -2, "toleranceLU": 1},"#
                            + #" {"name": "a", "targetLUFS": -23, "truePeakCeilingDBTP": -1, "toleranceLU": 1}]"#)
                        .contains("platforms[1].name"))
        XCTAssertTrue(error(#"{"platforms": []}"#).contains("empty"))
        XCTAssertTrue(error(#"{"platform": []}"#).contains("'platforms'"))
        XCTAssertEqual(error("{"), "p.json: line 1, column 2: not valid JSON: expected a member name in double quotes, found end of file")
        XCTAssertTrue(error(#"[{"name": "A", "targetLUFS": 24, "truePeakCeilingDBTP": -2, "toleranceLU": 1}]"#)
                        .contains("targetLUFS"))
        XCTAssertThrowsError(try PlatformSpec.load(path: "/no/such/platforms.json"))
        // Integers and decimals both read as numbers; notes are optional.
        let ok = try? PlatformSpec.parse(Data(#"[{"name": "A", "targetLUFS": -24, "truePeakCeilingDBTP": -1.5, "toleranceLU": 1}]"#.utf8))
        XCTAssertEqual(ok, [PlatformSpec(name: "A", targetLUFS: -24, truePeakCeilingDBTP: -1.5, toleranceLU: 1)])
    }
}

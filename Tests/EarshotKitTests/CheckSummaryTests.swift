import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// The terminal summary of `earshot check`: columns that line up whatever a cell holds, every
/// score with its scale, and the dialogue's shortfall where the device runs out of volume.
final class CheckSummaryTests: XCTestCase {
    var workspace: TestWorkspace!
    var scene: CheckScene!

    override func setUpWithError() throws {
        workspace = try TestWorkspace()
        scene = try CheckScene(workspace)
    }

    override func tearDown() { workspace.remove() }

    /// The scene at the listener's volume: in the loud room (78 dB(A)) the listener wants the
    /// dialogue at 80 dB SPL, more than the small test speaker gives at full volume.
    func report() throws -> CheckReport {
        try CheckRunner.run(inputs: try scene.writeStemsAndMix(), settings: scene.settings(words: try scene.writeWords()),
                            catalog: try scene.catalog())
    }

    /// The table's lines: from the header ("scenario …") to the last scenario row.
    func tableLines(_ summary: String, rows: Int) throws -> [String] {
        let lines = summary.components(separatedBy: "\n")
        let header = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("scenario ") }, summary)
        return Array(lines[header...(header + rows)])
    }

    /// Where each cell starts: a non-space after the start of the line or after two spaces
    /// (cells hold single spaces only).
    func cellStarts(_ line: String) -> [Int] {
        let c = Array(line)
        return c.indices.filter { i in c[i] != " " && (i == 0 || (i >= 2 && c[i - 1] == " " && c[i - 2] == " ")) }
    }

    func testColumnsLineUpWithLongCellsAndEveryScoreHasItsScale() throws {
        var report = try report()
        // Long content: a long scenario name, and words masked by every kind of masker plus a
        // word too short to judge, so the masked-words cell is far wider than its header.
        report.scenarios[0].id = "a-rather-long-device-identifier@an-equally-long-environment-identifier"
        var words = try XCTUnwrap(report.scenarios[1].words)
        XCTAssertGreaterThanOrEqual(words.count, MaskerKind.allCases.count + 1)
        for (i, kind) in MaskerKind.allCases.enumerated() {
            words[i].masked = true
            words[i].maskedBy = kind
            words[i].maskedWithoutMix = !kind.isPartOfTheMix
            words[i].tooShortToJudge = false
        }
        words[MaskerKind.allCases.count].masked = false
        words[MaskerKind.allCases.count].maskedBy = nil
        words[MaskerKind.allCases.count].maskedWithoutMix = false
        words[MaskerKind.allCases.count].tooShortToJudge = true
        report.scenarios[1].words = words

        let summary = report.summary()
        let lines = try tableLines(summary, rows: report.scenarios.count)
        let header = cellStarts(lines[0])
        XCTAssertEqual(header.count, 9, lines[0])
        for line in lines.dropFirst() {
            XCTAssertEqual(cellStarts(line), header, "every column starts where its header does:\n\(lines.joined(separator: "\n"))")
        }
        let long = lines[2]
        // The mix's cost leads; the situation's losses follow as context, each by what masks it.
        XCTAssertTrue(long.contains("3/\(words.count) (music 1, effects 1, me 1), 1 too short to judge  2 (environment 1, device 1)"), long)
        XCTAssertLessThan(try XCTUnwrap(lines[0].range(of: "masked by mix")).lowerBound, try XCTUnwrap(lines[0].range(of: "lost to situation")).lowerBound)
        XCTAssertTrue(lines[1].hasPrefix(report.scenarios[0].id + "  "), lines[1])

        // Scales in the header, thresholds in the legend.
        for label in ["STOI (0-1)", "SII (0-1)", "LF risk (0-1)", "sibilance (0-1)"] {
            XCTAssertTrue(lines[0].contains(label), "\(label) missing from: \(lines[0])")
        }
        XCTAssertTrue(summary.contains("Scales: STOI and SII 0-1"), summary)
        XCTAssertTrue(summary.contains("below 0.45 poor"), summary)
    }

    func testTheDialogueShortfallAtFullVolumeIsInTheTable() throws {
        let report = try report()
        let lines = try tableLines(report.summary(), rows: report.scenarios.count)
        let column = try XCTUnwrap(lines[0].range(of: "dialogue at ear")).lowerBound.utf16Offset(in: lines[0])
        var shortAtFullVolume = 0
        for (s, line) in zip(report.scenarios, lines.dropFirst()) {
            let cell = String(line.dropFirst(column))
            let level = try XCTUnwrap(report.estimatedDialogueDBA(s))
            let shortfall = ListenerVolume.targetDialogueDBA(device: s.device, environment: s.environment) - level
            if shortfall > 1 && s.volumePercent >= 100 {
                XCTAssertEqual(cell, String(format: "%.0f dB short at full volume", shortfall), line)
                shortAtFullVolume += 1
            } else if shortfall <= 1 && shortfall >= -6 {
                XCTAssertEqual(cell, "on target", line)
            }
        }
        XCTAssertEqual(shortAtFullVolume, 1, "the loud room asks for more than the test speaker gives:\n\(lines.joined(separator: "\n"))")
        XCTAssertTrue(lines[1].hasSuffix("on target"), "the quiet room is within reach: \(lines[1])")
    }
}

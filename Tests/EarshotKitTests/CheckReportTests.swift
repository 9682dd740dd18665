import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// report.json as `earshot check` writes it, against the committed schema
/// (Reports/report.schema.json): real runs of `CheckRunner` on a small synthetic scene, the
/// schema's teeth (broken reports are rejected), and byte-for-byte determinism.
final class CheckReportTests: XCTestCase {
    var workspace: TestWorkspace!
    var scene: CheckScene!

    override func setUpWithError() throws {
        workspace = try TestWorkspace()
        scene = try CheckScene(workspace)
    }

    override func tearDown() { workspace.remove() }

    /// The first full report of this test run, shared by the tests that only read it.
    private static var sharedFullReport: (report: CheckReport, text: String)?

    /// The scene with dialogue, M&E, mix and word timings, the listener's volume, both scenarios:
    /// the shared run, or a new one with `fresh`.
    func fullReport(fresh: Bool = false) throws -> (report: CheckReport, text: String) {
        if !fresh, let shared = Self.sharedFullReport { return shared }
        let report = try CheckRunner.run(inputs: try scene.writeStemsAndMix(), settings: scene.settings(words: try scene.writeWords()),
                                         catalog: try scene.catalog())
        let result = (report, report.json().serialized())
        if Self.sharedFullReport == nil { Self.sharedFullReport = result }
        return result
    }

    /// Parses `text` as strict JSON (Foundation) and with the line-aware reader, checks there are
    /// no duplicate keys, and returns the schema's violations.
    func violations(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> [JSONSchemaValidator.Violation] {
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(text.utf8)), "report.json is not strict JSON", file: file, line: line)
        let node = try JSONDocument.parse(text, file: "report.json")
        XCTAssertEqual(node.duplicateKeys, [], "duplicate keys", file: file, line: line)
        return try TestPackage.schemaValidator().validate(node)
    }

    func testFullReportMatchesSchemaAndIsDeterministic() throws {
        let (report, first) = try fullReport()
        XCTAssertEqual(try violations(first).map(\.description), [])
        let second = try fullReport(fresh: true).text
        XCTAssertTrue(first == second, "two runs must give byte-identical report.json (first difference at line \(Self.firstDifferentLine(first, second)))")

        // The scene exercises the parts of the schema that are empty or null in simpler runs, so
        // that the validation above covers them.
        let node = try JSONDocument.parse(first, file: "report.json")
        XCTAssertEqual(node.node(at: ["input", "timecodeStart"])?.string, "01:00:00:00")
        XCTAssertEqual(node.node(at: ["input", "wordTimingSource"])?.string, "whisperJSON")
        XCTAssertEqual(node.node(at: ["settings", "volume"])?.string, "listener")
        XCTAssertEqual(node.node(at: ["loudness", "lines"])?.array?.count, 2)
        XCTAssertNotNil(node.node(at: ["loudness", "lines", "0", "mobileRecommendation"])?.string)
        XCTAssertFalse(try XCTUnwrap(node.node(at: ["loudness", "platforms"])?.array).isEmpty)
        XCTAssertEqual(report.scenarios.map(\.id), ["test-speaker@quiet-test", "test-speaker@loud-test"])
        for s in report.scenarios {
            XCTAssertEqual(s.words?.count, CheckScene.words.count, s.id)
            XCTAssertNotNil(s.stoi, s.id)
            XCTAssertNotNil(s.sii, s.id)
            XCTAssertNotNil(s.sibilance, s.id)
        }
        let loud = report.scenarios[1]
        XCTAssertGreaterThan(loud.maskedWords, 0, "the loud room masks words")
        XCTAssertTrue(loud.words!.contains { $0.maskedBy != nil })
        XCTAssertTrue(report.scenarios.contains { !$0.lowFrequency.events.isEmpty }, "the 55 Hz bass drives the small speaker past its excursion limit")
        XCTAssertTrue(report.scenarios.contains { $0.sibilance!.events.contains { $0.wordIndex != nil } }, "the scene's s sounds are found in words")
    }

    /// Music and effects as separate stems, one fixed volume: the other branches of the report.
    func testMusicEffectsFixedVolumeReportMatchesSchema() throws {
        let report = try CheckRunner.run(inputs: try scene.writeMusicEffectsAndMix(),
                                         settings: scene.settings(words: try scene.writeWords(), volumePercent: 70),
                                         catalog: try scene.catalog())
        let text = report.json().serialized()
        XCTAssertEqual(try violations(text).map(\.description), [])
        let node = try JSONDocument.parse(text, file: "report.json")
        XCTAssertEqual(node.node(at: ["settings", "volume"])?.string, "fixed")
        XCTAssertEqual(node.node(at: ["settings", "volumePercent"])?.number, 70)
        XCTAssertTrue(node.node(at: ["input", "timecodeStart"])?.isNull ?? false)
        XCTAssertTrue(node.node(at: ["scenarios", "0", "listenerTargetDialogueDBA"])?.isNull ?? false)
        let keys = Set(report.scenarios.flatMap { $0.words ?? [] }.flatMap { $0.siiByMasker.keys })
        XCTAssertEqual(keys, [.music, .effects, .environment, .device])
    }

    /// Only a mix: loudness and LF risk are measured, per-word masking, STOI/SII and sibilance
    /// are reported as not computed, with the reason.
    func testOnlyAMixReportsWhatWasNotComputed() throws {
        let mix = try scene.writeAudio("mix-only", CheckScene.sum(CheckScene.dialogue(), CheckScene.music(), CheckScene.effects()))
        let report = try CheckRunner.run(inputs: ScenarioInputs(mix: mix), settings: scene.settings(words: nil), catalog: try scene.catalog())
        let text = report.json().serialized()
        XCTAssertEqual(try violations(text).map(\.description), [])
        let node = try JSONDocument.parse(text, file: "report.json")
        XCTAssertNotNil(node.node(at: ["loudness", "integratedLUFS"])?.number)
        XCTAssertNotNil(node.node(at: ["loudness", "truePeakDBTP"])?.number)
        XCTAssertTrue(node.node(at: ["loudness", "dialogueIntegratedLUFS"])?.isNull ?? false)
        XCTAssertEqual(node.node(at: ["loudness", "lines"])?.array?.count, 0)
        XCTAssertTrue(node.node(at: ["input", "wordTimingSource"])?.isNull ?? false)
        for i in 0..<2 {
            let s = try XCTUnwrap(node.node(at: ["scenarios", "\(i)"]))
            XCTAssertNotNil(s.node(at: ["lowFrequency", "riskScore"])?.number)
            XCTAssertNotNil(s.node(at: ["atEarLeqDB"])?.number)
            for field in ["stoi", "estoi", "sii"] { XCTAssertTrue(s.node(at: ["intelligibility", field])?.isNull ?? false, field) }
            XCTAssertEqual(s.node(at: ["intelligibility", "note"])?.string,
                           "not computed: STOI, SII and per-word masking need the dialogue stem (--dialogue)")
            XCTAssertEqual(s.node(at: ["summary", "perWordMasking"])?.string,
                           "not computed: per-word masking needs the dialogue stem (--dialogue)")
            XCTAssertTrue(s.node(at: ["summary", "totalWords"])?.isNull ?? false)
            XCTAssertEqual(s.node(at: ["words"])?.array?.count, 0)
            XCTAssertTrue(s.node(at: ["sibilance", "harshnessScore"])?.isNull ?? false)
            XCTAssertTrue(s.node(at: ["sibilance", "note"])?.string?.hasPrefix("not computed: ") ?? false)
        }
        XCTAssertGreaterThan(report.scenarios[1].lowFrequency.riskScore, 0, "the bass is still measured (loud room, high volume)")
        XCTAssertFalse(report.scenarios[1].lowFrequency.events.isEmpty)

        // With word timings the lines are listed, without a dialogue-to-M&E ratio, and the words
        // are still not measured.
        let withWords = try CheckRunner.run(inputs: ScenarioInputs(mix: mix), settings: scene.settings(words: try scene.writeWords()),
                                            catalog: try scene.catalog())
        let wordsText = withWords.json().serialized()
        XCTAssertEqual(try violations(wordsText).map(\.description), [])
        let wordsNode = try JSONDocument.parse(wordsText, file: "report.json")
        XCTAssertEqual(wordsNode.node(at: ["input", "wordTimingSource"])?.string, "whisperJSON")
        XCTAssertEqual(wordsNode.node(at: ["loudness", "lines", "1", "text"])?.string, "Sister said so.")
        XCTAssertTrue(wordsNode.node(at: ["loudness", "lines", "1", "dialogueToMusicAndEffectsLU"])?.isNull ?? false)
        XCTAssertTrue(wordsNode.node(at: ["loudness", "lines", "1", "mobileRecommendation"])?.isNull ?? false)
        XCTAssertEqual(wordsNode.node(at: ["scenarios", "0", "words"])?.array?.count, 0)
        XCTAssertEqual(wordsNode.node(at: ["scenarios", "0", "summary", "perWordMasking"])?.string,
                       "not computed: per-word masking needs the dialogue stem (--dialogue)")
    }

    /// A real report broken one way at a time is rejected: every ARCHITECTURE.md section 5
    /// field removed, wrong types, out-of-range numbers, unknown enum values.
    func testSchemaRejectsBrokenReports() throws {
        let text = try fullReport().text
        let node = try JSONDocument.parse(text, file: "report.json")
        let validator = try TestPackage.schemaValidator()
        XCTAssertEqual(validator.validate(node), [])

        let minimum: [[String]] = [
            ["schemaVersion"], ["tool"], ["tool", "name"], ["tool", "version"],
            ["input"], ["input", "mix"], ["input", "dialogue"], ["input", "words"], ["input", "sampleRate"],
            ["input", "durationSeconds"], ["input", "timecodeStart"],
            ["loudness"], ["loudness", "integratedLUFS"], ["loudness", "loudnessRangeLU"], ["loudness", "truePeakDBTP"],
            ["loudness", "platforms"], ["loudness", "platforms", "0", "name"], ["loudness", "platforms", "0", "targetLUFS"],
            ["loudness", "platforms", "0", "pass"],
            ["scenarios"], ["scenarios", "1", "id"], ["scenarios", "1", "device"], ["scenarios", "1", "environment"],
            ["scenarios", "1", "volumePercent"], ["scenarios", "1", "intelligibility"],
            ["scenarios", "1", "intelligibility", "stoi"], ["scenarios", "1", "intelligibility", "estoi"],
            ["scenarios", "1", "intelligibility", "sii"],
            ["scenarios", "1", "lowFrequency"], ["scenarios", "1", "lowFrequency", "riskScore"], ["scenarios", "1", "lowFrequency", "events"],
            ["scenarios", "1", "sibilance"], ["scenarios", "1", "sibilance", "harshnessScore"], ["scenarios", "1", "sibilance", "events"],
            ["scenarios", "1", "words"], ["scenarios", "1", "summary"], ["scenarios", "1", "summary", "maskedWords"],
            ["scenarios", "1", "summary", "totalWords"], ["scenarios", "1", "summary", "maskedByMix"],
            ["scenarios", "1", "summary", "maskedBySituation"], ["scenarios", "1", "summary", "dialogueShortfallDB"],
        ] + ["index", "text", "startSeconds", "endSeconds", "sii", "dialogueToMaskerDB", "masked", "maskedBy", "maskedWithoutMix", "siiWithoutMix"].map {
            ["scenarios", "1", "words", "0", $0]
        }
        var inner: [[String]] = []
        if let s = (0..<2).first(where: { node.node(at: ["scenarios", "\($0)", "lowFrequency", "events", "0"]) != nil }) {
            inner += [["scenarios", "\(s)", "lowFrequency", "events", "0", "startSeconds"], ["scenarios", "\(s)", "lowFrequency", "events", "0", "endSeconds"]]
        }
        if let s = (0..<2).first(where: { node.node(at: ["scenarios", "\($0)", "sibilance", "events", "0"]) != nil }) {
            inner += ["startSeconds", "endSeconds", "wordIndex"].map { ["scenarios", "\(s)", "sibilance", "events", "0", $0] }
        }
        XCTAssertEqual(inner.count, 5, "the scene has LF and sibilance events")
        for path in minimum + inner {
            XCTAssertNotNil(node.node(at: path), "\(path) is in the report")
            let found = validator.validate(node.replacing(path, with: nil))
            XCTAssertTrue(found.contains { $0.keyword == "required" && $0.message == "missing property '\(path.last!)'" },
                          "removing \(path.joined(separator: ".")) must fail: \(found)")
        }

        let broken: [([String], JSONNode.Value, String)] = [
            (["schemaVersion"], .string("2"), "const"),
            (["schemaVersion"], .number(1), "const"),
            (["input", "sampleRate"], .number(44100), "const"),
            (["input", "timecodeStart"], .string("1:00:00"), "pattern"),
            (["input", "wordTimingSource"], .string("praat"), "enum"),
            (["loudness", "integratedLUFS"], .string("-23"), "type"),
            (["loudness", "platforms", "0", "pass"], .string("yes"), "type"),
            (["settings", "volume"], .string("loud"), "enum"),
            (["scenarios", "1", "volumePercent"], .number(120), "maximum"),
            (["scenarios", "1", "intelligibility", "sii"], .number(1.2), "maximum"),
            (["scenarios", "1", "lowFrequency", "riskScore"], .number(-0.1), "minimum"),
            (["scenarios", "1", "lowFrequency", "riskScore"], .null, "type"),
            (["scenarios", "1", "words", "0", "index"], .number(0.5), "type"),
            (["scenarios", "1", "words", "0", "masked"], .null, "type"),
            (["scenarios", "1", "words", "0", "maskedBy"], .string("crowd"), "enum"),
            (["scenarios", "1", "words", "0", "maskedWithoutMix"], .null, "type"),
            (["scenarios", "1", "summary", "maskedByMix"], .number(-1), "minimum"),
            (["scenarios", "1", "words", "0", "siiByMasker", "crowd"], .number(0.3), "enum"),
            (["scenarios", "1", "summary", "maskedBy", "environment"], .number(0), "minimum"),
            (["scenarios", "1", "summary", "perWordMasking"], .string("skipped"), "pattern"),
            (["scenarios", "1", "deviceProvenance"], .string("guessed"), "enum"),
            (["loudness", "lines", "0", "mobileRecommendation"], .string("fine"), "enum"),
            (["scenarios"], .object([]), "type"),
        ]
        for (path, value, keyword) in broken {
            let found = validator.validate(node.replacing(path, with: value))
            XCTAssertTrue(found.contains { $0.keyword == keyword }, "\(path.joined(separator: ".")) = \(value) must fail '\(keyword)': \(found)")
        }
    }

    /// The schema's enums are the code's: every word-timing source, masker and provenance kind.
    func testSchemaEnumsMatchTheCode() throws {
        let root = try TestPackage.schemaValidator().root
        func strings(_ path: [String]) throws -> Set<String> {
            Set(try XCTUnwrap(root.node(at: path)?.array, path.joined(separator: ".")).compactMap(\.string))
        }
        XCTAssertEqual(try strings(["$defs", "input", "properties", "wordTimingSource", "enum"]),
                       Set(WordTimings.Source.allCases.map(\.rawValue)))
        XCTAssertEqual(try strings(["$defs", "maskerKind", "enum"]), Set(MaskerKind.allCases.map(\.rawValue)))
        XCTAssertEqual(try strings(["$defs", "word", "properties", "maskedBy", "enum"]), Set(MaskerKind.allCases.map(\.rawValue)))
        XCTAssertEqual(try strings(["$defs", "provenanceKind", "enum"]), Set(Provenance.Kind.allCases.map(\.rawValue)))
        XCTAssertEqual(root.node(at: ["properties", "schemaVersion", "const"])?.string, CheckReport.schemaVersion)
    }

    static func firstDifferentLine(_ a: String, _ b: String) -> Int {
        let x = a.split(separator: "\n", omittingEmptySubsequences: false), y = b.split(separator: "\n", omittingEmptySubsequences: false)
        return (zip(x, y).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(x.count, y.count)) + 1
    }
}

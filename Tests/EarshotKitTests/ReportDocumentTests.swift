import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// report.json read back through `ReportDocument`: a report the check code wrote decodes to the
/// figures the check found; a malformed one fails with the file and the field named; QC gates
/// judge a report read back as they judge the check itself; the listener's volume that render
/// and audition print is the one the check used.
final class ReportDocumentTests: XCTestCase {
    var workspace: TestWorkspace!

    override func setUpWithError() throws { workspace = try TestWorkspace() }
    override func tearDown() { workspace.remove() }

    /// One check of the synthetic scene (both scenarios, the listener's volume) in a workspace
    /// of its own, shared by the tests and removed after the last.
    private static let shared = Result { () throws -> (report: CheckReport, text: String, inputs: ScenarioInputs, catalog: ProfileCatalog, workspace: TestWorkspace) in
        let workspace = try TestWorkspace()
        let scene = try CheckScene(workspace)
        let inputs = try scene.writeStemsAndMix(), catalog = try scene.catalog()
        let report = try CheckRunner.run(inputs: inputs, settings: scene.settings(words: try scene.writeWords()), catalog: catalog)
        return (report, report.json().serialized(), inputs, catalog, workspace)
    }

    override class func tearDown() {
        if case .success(let shared) = shared { shared.workspace.remove() }
        super.tearDown()
    }

    func checked() throws -> (report: CheckReport, text: String, inputs: ScenarioInputs, catalog: ProfileCatalog) {
        let s = try Self.shared.get()
        return (s.report, s.text, s.inputs, s.catalog)
    }

    func testAReportWrittenByTheCheckDecodesToWhatTheCheckFound() throws {
        let (report, text, _, _) = try checked()
        let document = try ReportDocument.decode(Data(text.utf8), file: "report.json")
        XCTAssertEqual(document.schemaVersion, CheckReport.schemaVersion)
        XCTAssertEqual(document.input.mix, "mix.wav")
        XCTAssertEqual(document.input.dialogue, "dialogue.wav")
        XCTAssertNil(document.input.music)
        XCTAssertEqual(document.input.words, "words.json")
        XCTAssertEqual(document.input.durationSeconds, report.durationSeconds, accuracy: 1e-4)
        XCTAssertEqual(document.settings.volume, "listener")
        XCTAssertNil(document.settings.volumePercent)
        XCTAssertEqual(document.loudness.integratedLUFS!, report.loudness.integratedLUFS!, accuracy: 1e-3)
        XCTAssertEqual(document.loudness.platforms.map(\.name), report.platforms.map(\.0.name))
        XCTAssertEqual(document.loudness.lines.count, report.lines.count)
        XCTAssertEqual(document.scenarios.map(\.id), report.scenarios.map(\.id))
        for (read, found) in zip(document.scenarios, report.scenarios) {
            XCTAssertEqual(read.volumePercent, found.volumePercent, accuracy: 1e-6, found.id)
            XCTAssertEqual(read.summary.maskedWords, found.maskedWords, found.id)
            XCTAssertEqual(read.words.map(\.text), found.words!.map(\.text), found.id)
            XCTAssertEqual(read.words.map(\.masked), found.words!.map(\.masked), found.id)
            XCTAssertEqual(read.words.map(\.maskedBy), found.words!.map { $0.maskedBy?.rawValue }, found.id)
            XCTAssertEqual(read.words.map(\.maskedWithoutMix), found.words!.map(\.maskedWithoutMix), found.id)
            XCTAssertEqual(read.summary.maskedByMix, found.maskedByMix, found.id)
            XCTAssertEqual(read.summary.maskedBySituation, found.maskedBySituation, found.id)
            XCTAssertEqual(read.words.map(\.atRisk), found.words!.map(\.atRisk), found.id)
            XCTAssertEqual(read.summary.atRiskWords, found.atRiskWords, found.id)
            for (r, f) in zip(read.words, found.words!) where !f.tooShortToJudge {
                XCTAssertEqual(try XCTUnwrap(r.heardProbability), f.heardProbability, accuracy: 1e-5, found.id)
            }
            XCTAssertEqual(read.intelligibility.stoi!, found.stoi!, accuracy: 1e-5, found.id)
        }
        XCTAssertNil(document.spectralBalance, "only batch reports carry the spectral balance")
        XCTAssertEqual(document.settings.maskedBelowHeardProbability, 0.5)
        XCTAssertEqual(document.settings.atRiskBelowHeardProbability, 0.8)
    }

    /// A report written before words were judged by heard probability (a `maskedBelowSII`
    /// setting, no heardProbability or atRisk) still reads, with those fields nil.
    func testAReportFromBeforeTheHeardProbabilityStillReads() throws {
        let (_, text, _, _) = try checked()
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        var settings = try XCTUnwrap(object["settings"] as? [String: Any])
        settings["maskedBelowSII"] = 0.45
        settings["maskedBelowHeardProbability"] = nil
        settings["atRiskBelowHeardProbability"] = nil
        object["settings"] = settings
        object["scenarios"] = try XCTUnwrap(object["scenarios"] as? [[String: Any]]).map { scenario -> [String: Any] in
            var s = scenario
            s["words"] = (scenario["words"] as? [[String: Any]] ?? []).map { w -> [String: Any] in
                var old = w
                old["heardProbability"] = nil
                old["atRisk"] = nil
                return old
            }
            return s
        }
        let document = try ReportDocument.decode(try JSONSerialization.data(withJSONObject: object), file: "old.json")
        XCTAssertNil(document.settings.maskedBelowHeardProbability)
        XCTAssertFalse(document.scenarios.flatMap(\.words).isEmpty)
        XCTAssertTrue(document.scenarios.flatMap(\.words).allSatisfy { $0.heardProbability == nil && $0.atRisk == nil })
    }

    func testGatesJudgeAReportReadBackAsTheyJudgeTheCheck() throws {
        let (report, text, _, _) = try checked()
        let document = try ReportDocument.decode(Data(text.utf8), file: "report.json")
        let masked = report.scenarios[1].maskedWords
        let byMix = report.scenarios[1].maskedByMix
        let rules = ["masked-words>\(masked)", "masked-words>=\(masked)", "masked-by-mix>\(byMix)", "masked-by-mix>=\(byMix)", "true-peak>\(report.loudness.truePeakDBTP! - 0.5)",
                     "stoi<0.99", "loudness-off-target"]
        for rule in rules {
            let gate = try QCGate(rule)
            let direct = try gate.evaluate(report), readBack = try gate.evaluate(QCGateFigures(document))
            XCTAssertEqual(direct.map(\.subject), readBack.map(\.subject), rule)
            XCTAssertEqual(direct.map(\.failed), readBack.map(\.failed), rule)
        }
    }

    func testAMalformedReportNamesTheFileAndTheField() throws {
        let (_, text, _, _) = try checked()
        func error(_ edited: String) -> String {
            do {
                _ = try ReportDocument.decode(Data(edited.utf8), file: "ep01/report.json")
                return "no error"
            } catch { return "\(error)" }
        }
        let firstStart = try XCTUnwrap(text.range(of: "\"startSeconds\": "))
        var wrongType = text
        wrongType.replaceSubrange(firstStart, with: "\"startSeconds\": \"soon\", \"was\": ")
        let path = wrongType.contains("\"lines\": [\n") ? "loudness.lines[0].startSeconds" : "scenarios[0].words[0].startSeconds"
        XCTAssertEqual(error(wrongType), "ep01/report.json: field '\(path)': expected a number")

        let withoutSettings = text.replacingOccurrences(of: "\"settings\": {", with: "\"settingz\": {")
        XCTAssertEqual(error(withoutSettings), "ep01/report.json: field 'settings': missing; not a report.json written by earshot check")
        XCTAssertEqual(error("{\"schemaVersion\": "), "ep01/report.json: not valid JSON")
        XCTAssertThrowsError(try ReportDocument.read(path: workspace.path("nowhere/report.json"))) {
            XCTAssertTrue("\($0)".hasPrefix(workspace.path("nowhere/report.json") + ": cannot read the report"), "\($0)")
        }
    }

    func testTheListenerVolumeRenderPrintsIsTheOneTheCheckUsed() throws {
        let (report, _, inputs, catalog) = try checked()
        let lufs = try ProgrammeAnalysis.analyse(inputs).playing(inputs).programme.listenerProgrammeLUFS
        XCTAssertEqual(lufs!, report.programme.dialogueLoudness!.integratedLUFS!, accuracy: 0.01)
        for s in report.scenarios {
            let choice = ListenerVolumeChoice.listener(device: try DeviceModel(profile: try catalog.device(s.device.id)), environment: try catalog.environment(s.environment.id), programmeLUFS: lufs)
            XCTAssertEqual(choice.percent, s.volumePercent, s.id)
            XCTAssertFalse(choice.fixed)
            XCTAssertTrue(choice.reason.hasPrefix("listener's choice: dialogue"), choice.reason)
            XCTAssertTrue(choice.line(scenario: s.id).hasPrefix("\(s.id): volume "), choice.line(scenario: s.id))
        }
        let fixed = ListenerVolumeChoice.fixed(percent: 42)
        XCTAssertEqual(fixed.line(scenario: "a@b"), "a@b: volume 42 % (fixed, not the listener's choice)")
    }

    func testTheReasonSaysWhichLimitSetTheListenersVolume() throws {
        let catalog = try ProfileCatalog.standard()
        let phone = try DeviceModel(profile: try catalog.device("phone-budget-speaker"))
        let reference = try DeviceModel(profile: try catalog.device("studio-reference"))
        let street = try catalog.environment("street"), bus = try catalog.environment("commute-bus")
        let night = try catalog.environment("bedroom-night")
        let noise = ListenerVolume.noiseAtEarDBA(device: reference.profile, environment: street)
        XCTAssertEqual(ListenerVolumeChoice.listener(device: reference, environment: street, programmeLUFS: -24).reason,
                       String(format: "listener's choice: dialogue at %.0f dB(A) over %.0f dB(A) of noise at the ear",
                              ListenerVolume.targetDialogueDBA(device: reference.profile, environment: street), noise))
        XCTAssertTrue(ListenerVolumeChoice.listener(device: reference, environment: night, programmeLUFS: -24).reason
            .hasSuffix("kept down in this place"), "the bedroom at night caps the choice")
        let loud = ListenerVolumeChoice.listener(device: phone, environment: bus, programmeLUFS: -40)
        XCTAssertEqual(loud.percent, 100)
        XCTAssertTrue(loud.reason.contains("the device runs out of volume"), loud.reason)
    }
}

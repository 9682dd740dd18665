import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// The command line as a user meets it, through the built binary: compare with two reports and
/// no options, batch with QC gates, render at the listener's volume, and --help texts that are
/// true (exit codes, renamed options).
final class CommandLineSurfaceTests: XCTestCase {
    var workspace: TestWorkspace!

    override func setUpWithError() throws { workspace = try TestWorkspace() }
    override func tearDown() { workspace.remove() }

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `earshot ARGUMENTS` in the workspace; `stockProfiles` replaces the stock profiles.
    func earshot(_ arguments: [String], stockProfiles: String? = nil) throws -> Outcome {
        var environment: [String: String?] = ["EARSHOT_PROFILES": nil]
        if let stockProfiles { environment["EARSHOT_STOCK_PROFILES"] = stockProfiles }
        let scratch = workspace.path("run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let run = try EarshotRun.run(try CheckCommandTests.earshotBinary(), arguments, in: workspace.root, scratch: scratch, environment: environment)
        return Outcome(status: run.status, stdout: run.stdout, stderr: run.stderr)
    }

    // MARK: compare

    func testCompareTakesTwoReportsAndComparesEverySharedScenarioLabelledByFolder() throws {
        typealias W = ReportJSONFixture.Word
        let words = [W(index: 0, text: "where", sii: 0.6, masked: false, maskedWithoutMix: false),
                     W(index: 1, text: "were", sii: 0.3, masked: true, maskedBy: "music", maskedWithoutMix: false),
                     W(index: 2, text: "you", sii: 0.2, masked: true, maskedBy: "environment", maskedWithoutMix: true)]
        let remixed = [W(index: 0, text: "where", sii: 0.6, masked: false, maskedWithoutMix: false),
                       W(index: 1, text: "were", sii: 0.55, masked: false, maskedWithoutMix: false),
                       W(index: 2, text: "you", sii: 0.2, masked: true, maskedBy: "environment", maskedWithoutMix: true)]
        try ReportJSONFixture.write(ReportJSONFixture.text(scenarios: [("phone@bus", words), ("laptop@cafe", words)]), to: workspace.path("mix-v1/ep01/report.json"))
        try ReportJSONFixture.write(ReportJSONFixture.text(scenarios: [("laptop@cafe", words), ("phone@bus", remixed)]), to: workspace.path("mix-v2/ep01/report.json"))
        let run = try earshot(["compare", "mix-v1/ep01/report.json", "mix-v2/ep01/report.json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("A: mix-v1/ep01 (mix-v1/ep01/report.json)"), run.stdout)
        XCTAssertTrue(run.stdout.contains("B: mix-v2/ep01 (mix-v2/ep01/report.json)"), run.stdout)
        XCTAssertFalse(run.stdout.contains("(report.json)"), "the sides are not both called report.json: \(run.stdout)")
        // What the mix costs leads; the word the bus takes either way is context.
        XCTAssertTrue(run.stdout.contains("phone@bus: masked by the mix A 1 of 3, B 0 of 3; lost to the situation (context) A 1, B 1"), run.stdout)
        XCTAssertTrue(run.stdout.contains("laptop@cafe: masked by the mix A 1 of 3, B 1 of 3; lost to the situation (context) A 1, B 1"), run.stdout)
        XCTAssertTrue(run.stdout.contains("1 were"), run.stdout)
        XCTAssertTrue(run.stdout.contains("0.30 MASKED (music)"), run.stdout)

        let json = try earshot(["compare", "mix-v1/ep01/report.json", "mix-v2/ep01/report.json", "--json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["a"] as? String, "mix-v1/ep01")
        let comparisons = try XCTUnwrap(object["comparisons"] as? [[String: Any]])
        XCTAssertEqual(comparisons.map { $0["scenarioA"] as? String }, ["phone@bus", "laptop@cafe"])
        XCTAssertEqual((comparisons[0]["words"] as? [[String: Any]])?.map { $0["text"] as? String }, ["were"])
        XCTAssertEqual(comparisons[0]["maskedByMixA"] as? Int, 1)
        XCTAssertEqual(comparisons[0]["maskedByMixB"] as? Int, 0)
        XCTAssertEqual(comparisons[0]["maskedBySituationB"] as? Int, 1)

        let oneReport = try earshot(["compare", "mix-v2/ep01/report.json", "--scenario", "phone@bus", "--scenario", "laptop@cafe"])
        XCTAssertEqual(oneReport.status, 0, oneReport.stderr)
        XCTAssertTrue(oneReport.stdout.hasPrefix("A: phone@bus\nB: laptop@cafe\n"), oneReport.stdout)
        XCTAssertTrue(oneReport.stdout.contains("phone@bus against laptop@cafe: masked by the mix A 0 of 3, B 1 of 3; lost to the situation (context) A 1, B 1"),
                      oneReport.stdout)
    }

    func testCompareOfAMalformedReportNamesTheFileAndTheField() throws {
        var text = ReportJSONFixture.text(scenarios: [("phone@bus", [ReportJSONFixture.Word(index: 0, text: "hi", sii: 0.5, masked: false)])])
        text = text.replacingOccurrences(of: "\"masked\": false", with: "\"masked\": \"no\"")
        try ReportJSONFixture.write(text, to: workspace.path("bad/report.json"))
        try ReportJSONFixture.write(ReportJSONFixture.text(scenarios: [("phone@bus", [])]), to: workspace.path("good/report.json"))
        let run = try earshot(["compare", "bad/report.json", "good/report.json"])
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.stderr, "earshot: error: bad/report.json: field 'scenarios[0].words[0].masked': expected true or false\n")
        XCTAssertEqual(run.stdout, "")
        let usage = try earshot(["compare", "good/report.json"])
        XCTAssertEqual(usage.status, 2, usage.stderr)
    }

    // MARK: batch

    func testBatchGatesEveryEpisodeWritesOneJUnitFileAndExitsWithThree() throws {
        let series = workspace.path("series"), out = workspace.path("qc")
        try SeriesFixtures.writeEpisode(folder: series + "/ep-a", seconds: 2, seed: 1)
        try SeriesFixtures.writeEpisode(folder: series + "/ep-b", seconds: 2, gainDB: 4, seed: 2)
        let scenario = ["--scenario", "studio-reference@quiet-room"]
        let first = try earshot(["batch", series, "--out", out] + scenario)
        XCTAssertEqual(first.status, 0, first.stderr)
        let quieter = try XCTUnwrap(ReportDocument.read(path: out + "/ep-a/report.json").loudness.integratedLUFS)
        let louder = try XCTUnwrap(ReportDocument.read(path: out + "/ep-b/report.json").loudness.integratedLUFS)
        XCTAssertGreaterThan(louder, quieter + 3)
        let rule = String(format: "integrated>%.2f", (quieter + louder) / 2)

        let gated = try earshot(["batch", series, "--out", out, "--fail-on", rule, "--fail-on", "masked-words>1000"] + scenario)
        XCTAssertEqual(gated.status, 3, gated.stderr)
        XCTAssertTrue(gated.stderr.contains("QC gates: 1 of 4 failed, in 1 of 2 episodes (ep-b)"), gated.stderr)
        let junit = try String(contentsOfFile: out + "/junit.xml", encoding: .utf8)
        XCTAssertTrue(junit.contains("<testsuites name=\"earshot\" tests=\"4\" failures=\"1\">"), junit)
        XCTAssertTrue(junit.contains("<testsuite name=\"ep-a\" tests=\"2\" failures=\"0\">"), junit)
        XCTAssertTrue(junit.contains("<testsuite name=\"ep-b\" tests=\"2\" failures=\"1\">"), junit)
        XCTAssertTrue(junit.contains("<testcase classname=\"ep-b/programme\" name=\"\(rule.replacingOccurrences(of: ">", with: "&gt;"))\">"), junit)

        let passing = try earshot(["batch", series, "--out", out, "--fail-on", "masked-words>1000", "--junit", workspace.path("gates.xml")] + scenario)
        XCTAssertEqual(passing.status, 0, passing.stderr)
        XCTAssertTrue(try String(contentsOfFile: workspace.path("gates.xml"), encoding: .utf8).contains("failures=\"0\""))

        let typo = try earshot(["batch", series, "--out", workspace.path("qc2"), "--fail-on", "sii<0.5@laptop-speakers@street"] + scenario)
        XCTAssertEqual(typo.status, 2, typo.stderr)
        XCTAssertTrue(typo.stderr.contains("the check has no scenario 'laptop-speakers@street'"), typo.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: workspace.path("qc2/ep-a")), "a wrong gate fails before any episode")

        // check refuses the same typo before it reads the programme.
        let checkTypo = try earshot(["check", "--mix", series + "/ep-a/mix.wav", "--out", workspace.path("qc3"),
                                     "--fail-on", "sii<0.5@laptop-speakers@street"] + scenario)
        XCTAssertEqual(checkTypo.status, 2, checkTypo.stderr)
        XCTAssertTrue(checkTypo.stderr.contains("the check has no scenario 'laptop-speakers@street'"), checkTypo.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: workspace.path("qc3/report.json")))
    }

    // MARK: render

    func testRenderPlaysAtTheVolumeTheCheckUsedAndSaysSo() throws {
        let scene = try CheckScene(workspace)
        let inputs = try scene.writeStemsAndMix()
        let inputArguments = ScenarioInputs.Role.allCases.flatMap { role in inputs.paths[role].map { ["--\(role.rawValue)", $0] } ?? [] }
        let scenario = "\(CheckScene.device)@loud-test"
        let check = try earshot(["check"] + inputArguments + ["--scenario", scenario, "--out", workspace.path("report"), "--json"],
                                stockProfiles: workspace.path("profiles"))
        XCTAssertEqual(check.status, 0, check.stderr)
        let report = try ReportDocument.decode(Data(check.stdout.utf8), file: "stdout")
        let checkedVolume = try XCTUnwrap(report.scenario(scenario)).volumePercent

        let render = try earshot(["render"] + inputArguments + ["--scenario", scenario, "--out", workspace.path("r.wav"), "--json"],
                                 stockProfiles: workspace.path("profiles"))
        XCTAssertEqual(render.status, 0, render.stderr)
        let printed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(render.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(printed["volumePercent"] as? Double), checkedVolume, accuracy: 1e-9)
        XCTAssertEqual(printed["volume"] as? String, "listener")
        XCTAssertTrue(render.stderr.contains("earshot: \(scenario): volume \(ListenerVolumeChoice.percentText(checkedVolume)) % (listener's choice: dialogue"), render.stderr)

        let fixed = try earshot(["render"] + inputArguments + ["--device", CheckScene.device, "--environment", "loud-test", "--volume", "35",
                                                               "--out", workspace.path("f.wav")], stockProfiles: workspace.path("profiles"))
        XCTAssertEqual(fixed.status, 0, fixed.stderr)
        XCTAssertTrue(fixed.stderr.contains("\(scenario): volume 35 % (fixed, not the listener's choice)"), fixed.stderr)

        let two = try earshot(["render"] + inputArguments + ["--scenario", scenario, "--scenario", "\(CheckScene.device)@quiet-test",
                                                             "--out", workspace.path("t.wav")], stockProfiles: workspace.path("profiles"))
        XCTAssertEqual(two.status, 2)
        XCTAssertTrue(two.stderr.contains("render writes one scenario"), two.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: workspace.path("t.wav")))
    }

    // MARK: errors

    func testLibraryErrorsNameTheSettingAndTheCommandLineItsOption() throws {
        var plan = MeasurementPlan(sweep: try ExponentialSweep(startHz: 20, endHz: 20000, seconds: 1, sampleRate: 48000))
        plan.stepLevelsDBFS = [-6, -12]
        XCTAssertThrowsError(try plan.validate()) {
            XCTAssertEqual("\($0)", "stepped-level series must rise: -12.0 dBFS after -6.0 dBFS")
        }
        let run = try earshot(["measure", "device", "--write-stimulus", workspace.path("stimulus.wav"), "--steps=-6,-12"])
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.stderr, "earshot: error: --steps must rise: -12.0 dBFS after -6.0 dBFS\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: workspace.path("stimulus.wav")))
    }

    // MARK: --help

    func testHelpListsExitCodesAndOptionsEachCommandHas() throws {
        let check = try earshot(["check", "--help"]), batch = try earshot(["batch", "--help"])
        for help in [check, batch] {
            XCTAssertEqual(help.status, 0)
            // The help is wrapped to the terminal's width: compare with the line breaks undone.
            let unwrapped = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            XCTAssertTrue(unwrapped.contains("3 a QC gate failed"), help.stdout)
            XCTAssertTrue(help.stdout.contains("--fail-on <rule>") && help.stdout.contains("--junit <file>"), help.stdout)
        }
        for command in [["render"], ["compare"], ["devices", "list"], ["metrics", "loudness"]] {
            let help = try earshot(command + ["--help"])
            XCTAssertEqual(help.status, 0, command.joined(separator: " "))
            XCTAssertFalse(help.stdout.contains("QC gate"), "\(command): no gates, no exit code 3: \(help.stdout)")
            XCTAssertTrue(help.stdout.contains("--json"), "\(command) has --json: \(help.stdout)")
        }
        let render = try earshot(["render", "--help"]).stdout
        XCTAssertTrue(render.contains("--sample-format"), render)
        XCTAssertFalse(render.contains("--format"), "render's sample format is --sample-format; --format is devices import's file format")
        let importHelp = try earshot(["devices", "import", "--help"]).stdout
        XCTAssertTrue(importHelp.contains("--origin <text>"), importHelp)
        XCTAssertFalse(importHelp.contains("--source <"), "--source is the microphone's PulseAudio source in measure")
    }
}

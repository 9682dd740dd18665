import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

final class QCGateTests: XCTestCase {
    func testRulesParse() throws {
        let g = try QCGate("masked-words>0@phone-budget-speaker@commute-bus")
        XCTAssertEqual(g.metric, .maskedWords)
        XCTAssertEqual(g.comparison, .greater)
        XCTAssertEqual(g.threshold, 0)
        XCTAssertEqual(g.target, "phone-budget-speaker@commute-bus")
        let tp = try QCGate("true-peak>=-2")
        XCTAssertEqual(tp.comparison, .greaterOrEqual)
        XCTAssertEqual(tp.threshold, -2)
        XCTAssertEqual(try QCGate("loudness-off-target@ReelShort").metric, .loudnessOffTarget)
    }

    func testBadRulesAreUsageErrorsThatExplainTheGrammar() {
        for bad in ["masked-words", "loudest>3", "stoi<abc", "true-peak>-2@phone@bus", "sii<0.4@phone", "stoi<0.5@"] {
            XCTAssertThrowsError(try QCGate(bad), bad) { error in
                guard let e = error as? EarshotError else { return XCTFail("\(error)") }
                XCTAssertEqual(e.kind, .usage, bad)
                XCTAssertTrue(e.message.contains(bad), e.message)
            }
        }
    }

    func testTheLibraryNamesTheSetting() throws {
        XCTAssertThrowsError(try QCGate("loudness>3")) { error in
            guard let e = error as? EarshotError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.setting, QCGate.settingName)
            XCTAssertTrue(e.description.hasPrefix("QC gate 'loudness>3': unknown metric 'loudness'"), e.description)
        }
    }

    /// A short scene through the studio reference: speech-like bursts, a music bed, word timings.
    func smallReport() throws -> CheckReport {
        let workspace = try TestWorkspace()
        addTeardownBlock { workspace.remove() }
        let n = 3 * 48000
        let dialogue: [Float] = (0..<n).map { i in
            let t = Double(i) / 48000
            return Float(0.2 * max(0, sin(2 * .pi * 2 * t)) * (sin(2 * .pi * 200 * t) + 0.5 * sin(2 * .pi * 1500 * t)))
        }
        let me = TestSignals.sine(frequencyHz: 60, amplitude: 0.05, seconds: 3)
        let mix = zip(dialogue, me).map { $0 + $1 }
        for (name, x) in [("dialogue", dialogue), ("me", me), ("mix", mix)] {
            try AudioFile.write(path: workspace.path("\(name).wav"), channels: [x, x], sampleRate: 48000, format: .float32)
        }
        let words = (0..<6).map { k in "{\"word\": \"w\(k)\", \"start\": \(Double(k) * 0.5), \"end\": \(Double(k) * 0.5 + 0.25)}" }
        try "{\"segments\": [{\"start\": 0, \"end\": 3, \"text\": \"\", \"words\": [\(words.joined(separator: ","))]}]}"
            .write(toFile: workspace.path("words.json"), atomically: true, encoding: .utf8)
        let inputs = ScenarioInputs(mix: workspace.path("mix.wav"), dialogue: workspace.path("dialogue.wav"), me: workspace.path("me.wav"))
        let settings = CheckSettings(scenarios: [("studio-reference", "quiet-room")], wordsPath: workspace.path("words.json"))
        return try CheckRunner.run(inputs: inputs, settings: settings, catalog: try ProfileCatalog.standard(environment: [:]))
    }

    func testGatesEvaluateAgainstTheReportAndJUnitNamesFailures() throws {
        let report = try smallReport()
        let scenario = report.scenarios[0]
        let masked = scenario.maskedWords
        let pass = try QCGate("masked-words>\(masked)").evaluate(report)
        XCTAssertEqual(pass.count, 1)
        XCTAssertFalse(pass[0].failed)
        let fail = try QCGate("masked-words>=\(masked)@studio-reference@quiet-room").evaluate(report)
        XCTAssertTrue(fail[0].failed)
        let truePeak = report.loudness.truePeakDBTP!
        XCTAssertTrue(try QCGate("true-peak>\(truePeak - 0.5)").evaluate(report)[0].failed)
        XCTAssertFalse(try QCGate("true-peak>\(truePeak + 0.5)").evaluate(report)[0].failed)
        XCTAssertThrowsError(try QCGate("sii<0.5@phone-budget-speaker@commute-bus").evaluate(report)) {
            XCTAssertTrue("\($0)".contains("no scenario"), "\($0)")
        }
        let offTarget = try QCGate("loudness-off-target").evaluate(report)
        XCTAssertEqual(offTarget.count, report.platforms.count)
        let xml = JUnitReport.xml(fail + pass)
        XCTAssertTrue(xml.contains("tests=\"2\" failures=\"1\""), xml)
        XCTAssertTrue(xml.contains("<failure message=\"masked-words = \(masked) on studio-reference@quiet-room"), xml)
    }

    func testExportsListFlaggedWordsInEveryFormat() throws {
        var report = try smallReport()
        // Mark one word masked by effects so the exports have something to carry.
        var words = report.scenarios[0].words!
        words[2].masked = true
        words[2].maskedBy = .effects
        words[2].maskedWithoutMix = false
        words[2].sii = 0.2
        words[2].heardProbability = 0.3
        report.scenarios[0].words = words
        report.timeReferenceSeconds = 3600
        let flagged = Exports.flaggedWords(report).filter { $0.index == 2 }
        XCTAssertEqual(flagged.count, 1)
        XCTAssertTrue(flagged[0].reasons[0].contains("masked by effects on studio-reference@quiet-room (heard by 30 % of listeners, SII 0.20)"))
        let audacity = Exports.audacityLabels(report)
        XCTAssertTrue(audacity.contains("1.000000\t1.250000\tw2 @ 01:00:01:00: masked by effects"), audacity)
        let reaper = Exports.reaperMarkers(report)
        XCTAssertTrue(reaper.hasPrefix("#,Name,Start,End,Length\n"))
        XCTAssertTrue(reaper.contains(",1:00:01.000,1:00:01.250,0:00:00.250"), reaper)
        let srt = Exports.flaggedSRT(report)
        XCTAssertTrue(srt.contains("00:00:01,000 --> 00:00:01,250\nw2 @ 01:00:01:00"), srt)
        let csv = Exports.wordsCSV(report)
        XCTAssertEqual(csv.split(separator: "\n").count, 1 + words.count)
        XCTAssertTrue(csv.contains("studio-reference@quiet-room,2,w2,1,1.25,01:00:01:00,false,0.2,"), csv)
    }
}

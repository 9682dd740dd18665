import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// report.html without a browser: its structure for a real check of a small scene
/// (`HTMLReportScene`), self-containment, determinism, timecode, and the colour thresholds.
final class HTMLReportTests: XCTestCase {
    func scene() throws -> (HTMLReportScene, CheckReport) { try HTMLReportScene.shared.get() }

    /// The scene does what it is built for: the studio loses only the word under the effects hit
    /// (to the M&E), the phone on the bus loses words too.
    func testTheSceneHasMaskedWords() throws {
        let (_, report) = try scene()
        XCTAssertEqual(report.scenarios.count, 2)
        let studio = try XCTUnwrap(report.scenarios[0].words)
        XCTAssertEqual(studio.count, HTMLReportScene.words.count)
        XCTAssertEqual(studio.filter(\.masked).map(\.text), ["you"], "studio: \(studio.map { ($0.text, $0.sii) })")
        XCTAssertEqual(studio.first { $0.masked }?.maskedBy, .me)
        XCTAssertGreaterThan(report.scenarios[1].maskedWords, 0)
    }

    func testOneRowPerWordAndTwoPlayersPerEmbeddedMaskedWord() throws {
        let (_, report) = try scene()
        let html = report.html()
        XCTAssertEqual(HTMLCount.occurrences(of: "<tr class=\"word-row\"", in: html), HTMLReportScene.words.count)
        // The word table lists the words in time order.
        let table = try XCTUnwrap(html.components(separatedBy: "<table class=\"words\">").last)
        var position = table.startIndex
        for w in HTMLReportScene.words {
            let found = try XCTUnwrap(table.range(of: ">\(w.text)<", range: position..<table.endIndex), w.text)
            position = found.upperBound
        }
        let sections = HTMLCount.scenarioSections(html)
        XCTAssertEqual(sections.count, report.scenarios.count)
        var players = 0
        for (s, section) in zip(report.scenarios, sections) {
            let expected = min(s.maskedWords, MaskedWordSnippetRecorder.defaultCapacity)
            XCTAssertEqual(s.maskedWordSnippets.count, expected, s.id)
            XCTAssertEqual(HTMLCount.occurrences(of: "<tr class=\"snippet-row\"", in: section), expected, s.id)
            XCTAssertEqual(HTMLCount.occurrences(of: "<audio ", in: section), 2 * expected, s.id)
            XCTAssertEqual(Set(s.maskedWordSnippets.map(\.wordIndex)), Set(s.words!.filter(\.masked).map(\.index)), s.id)
            players += 2 * expected
            // One timeline row per 10 s (the scene is shorter: one row), a masked outline per masked word.
            XCTAssertEqual(HTMLCount.occurrences(of: "<svg class=\"tl-row\"", in: section), 1, s.id)
            XCTAssertEqual(HTMLCount.occurrences(of: "<g class=\"word masked", in: section), s.maskedWords, s.id)
            // Dashed: the words lost even without the mix.
            XCTAssertEqual(HTMLCount.occurrences(of: "<g class=\"word masked situation\"", in: section), s.maskedBySituation, s.id)
            XCTAssertEqual(HTMLCount.occurrences(of: "<g class=\"word", in: section), s.words!.count, s.id)
        }
        XCTAssertEqual(HTMLCount.occurrences(of: "<audio ", in: html), players)
        XCTAssertEqual(HTMLCount.occurrences(of: "<tr class=\"scenario-row\"", in: html), report.scenarios.count)
    }

    /// Everything is inside the file: every src is a data URI, every href an anchor on the page.
    func testNoExternalReferences() throws {
        let (_, report) = try scene()
        let html = report.html()
        XCTAssertFalse(html.contains("http://"))
        XCTAssertFalse(html.contains("https://"))
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("<link"))
        XCTAssertFalse(html.contains("url("), "no CSS resources")
        let sources = HTMLCount.attributeValues("src", in: html)
        XCTAssertFalse(sources.isEmpty)
        for src in sources { XCTAssertTrue(src.hasPrefix("data:audio/wav;base64,"), String(src.prefix(40))) }
        let anchors = Set(HTMLCount.attributeValues("id", in: html))
        for href in HTMLCount.attributeValues("href", in: html) {
            XCTAssertTrue(href.hasPrefix("#"), href)
            XCTAssertTrue(anchors.contains(String(href.dropFirst())), "dangling link \(href)")
        }
    }

    /// Same inputs, same bytes: the report rendered twice, and the whole check run again.
    func testSameInputsGiveTheSameBytes() throws {
        let (scene, report) = try scene()
        let html = report.html()
        XCTAssertEqual(html, report.html())
        let again = try scene.check()
        XCTAssertEqual(again.html(), html)
        XCTAssertEqual(again.json().serialized(), report.json().serialized())
    }

    /// Times on the axis and in the tables are timecode from the BWF time reference, or
    /// minutes:seconds without one.
    func testTimesAreTimecodeWhenTheInputHasATimeReference() throws {
        let (_, report) = try scene()
        XCTAssertNotNil(report.timeReferenceSeconds)
        let html = report.html()
        XCTAssertTrue(html.contains(">01:00:01:00</text>"), "axis tick at 1 s")
        XCTAssertTrue(html.contains(">01:00:01:12</td>"), "the word 'you' at 1.5 s = frame 12 at 25 fps")
        var plain = report
        plain.timeReferenceSeconds = nil
        let html2 = plain.html()
        XCTAssertFalse(html2.contains("01:00:01:00"))
        XCTAssertTrue(html2.contains(">00:01.0</text>"))
        XCTAssertTrue(html2.contains(">00:01.5</td>"))
    }

    /// A capped scenario says how many masked words have no clip.
    func testCappedClipsAreCounted() throws {
        let (_, report) = try scene()
        var capped = report
        capped.scenarios[1].maskedWordsNotEmbedded = 5
        XCTAssertTrue(capped.html().contains("5 more masked words not embedded"))
        XCTAssertFalse(report.html().contains("more masked word"))
    }

    /// Without the dialogue stem's figures the report still renders, says what is missing, and
    /// keeps one row per word; text from the inputs is escaped.
    func testMissingFiguresAndMarkupInWords() throws {
        let (_, report) = try scene()
        var bare = report
        for i in bare.scenarios.indices {
            bare.scenarios[i].words = nil
            bare.scenarios[i].stoi = nil
            bare.scenarios[i].estoi = nil
            bare.scenarios[i].sii = nil
            bare.scenarios[i].sibilance = nil
            bare.scenarios[i].maskedWordSnippets = []
            bare.scenarios[i].stoiNote = "not computed: STOI, SII and per-word masking need the dialogue stem (--dialogue)"
        }
        bare.timings?.words[0].text = "<b>&\"x'"
        let html = bare.html()
        XCTAssertEqual(HTMLCount.occurrences(of: "<tr class=\"word-row\"", in: html), HTMLReportScene.words.count)
        XCTAssertEqual(HTMLCount.occurrences(of: "<audio ", in: html), 0)
        XCTAssertTrue(html.contains("per-word masking needs the dialogue stem (--dialogue)"))
        XCTAssertTrue(html.contains("&lt;b&gt;&amp;&quot;x&#39;"))
        XCTAssertFalse(html.contains("<b>&"))
        for row in html.components(separatedBy: "<tr class=\"scenario-row\">").dropFirst() {
            XCTAssertEqual(HTMLCount.occurrences(of: "metric sev-none", in: row.components(separatedBy: "</tr>")[0]), 4, "STOI, SII, masked words, sibilance")
        }
    }

    func testMatrixCellsFollowTheThresholds() throws {
        XCTAssertEqual(ReportThresholds.sii(0.75), .good)
        XCTAssertEqual(ReportThresholds.sii(0.7499), .warn)
        XCTAssertEqual(ReportThresholds.sii(0.45), .warn)
        XCTAssertEqual(ReportThresholds.sii(0.4499), .bad)
        XCTAssertEqual(ReportThresholds.sii(nil), .none)
        XCTAssertEqual(ReportThresholds.stoi(0.6), .warn)
        XCTAssertEqual(ReportThresholds.stoi(0.5999), .bad)
        XCTAssertEqual(ReportThresholds.stoi(0.75), .good)
        XCTAssertEqual(ReportThresholds.maskedWords(0, of: 40), .good)
        XCTAssertEqual(ReportThresholds.maskedWords(4, of: 40), .warn)
        XCTAssertEqual(ReportThresholds.maskedWords(5, of: 40), .bad)
        XCTAssertEqual(ReportThresholds.lowFrequency(0.19), .good)
        XCTAssertEqual(ReportThresholds.lowFrequency(0.2), .warn)
        XCTAssertEqual(ReportThresholds.lowFrequency(0.5), .bad)
        // Sibilance: amber once the 90th-percentile sibilant reaches normal speech's peak (harsh),
        // red a difference limen (5 dB) beyond it.
        XCTAssertEqual(ReportThresholds.sibilance(SibilanceHarshness.score(overSpeechPeakDB: -0.2)), .good)
        XCTAssertEqual(ReportThresholds.sibilance(SibilanceHarshness.score(overSpeechPeakDB: 0)), .warn)
        XCTAssertEqual(ReportThresholds.sibilance(SibilanceHarshness.score(overSpeechPeakDB: 4.8)), .warn)
        XCTAssertEqual(ReportThresholds.sibilance(SibilanceHarshness.score(overSpeechPeakDB: 5)), .bad)
        XCTAssertEqual(ReportThresholds.dialogueLevel(shortfallDB: 0.5), .good)
        XCTAssertEqual(ReportThresholds.dialogueLevel(shortfallDB: 3), .warn)
        XCTAssertEqual(ReportThresholds.dialogueLevel(shortfallDB: 7), .bad)
        XCTAssertEqual(ReportThresholds.dialogueLevel(shortfallDB: -7), .warn)
        // Word colours: three hue families for the three SII bands.
        XCTAssertNotEqual(ReportThresholds.siiColour(0.44), ReportThresholds.siiColour(0.46))
        // Words by heard probability: masked below 0.5, at risk below 0.8.
        XCTAssertNotEqual(ReportThresholds.heardColour(0.49), ReportThresholds.heardColour(0.51))
        XCTAssertNotEqual(ReportThresholds.heardColour(0.79), ReportThresholds.heardColour(0.81))
        XCTAssertEqual(ReportThresholds.heardColour(0.3), ReportThresholds.siiColour(0.3 * 0.45 / 0.5))
        XCTAssertEqual(ReportThresholds.hexColour(hue: 0, saturation: 1, lightness: 0.5), "#ff0000")
        XCTAssertEqual(ReportThresholds.hexColour(hue: 120, saturation: 1, lightness: 0.5), "#00ff00")

        // In the report: each scenario row carries its figures' classes, in header order.
        let (_, report) = try scene()
        let html = report.html()
        let rows = html.components(separatedBy: "<tr class=\"scenario-row\">").dropFirst()
        for (s, row) in zip(report.scenarios, rows) {
            let row = row.components(separatedBy: "</tr>")[0]
            let classes = HTMLCount.attributeValues("class", in: row).filter { $0.hasPrefix("metric ") }.map { String($0.dropFirst(7)) }
            XCTAssertEqual(classes.count, 6, s.id)
            XCTAssertEqual(classes[0], ReportThresholds.stoi(s.stoi).cssClass, s.id)
            XCTAssertEqual(classes[1], ReportThresholds.sii(s.sii).cssClass, s.id)
            // The masked-words colour counts the mix's cost; the situation's losses are context.
            XCTAssertEqual(classes[2], ReportThresholds.maskedWords(s.maskedByMix, of: s.words!.count).cssClass, s.id)
            let a = ScenarioAssessment(report: report, scenario: s)
            XCTAssertTrue(row.contains("class=\"verdict \(a.verdict.cssClass)\""), s.id)
            XCTAssertEqual(a.verdict, a.cells.map(\.severity).max())
        }
    }

    /// report.json carries the at-ear spectrum: 29 third-octave bands, 25 Hz–16 kHz, as measured.
    func testReportJSONHasTheAtEarSpectrum() throws {
        let (_, report) = try scene()
        let data = Data(report.json().serialized().utf8)
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let scenarios = try XCTUnwrap(root["scenarios"] as? [[String: Any]])
        for (s, json) in zip(report.scenarios, scenarios) {
            let bands = try XCTUnwrap(json["atEarSpectrum"] as? [[String: Any]], s.id)
            XCTAssertEqual(bands.count, 29)
            XCTAssertEqual(bands.compactMap { ($0["centreHz"] as? NSNumber)?.doubleValue }, ThirdOctave.nominalCentresHz)
            for (band, measured) in zip(bands, s.longTermSpectrum) {
                XCTAssertEqual(try XCTUnwrap((band["levelDB"] as? NSNumber)?.doubleValue), measured.levelDB, accuracy: 1e-3)
            }
            // Band powers add up to the at-ear programme: at most the total (programme + environment).
            let total = 10 * log10(s.longTermSpectrum.map { pow(10, $0.levelDB / 10) }.reduce(0, +))
            XCTAssertLessThanOrEqual(total, s.atEarLeqDB + 0.5, s.id)
            XCTAssertGreaterThan(total, 30, s.id)
        }
    }
}

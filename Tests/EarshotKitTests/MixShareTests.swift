import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// The mix's share of the masked words (`maskedWithoutMix`, `maskedByMix`, `maskedBySituation`)
/// and the attribution that follows it, on hand-made band frames whose levels make the answer
/// plain: a word is masked where a masker is 12 dB or more over it in every band (listeners get
/// half the words of sentences at about −7 dB SNR, `WordTransferFunction`), heard where every
/// masker is 6 dB or more under it.
final class MixShareTests: XCTestCase {
    /// Third-octave band mean squares (Pa²) at `levelDB` dB SPL in each of the 18 SII bands.
    static func bands(_ levelDB: Double) -> [Double] {
        [Double](repeating: 4e-10 * pow(10, levelDB / 10), count: 18)
    }

    /// One word of 0.3 s (15 frames) at a flat 60 dB SPL per band, the maskers at the levels
    /// given (nil: silent), the device's limiter gain `deviceGain` on every frame; its verdict.
    static func judge(music: Double?, environment: Double, deviceGain: Float = 1) throws -> WordMasking {
        let word = WordTiming(index: 0, text: "listen", startSeconds: 0, endSeconds: 0.3, estimated: false)
        let analyzer = WordMaskingAnalyzer(words: [word])
        for k in 0..<20 {
            let frame = BandFrameAnalyzer.Frame(index: k, centreSeconds: 0.01 + 0.02 * Double(k), dialogue: bands(60),
                                                maskers: [.music: music.map(bands) ?? bands(-400), .environment: bands(environment)],
                                                deviceGain: deviceGain)
            try analyzer.consume(frame)
        }
        return try XCTUnwrap(try analyzer.finish().first)
    }

    static func describe(_ w: WordMasking) -> String {
        String(format: "sii %.2f without the mix %.2f, masked %@ by %@, masked without the mix %@; alone: %@", w.sii, w.siiWithoutMix,
               "\(w.masked)", w.maskedBy?.rawValue ?? "-", "\(w.maskedWithoutMix)",
               w.siiByMasker.sorted { $0.key < $1.key }.map { String(format: "%@ %.2f", $0.key.rawValue, $0.value) }.joined(separator: ", "))
    }

    /// Music 10 dB over the word in a quiet place: the mix's cost, blamed on the music.
    func testAWordLostOnlyToTheMusicIsTheMixsCostAndBlamedOnTheMusic() throws {
        let w = try Self.judge(music: 70, environment: 30)
        XCTAssertTrue(w.masked, Self.describe(w))
        XCTAssertFalse(w.maskedWithoutMix, Self.describe(w))
        XCTAssertTrue(w.maskedByMix, Self.describe(w))
        XCTAssertEqual(w.maskedBy, .music, Self.describe(w))
    }

    /// The place 12 dB over the word, the music 16 dB over it: the music alone takes the most,
    /// but the word is lost even without it, so it is the situation's — blamed on the
    /// environment, never on the music.
    func testAWordLostEvenWithoutTheMixIsTheSituationsAndNeverBlamedOnTheMusic() throws {
        let w = try Self.judge(music: 76, environment: 72)
        XCTAssertLessThan(try XCTUnwrap(w.siiByMasker[.music]), try XCTUnwrap(w.siiByMasker[.environment]), "the music alone takes more")
        XCTAssertTrue(w.masked, Self.describe(w))
        XCTAssertTrue(w.maskedWithoutMix, Self.describe(w))
        XCTAssertFalse(w.maskedByMix, Self.describe(w))
        XCTAssertEqual(w.maskedBy, .environment, Self.describe(w))
    }

    /// A word heard in every case is neither the mix's nor the situation's.
    func testAWordHeardIsNeitherTheMixsNorTheSituations() throws {
        let w = try Self.judge(music: 40, environment: 30)
        XCTAssertFalse(w.masked, Self.describe(w))
        XCTAssertFalse(w.maskedWithoutMix, Self.describe(w))
        XCTAssertNil(w.maskedBy, Self.describe(w))
    }

    /// The limiter ducks the word 12 dB (the whole programme drives it) under a place 12 dB over
    /// the ducked word; undone, the word is as loud as the place. Judged without the mix the
    /// ducking is undone, so the word is the mix's cost — blamed on the mix's stem, not on the
    /// device or the place.
    func testLimiterDuckingUnderTheMixCountsAsTheMixsCost() throws {
        let w = try Self.judge(music: 40, environment: 72, deviceGain: 0.25)
        XCTAssertEqual(w.deviceDuckingDB, 12.04, accuracy: 0.01)
        XCTAssertTrue(w.masked, Self.describe(w))
        XCTAssertFalse(w.maskedWithoutMix, Self.describe(w))
        XCTAssertGreaterThan(w.siiWithoutMix, w.sii + 0.2, Self.describe(w))
        XCTAssertEqual(w.maskedBy, .music, Self.describe(w))
    }

    /// The same ducking with no mix playing (a dialogue-only check): nothing but the dialogue
    /// drove the limiter, so the ducking stays, the word is the situation's, and the device —
    /// whose ducking, undone, would save it — takes the blame.
    func testLimiterDuckingWithTheMixSilentIsTheDevices() throws {
        let w = try Self.judge(music: nil, environment: 72, deviceGain: 0.25)
        XCTAssertTrue(w.masked, Self.describe(w))
        XCTAssertTrue(w.maskedWithoutMix, Self.describe(w))
        XCTAssertEqual(w.maskedBy, .device, Self.describe(w))
    }

    /// Ducking below the 1 dB threshold is not undone: a word the place takes with or without
    /// the mix stays the situation's.
    func testDuckingUnderTheThresholdIsNotUndone() throws {
        let w = try Self.judge(music: 40, environment: 72, deviceGain: 0.95)
        XCTAssertTrue(w.maskedWithoutMix, Self.describe(w))
        XCTAssertEqual(w.maskedBy, .environment, Self.describe(w))
    }

    // MARK: Readers of reports

    /// `--fail-on masked-by-mix>N` judges the mix's cost; a report from before the mix's share
    /// cannot pass it, and says why.
    func testTheMaskedByMixGateJudgesTheMixsCostAndNeedsAReportThatHasIt() throws {
        typealias W = ReportJSONFixture.Word
        let gate = try QCGate("masked-by-mix>0@phone@bus")
        XCTAssertEqual(gate.metric, .maskedByMix)
        let lostToTheBus = [W(index: 0, text: "where", sii: 0.2, masked: true, maskedBy: "environment", maskedWithoutMix: true),
                            W(index: 1, text: "were", sii: 0.7, masked: false, maskedWithoutMix: false)]
        let situationOnly = try gate.evaluate(QCGateFigures(try ReportJSONFixture.document(scenarios: [("phone@bus", lostToTheBus)])))
        XCTAssertEqual(situationOnly.map(\.failed), [false], "a word the bus takes anyway is not the mix's cost")
        XCTAssertEqual(try XCTUnwrap(try QCGate("masked-words>0@phone@bus").evaluate(
            QCGateFigures(try ReportJSONFixture.document(scenarios: [("phone@bus", lostToTheBus)]))).first).failed, true)
        var musical = lostToTheBus
        musical[1] = W(index: 1, text: "were", sii: 0.3, masked: true, maskedBy: "music", maskedWithoutMix: false)
        let mixCost = try gate.evaluate(QCGateFigures(try ReportJSONFixture.document(scenarios: [("phone@bus", musical)])))
        XCTAssertEqual(mixCost.map(\.failed), [true])
        XCTAssertTrue(mixCost[0].message.contains("masked-by-mix = 1 on phone@bus"), mixCost[0].message)

        let older = [W(index: 0, text: "where", sii: 0.2, masked: true, maskedBy: "environment")]
        let unknown = try gate.evaluate(QCGateFigures(try ReportJSONFixture.document(scenarios: [("phone@bus", older)])))
        XCTAssertEqual(unknown.map(\.failed), [true])
        XCTAssertTrue(unknown[0].message.contains("not computed"), unknown[0].message)
    }

    /// compare leads with the mix's cost on each side; against a report from before the mix's
    /// share it says it cannot tell and gives the masked words.
    func testCompareLeadsWithTheMixsCostAndSaysWhenAReportCannotTell() throws {
        typealias W = ReportJSONFixture.Word
        let before = try ReportJSONFixture.document(scenarios: [("phone@bus", [
            W(index: 0, text: "where", sii: 0.3, masked: true, maskedBy: "music", maskedWithoutMix: false),
            W(index: 1, text: "were", sii: 0.2, masked: true, maskedBy: "environment", maskedWithoutMix: true)])])
        let after = try ReportJSONFixture.document(scenarios: [("phone@bus", [
            W(index: 0, text: "where", sii: 0.6, masked: false, maskedWithoutMix: false),
            W(index: 1, text: "were", sii: 0.2, masked: true, maskedBy: "environment", maskedWithoutMix: true)])])
        let c = try XCTUnwrap(try ReportComparison.beforeAfter(before, after, files: ("a.json", "b.json"), labels: ("v1", "v2")).first)
        XCTAssertEqual(c.a.maskedByMixCount, 1)
        XCTAssertEqual(c.b.maskedByMixCount, 0)
        XCTAssertEqual(c.headline, "phone@bus: masked by the mix A 1 of 2, B 0 of 2; lost to the situation (context) A 1, B 1")

        let older = try ReportJSONFixture.document(scenarios: [("phone@bus", [
            W(index: 0, text: "where", sii: 0.3, masked: true, maskedBy: "music"), W(index: 1, text: "were", sii: 0.7, masked: false)])])
        let mixed = try XCTUnwrap(try ReportComparison.beforeAfter(older, after, files: ("a.json", "b.json"), labels: ("v1", "v2")).first)
        XCTAssertNil(mixed.a.maskedByMixCount)
        XCTAssertEqual(mixed.headline, "phone@bus: A 1 masked of 2, B 1 masked of 2 (the mix's share is not in both reports)")
    }
    /// The series leads each episode with the mix's cost and gives the situation's losses in
    /// brackets; an episode whose report predates the mix's share says so.
    func testTheSeriesLeadsWithTheMixsCostAndTheSituationAsContext() throws {
        typealias W = ReportJSONFixture.Word
        let root = NSTemporaryDirectory() + "earshot-mix-share-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        let words = [W(index: 0, text: "where", sii: 0.3, masked: true, maskedBy: "music", maskedWithoutMix: false),
                     W(index: 1, text: "were", sii: 0.2, masked: true, maskedBy: "environment", maskedWithoutMix: true),
                     W(index: 2, text: "you", sii: 0.8, masked: false, maskedWithoutMix: false)]
        let older = [W(index: 0, text: "where", sii: 0.3, masked: true, maskedBy: "music"), W(index: 1, text: "were", sii: 0.8, masked: false)]
        try ReportJSONFixture.write(ReportJSONFixture.text(scenarios: [("phone@bus", words)]), to: root + "/e1/report.json")
        try ReportJSONFixture.write(ReportJSONFixture.text(scenarios: [("phone@bus", older)]), to: root + "/e2/report.json")
        let series = SeriesReport(folder: root, checked: ["e1", "e2"], failed: [], settings: .null)
        XCTAssertEqual(series.episodes.map(\.maskedByMixTotal), [1, nil])
        XCTAssertEqual(series.episodes.map(\.maskedBySituationTotal), [1, nil])
        let text = series.summary()
        XCTAssertTrue(text.contains("masked by the mix (all scenarios; + lost to the situation)"), text)
        XCTAssertTrue(text.contains("1/3 (+1 situation)"), text)
        XCTAssertTrue(text.contains("1/2 masked (the mix's share not in this report)"), text)
        let html = SeriesHTML.page(series)
        XCTAssertTrue(html.contains(">1/3 (+1)</a>"), "the cell leads with the mix's cost")
        XCTAssertTrue(html.contains(">1/2 masked</a>"), "an older report's masked words")
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(series.json().serialized().utf8)) as? [String: Any])
        let first = try XCTUnwrap((json["episodes"] as? [[String: Any]])?.first?["maskedWords"] as? [[String: Any]])
        XCTAssertEqual(first.first?["maskedByMix"] as? Int, 1)
        XCTAssertEqual(first.first?["maskedBySituation"] as? Int, 1)
    }
}

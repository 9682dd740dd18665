import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// Sibilance judged against the speech peaks of ANSI S3.5-1997's standard speech spectrum
/// (`SibilantSpeechPeaks`): the verdict follows the voice and the device, not the talker's own
/// sibilants. A talker (SyntheticTalker) of four lines with fifteen /s/, onsets and codas, words
/// a few dB louder or softer than the rest, played at a conversational 65 dB SPL; "the device"
/// is a filter on what reaches the ear, the stem (where sibilants are found) stays as delivered.
final class SibilantSpeechPeakTests: XCTestCase {
    typealias Word = SyntheticTalker.Word

    static let lines = SyntheticTalker.layout([
        (0.3, [Word("sam", .s, [.a]), Word("says", .s, [.e], .s), Word("its", nil, [.i], .s), Word("fine", .f, [.a, .i])]),
        (2.0, [Word("sit", .s, [.i], .t), Word("still", .s, [.i], levelDB: -2), Word("so", .s, [.o]), Word("we", nil, [.i]), Word("can", nil, [.a])]),
        (3.8, [Word("see", .s, [.i], levelDB: 2), Word("us", nil, [.a], .s), Word("first", .f, [.e], .s), Word("sir", .s, [.e])]),
        (5.4, [Word("yes", nil, [.e], .s, levelDB: -3), Word("soon", .s, [.u], levelDB: 2), Word("this", nil, [.i], .s),
               Word("sunset", .s, [.a, .e], .t, seconds: 0.4)]),
    ])
    static let seconds = 7.2

    /// +8 dB from 5 to 9 kHz (ramping in from 4.2 kHz and out to 10.5 kHz): a bright voice.
    static let brightVoiceEQ: [(Double, Double)] = [(20, 0), (4200, 0), (5000, 8), (9000, 8), (10500, 0), (24000, 0)]
    /// +8 dB from 4 to 8 kHz (ramping in from 3 kHz and out to 10 kHz): a device whose treble
    /// rises as the budget phone's does (7–10 dB at 4–8 kHz).
    static let brightDeviceResponse: [(Double, Double)] = [(20, 0), (3000, 0), (4000, 8), (8000, 8), (10000, 0), (24000, 0)]

    /// Time spans of the /s/ of `words` (onset at the word's start, coda at its end).
    static func sibilantSpans(_ words: [Word]) -> [(Double, Double)] {
        words.flatMap { w -> [(Double, Double)] in
            var spans: [(Double, Double)] = []
            if let c = w.onset, c.isSibilant { spans.append((w.startSeconds, w.startSeconds + c.seconds)) }
            if let c = w.coda, c.isSibilant { spans.append((w.endSeconds - c.seconds, w.endSeconds)) }
            return spans
        }
    }

    struct Verdict {
        var result: SibilanceHarshness
        /// For each /s/ of the talker, the event on it (nil when none was found).
        var onSibilants: [SibilanceHarshness.Event?]
        var harshShare: Double { Double(onSibilants.filter { $0?.harsh == true }.count) / Double(onSibilants.count) }
        var detail: String {
            result.events.map {
                String(format: "%.3f–%.3f word %@ over peak %+.1f dB at %.0f Hz, relative %+.1f dB %@", $0.startSeconds, $0.endSeconds,
                       "\($0.wordIndex ?? -1)", $0.overSpeechPeakDB, $0.peakBandHz, $0.relativeExcessDB, $0.harsh ? "HARSH" : "")
            }.joined(separator: "\n")
        }
    }

    /// The voice (through `voiceEQ`) is the stem; the ear gets the stem through `device`,
    /// `volumeDB` louder than 65 dB SPL.
    func judge(_ words: [Word] = lines, seconds: Double = lines.last!.endSeconds + 0.5, voiceEQ: [(Double, Double)]? = nil,
               device: [(Double, Double)]? = nil, volumeDB: Double = 0) throws -> Verdict {
        var voice = SyntheticTalker.render(words, seconds: seconds, seed: 23)
        if let voiceEQ { voice = SyntheticTalker.shaped(voice, spectrumDB: voiceEQ) }
        let speech = voice.filter { abs($0) > 1e-3 }
        let gain = Float(20e-6 * pow(10, (65 + volumeDB) / 20) / TestSignals.rms(speech[...]))
        let stem = voice.map { $0 * gain }
        let atEar = device.map { SyntheticTalker.shaped(stem, spectrumDB: $0) } ?? stem
        let stemTrack = try SibilanceTrackBuilder()
        stemTrack.consume(stem)
        let timings = words.enumerated().map { i, w in
            WordTiming(index: i, text: w.text, startSeconds: w.startSeconds, endSeconds: w.endSeconds, estimated: false)
        }
        let analyzer = try SibilanceAnalyzer(candidates: SibilantCandidates.find(in: stemTrack.track), words: timings)
        for start in stride(from: 0, to: atEar.count, by: 8192) { analyzer.consume(Array(atEar[start..<min(atEar.count, start + 8192)])) }
        let result = analyzer.finish()
        let onSibilants = Self.sibilantSpans(words).map { span in
            result.events.first { $0.startSeconds < span.1 && $0.endSeconds > span.0 }
        }
        return Verdict(result: result, onSibilants: onSibilants)
    }

    /// The reference is ANSI S3.5-1997's: the normal-effort speech spectrum's 4–8 kHz bands
    /// against its 0.5–3.15 kHz bands, plus French & Steinberg's 12 dB speech peaks.
    func testSpeechPeaksFollowTheStandardSpectrum() {
        let table = SIIBandTable.oneThirdOctave
        func band(_ hz: Double) -> Double {
            let i = table.centerFrequenciesHz.firstIndex(of: hz)!
            return pow(10, (table.speechSpectrumLevelNormalDB[i] + table.bandwidthAdjustmentsDB![i]) / 10)
        }
        let low = 10 * log10([500.0, 630, 800, 1000, 1250, 1600, 2000, 2500, 3150].map(band).reduce(0, +))
        let peaks = SibilantSpeechPeaks.peakLevelsDB(talkerLowBandDB: 60)
        XCTAssertEqual(peaks.count, 4)
        for (hz, peak) in zip([4000.0, 5000, 6300, 8000], peaks) {
            XCTAssertEqual(peak, 10 * log10(band(hz)) - low + 60 + 12, accuracy: 1e-9, "\(hz) Hz")
        }
        // Sibilant bands of average speech peak 8–14 dB under its long-term vowel band.
        XCTAssertTrue(peaks.allSatisfy { (46...52).contains($0) }, "\(peaks)")
    }

    /// An unprocessed voice on a flat device: at most one sibilant in ten pierces.
    func testUnprocessedVoiceOnAFlatDeviceFlagsAtMostOneSibilantInTen() throws {
        let v = try judge()
        XCTAssertEqual(v.onSibilants.count, 15)
        XCTAssertTrue(v.onSibilants.allSatisfy { $0 != nil }, "every /s/ is found\n\(v.detail)")
        let harsh = v.result.events.filter(\.harsh).count
        XCTAssertLessThanOrEqual(Double(harsh) / Double(v.onSibilants.count), 0.10, v.detail)
        XCTAssertLessThan(v.result.harshnessScore, ReportThresholds.sibilanceWarn, v.detail)
    }

    /// The same voice with 8 dB more from 5 to 9 kHz (a bright microphone, no de-esser), still
    /// on the flat device: at least 60 % of its sibilants pierce, and every one moves up by most
    /// of the boost.
    func testBrightVoiceFlagsMostSibilantsOnAFlatDevice() throws {
        let plain = try judge(), bright = try judge(voiceEQ: Self.brightVoiceEQ)
        let detail = "plain:\n\(plain.detail)\nbright:\n\(bright.detail)"
        XCTAssertTrue(bright.onSibilants.allSatisfy { $0 != nil }, detail)
        XCTAssertGreaterThanOrEqual(bright.harshShare, 0.6, detail)
        for (p, b) in zip(plain.onSibilants, bright.onSibilants) {
            guard let p, let b else { continue }
            XCTAssertGreaterThan(b.overSpeechPeakDB - p.overSpeechPeakDB, 4, "\(p.startSeconds) s\n\(detail)")
        }
        XCTAssertGreaterThanOrEqual(bright.result.harshnessScore, ReportThresholds.sibilanceWarn, detail)
    }

    /// A device whose treble rises 8 dB at 4–8 kHz flags at least as many sibilants as a flat
    /// one on the same voice, plain or bright, and every sibilant stands higher on it.
    func testDeviceWithRisingTrebleFlagsAtLeastAsManyAsAFlatOne() throws {
        for eq in [nil, Self.brightVoiceEQ] {
            let flat = try judge(voiceEQ: eq), bright = try judge(voiceEQ: eq, device: Self.brightDeviceResponse)
            let detail = "flat device:\n\(flat.detail)\nrising treble:\n\(bright.detail)"
            XCTAssertGreaterThanOrEqual(bright.result.events.filter(\.harsh).count, flat.result.events.filter(\.harsh).count, detail)
            XCTAssertGreaterThanOrEqual(bright.harshShare, flat.harshShare, detail)
            for (f, b) in zip(flat.onSibilants, bright.onSibilants) {
                guard let f, let b else { XCTFail("a /s/ not found\n\(detail)"); continue }
                XCTAssertGreaterThan(b.overSpeechPeakDB, f.overSpeechPeakDB + 3, "\(f.startSeconds) s\n\(detail)")
                if f.harsh { XCTAssertTrue(b.harsh, "\(f.startSeconds) s\n\(detail)") }
            }
            if eq == nil { XCTAssertGreaterThan(bright.harshShare, flat.harshShare, "the rising treble makes plain sibilants pierce\n\(detail)") }
        }
    }

    /// Turning the volume up or down moves the sibilants and the vowels together: the same
    /// sibilants are harsh, each within half a dB of the same margin.
    func testVolumeDoesNotChangeTheVerdict() throws {
        let reference = try judge(device: Self.brightDeviceResponse)
        for volume in [-12.0, 12] {
            let v = try judge(device: Self.brightDeviceResponse, volumeDB: volume)
            let detail = "at 65 dB SPL:\n\(reference.detail)\n\(volume) dB:\n\(v.detail)"
            XCTAssertEqual(v.result.events.count, reference.result.events.count, detail)
            for (a, b) in zip(reference.result.events, v.result.events) {
                XCTAssertEqual(a.harsh, b.harsh, "\(a.startSeconds) s\n\(detail)")
                XCTAssertEqual(a.overSpeechPeakDB, b.overSpeechPeakDB, accuracy: 0.5, "\(a.startSeconds) s\n\(detail)")
            }
        }
    }

    /// One /s/ with 10 dB more from 6 to 10 kHz among the talker's plain ones is found and
    /// flagged, on its word, and is the only sibilant flagged.
    func testSingleBoostedSibilantIsFound() throws {
        var words = Self.lines
        let boosted = 9   // "see"
        words[boosted].onset = .s(boostDB: 10)
        let v = try judge(words)
        let harsh = v.result.events.filter(\.harsh)
        XCTAssertEqual(harsh.map(\.wordIndex), [boosted], v.detail)
        XCTAssertEqual(v.onSibilants.compactMap { $0 }.filter(\.harsh).count, 1, v.detail)
    }
}

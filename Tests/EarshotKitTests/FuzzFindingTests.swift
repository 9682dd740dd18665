import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// What the fuzz targets in Fuzz/ found, each as a plain test, and a replay of every committed
/// fuzz input (Fuzz/corpus/, Fuzz/seeds/, Fuzz/regressions/) through the same readers with the
/// same promises as the targets: valid timings or a bad-input error naming the file, never a
/// crash.
final class FuzzFindingTests: WordTimingTestCase {
    /// A digit with a combining mark ("0" + U+0331) is one Character that sorts between "0" and
    /// "9"; a timestamp holding one crashed the SubRip reader (a forced unwrap of Double("0̱")).
    func testTimestampDigitWithACombiningMark() throws {
        let srt = try write("mark.srt", "1\n00:00:0\u{331}1,000 --> 00:00:02,000\nHello\n")
        XCTAssertEqual(readError(srt), "\(srt): line 2: malformed timestamp '00:00:0\u{331}1,000'; expected HH:MM:SS,mmm")
        let fraction = try write("mark.vtt", "WEBVTT\n\n00:01.5\u{331} --> 00:02.000\nHello\n")
        XCTAssertEqual(readError(fraction), "\(fraction): line 3: malformed timestamp '00:01.5\u{331}'; expected HH:MM:SS.mmm or MM:SS.mmm")
    }

    /// Every committed fuzz input, through the reader its target fuzzes, with the target's
    /// promises. (The fuzzers run these too, but only when Fuzz/smoke.sh runs; this keeps them
    /// in the ordinary test run.)
    func testCommittedFuzzInputsReadOrFailCleanly() throws {
        let fuzz = TestPackage.root.appendingPathComponent("Fuzz").path
        var counts: [String: Int] = [:]
        for target in ["srt-webvtt", "textgrid", "timing-json", "profile-manifest"] {
            for kind in ["seeds", "corpus", "regressions"] {
                let dir = "\(fuzz)/\(kind)/\(target)"
                for name in ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted() {
                    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name)))
                    let what = "\(kind)/\(target)/\(name)"
                    if target == "profile-manifest" { try checkManifest(bytes, what) } else { checkTimings(bytes, target: target, what) }
                    counts[target, default: 0] += 1
                }
            }
        }
        for target in ["srt-webvtt", "textgrid", "timing-json", "profile-manifest"] {
            XCTAssertGreaterThan(counts[target] ?? 0, 0, "no committed inputs for \(target)")
        }
    }

    func checkTimings(_ bytes: [UInt8], target: String, _ what: String) {
        let name: String
        switch target {
        case "textgrid": name = "fuzz.TextGrid"
        case "timing-json": name = "fuzz.json"
        default:
            let header = Array("WEBVTT".utf8)
            name = bytes.starts(with: header) || bytes.starts(with: [0xEF, 0xBB, 0xBF] + header) ? "fuzz.vtt" : "fuzz.srt"
        }
        let programme = 30.0
        let envelope = SpeechEnvelope(hopSeconds: 0.01, levelsDB: (0..<3000).map { f in
            (Double(f) * 0.01).truncatingRemainder(dividingBy: 1.5) < 0.8 ? -20 - Float(f % 7) : -90
        })
        for env in [envelope, nil] {
            do {
                let t = try WordTimingReader.read(bytes: bytes, name: name, programmeSeconds: programme, dialogueEnvelope: env)
                XCTAssertFalse(t.words.isEmpty, what)
                var lastEnd: [String: Double] = [:]
                for (i, w) in t.words.enumerated() {
                    XCTAssertEqual(w.index, i, what)
                    XCTAssertTrue(w.startSeconds >= 0 && w.endSeconds <= programme && w.endSeconds > w.startSeconds, "\(what): \(w)")
                    if i > 0 { XCTAssertLessThanOrEqual(t.words[i - 1].startSeconds, w.startSeconds, what) }
                    if let end = lastEnd[w.speaker ?? ""] { XCTAssertGreaterThanOrEqual(w.startSeconds, end - 1e-9, "\(what): overlap at \(i)") }
                    lastEnd[w.speaker ?? ""] = max(lastEnd[w.speaker ?? ""] ?? 0, w.endSeconds)
                }
            } catch let error as EarshotError {
                XCTAssertEqual(error.kind, .badInput, "\(what): \(error)")
                XCTAssertEqual(error.file, name, "\(what): \(error)")
            } catch {
                XCTFail("\(what): unexpected error \(error)")
            }
        }
    }

    /// The profile target's folder: the data files a manifest may name.
    lazy var profileFolder: String = {
        let dir = folder + "/profile"
        try? FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
        for path in [dir + "/flat.csv", dir + "/data/flat.csv", folder + "/outside.csv"] {
            try? "frequencyHz,levelDB\n20,0\n20000,0\n".write(toFile: path, atomically: true, encoding: .utf8)
        }
        let click = [Float](repeating: 0, count: 63) + [1]
        try? AudioFile.write(path: dir + "/ir.wav", channels: [click], sampleRate: 48000)
        try? AudioFile.write(path: dir + "/noise.wav", channels: [click, click], sampleRate: 48000)
        return dir
    }()

    func checkManifest(_ bytes: [UInt8], _ what: String) throws {
        do {
            if case .device(let device) = try ProfileLoader.load(manifest: Data(bytes), folder: profileFolder) {
                for percent in stride(from: 0.0, through: 100, by: 12.5) {
                    let gain = device.volumeGainDB(percent: percent)
                    XCTAssertTrue(gain.isFinite, what)
                    let back = device.volumePercent(forGainDB: gain)
                    XCTAssertTrue(back.isFinite && (0...100).contains(back), "\(what): \(back) %")
                }
            }
        } catch let error as EarshotError {
            XCTAssertEqual(error.kind, .badInput, "\(what): \(error)")
            XCTAssertTrue(error.file?.hasPrefix(profileFolder) == true, "\(what): \(error)")
        }
    }
}

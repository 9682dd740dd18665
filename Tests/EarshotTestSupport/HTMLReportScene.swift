import Foundation
import XCTest
@testable import EarshotKit

/// A small programme for the report tests, checked for real (`CheckRunner`): 5 s of a dialogue
/// stem whose "words" are noise bursts and an M&E stem with a quiet bed and a loud effects hit
/// over the third word, word timings as WhisperX JSON, a BWF time reference of 01:00:00:00.
/// Two scenarios: the studio reference in a quiet room (where only the hit masks a word) and the
/// budget phone on a bus.
final class HTMLReportScene {
    static let words: [(text: String, start: Double, end: Double)] = [
        ("Where", 0.5, 0.9), ("were", 1.0, 1.35), ("you", 1.5, 1.85), ("last", 2.4, 2.8), ("night", 2.9, 3.4), ("then", 3.9, 4.3),
    ]
    static let hit = (start: 1.4, end: 2.0)
    static let seconds = 5.0
    static let scenarios: [(device: String, environment: String)] = [("studio-reference", "quiet-room"), ("phone-budget-speaker", "commute-bus")]

    let folder: String
    let inputs: ScenarioInputs
    let settings: CheckSettings

    init() throws {
        folder = NSTemporaryDirectory() + "earshot-html-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let rate = 48000
        let dialogue = SyntheticSpeech.signal(seconds: Self.seconds, sampleRate: rate,
                                              bursts: Self.words.map { .init(start: $0.start, end: $0.end, rms: 0.05) }, floorRMS: 0, seed: 11)
        let me = SyntheticSpeech.signal(seconds: Self.seconds, sampleRate: rate,
                                        bursts: [.init(start: Self.hit.start, end: Self.hit.end, rms: 0.4)], floorRMS: 0.002, seed: 12)
        let oneHour = UInt64(3600 * rate)
        try AudioFile.write(path: folder + "/dialogue.wav", channels: [dialogue, dialogue], sampleRate: rate, timeReferenceSamples: oneHour)
        try AudioFile.write(path: folder + "/me.wav", channels: [me, me], sampleRate: rate, timeReferenceSamples: oneHour)
        var json = "{\"segments\": [{\"start\": 0.5, \"end\": 4.3, \"text\": \"\(Self.words.map(\.text).joined(separator: " "))\", \"words\": ["
        json += Self.words.map { "{\"word\": \"\($0.text)\", \"start\": \($0.start), \"end\": \($0.end)}" }.joined(separator: ", ")
        json += "]}]}"
        try json.write(toFile: folder + "/words.json", atomically: true, encoding: .utf8)
        inputs = ScenarioInputs(dialogue: folder + "/dialogue.wav", me: folder + "/me.wav")
        settings = CheckSettings(scenarios: Self.scenarios, wordsPath: folder + "/words.json")
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    func check() throws -> CheckReport {
        let catalog = try ProfileCatalog(roots: [try ProfileCatalog.stockProfilesFolder(environment: [:])])
        return try CheckRunner.run(inputs: inputs, settings: settings, catalog: catalog)
    }

    /// One scene and its report for all the tests of a run.
    static let shared: Result<(HTMLReportScene, CheckReport), Error> = Result {
        let scene = try HTMLReportScene()
        return (scene, try scene.check())
    }
}

/// Counting in HTML text.
enum HTMLCount {
    static func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    /// The values of every `name="…"` attribute.
    static func attributeValues(_ name: String, in text: String) -> [String] {
        var values: [String] = []
        var rest = text[...]
        let marker = " \(name)=\""
        while let r = rest.range(of: marker) {
            let after = rest[r.upperBound...]
            guard let close = after.firstIndex(of: "\"") else { break }
            values.append(String(after[..<close]))
            rest = after[close...]
        }
        return values
    }

    /// The text of each scenario's section, in order.
    static func scenarioSections(_ html: String) -> [String] {
        html.components(separatedBy: "<section class=\"scenario\"").dropFirst().map { part in
            part.components(separatedBy: "</section>").first ?? ""
        }
    }
}

import Foundation
@testable import EarshotKit

/// Short synthetic episodes for batch tests: a speech-like dialogue stem (voiced syllables at
/// 2.5 per second), an M&E stem (55 Hz bass and noise), their sum as the mix, and WhisperX-style
/// word timings for the syllables, all written into an episode folder.
enum SeriesFixtures {
    static let scenario = (device: "studio-reference", environment: "quiet-room")
    static var settings: CheckSettings { CheckSettings(scenarios: [scenario]) }

    /// Writes dialogue.wav, me.wav, mix.wav and words.json into `folder`. `gainDB` scales every
    /// stem (a louder episode); `presenceDB` adds a 3 kHz tone to the M&E (a brighter mix).
    static func writeEpisode(folder: String, seconds: Double = 3, gainDB: Double = 0, seed: UInt64 = 1, presenceDB: Double? = nil) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let rate = 48000, n = Int(seconds * Double(rate))
        let gain = Float(pow(10, gainDB / 20))
        var random = SeededRandom(seed: seed)
        var dialogue = [Float](repeating: 0, count: n), me = dialogue
        for i in 0..<n {
            let t = Double(i) / Double(rate)
            let syllable = max(0, sin(2 * .pi * 2.5 * t))
            dialogue[i] = gain * Float(0.15 * syllable * (sin(2 * .pi * 170 * t) + 0.4 * sin(2 * .pi * 340 * t) + 0.2 * sin(2 * .pi * 2600 * t)))
            var bed = 0.04 * sin(2 * .pi * 55 * t) + 0.01 * random.nextGaussian()
            if let presenceDB { bed += 0.01 * pow(10, presenceDB / 20) * sin(2 * .pi * 3000 * t) }
            me[i] = gain * Float(bed)
        }
        let mix = zip(dialogue, me).map { $0 + $1 }
        for (name, x) in [("dialogue", dialogue), ("me", me), ("mix", mix)] {
            try AudioFile.write(path: folder + "/\(name).wav", channels: [x, x], sampleRate: rate, format: .pcm24)
        }
        var words: [String] = []
        var start = 0.02
        while start + 0.36 < seconds {
            words.append("{\"word\": \"w\(words.count)\", \"start\": \(start), \"end\": \(start + 0.36)}")
            start += 0.4
        }
        try "{\"segments\": [{\"start\": 0, \"end\": \(seconds), \"text\": \"\", \"words\": [\(words.joined(separator: ", "))]}]}"
            .write(toFile: folder + "/words.json", atomically: true, encoding: .utf8)
    }

    /// Writes an empty file (for discovery tests, which look at names only).
    static func touch(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: path))
    }

    static func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw EarshotError.badInput(file: path, "not a JSON object")
        }
        return object
    }
}

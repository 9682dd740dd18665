import Foundation
@testable import EarshotKit

/// A four-second scene for `earshot check` tests, written into a `TestWorkspace`: a synthetic
/// talker (harmonic "vowels" at 140 Hz with band-limited noise "s" sounds) saying two lines,
/// music (a loud 55 Hz bass under a soft chord), an effects burst over the second line, their
/// mix, WhisperX-style word timings, and test profiles (one small speaker in a quiet and in a
/// loud room).
struct CheckScene {
    static let rate = 48000
    static let seconds = 4.0
    static var frames: Int { Int(seconds * Double(rate)) }

    /// (word, start, end, sibilant spans inside the word) — two lines, 0.7 s apart.
    static let words: [(text: String, start: Double, end: Double, sibilants: [(Double, Double)])] = [
        ("Where", 0.30, 0.62, []), ("were", 0.66, 0.90, []), ("you?", 0.95, 1.30, []),
        ("Sister", 2.00, 2.40, [(2.00, 2.08), (2.20, 2.27)]), ("said", 2.45, 2.80, [(2.45, 2.53)]),
        ("so.", 2.85, 3.30, [(2.85, 2.94)]),
    ]
    static let effectsBurst = (start: 2.3, end: 2.9)

    static let device = "test-speaker"
    static let scenarios: [(device: String, environment: String)] = [(device, "quiet-test"), (device, "loud-test")]

    let workspace: TestWorkspace

    init(_ workspace: TestWorkspace) throws {
        self.workspace = workspace
        // A small, quiet speaker (80 dB SPL for a full-scale sine): enough for the quiet room, at
        // full volume and short of what a listener chooses in the loud one.
        try workspace.writeProfile(Self.device, TestWorkspace.device(Self.device, overrides: ["level": ["sensitivityDBSPL": 80.0, "listeningDistanceMeters": 0.35]]),
                                   files: ["flat.csv": TestWorkspace.flatCSV])
        try workspace.writeProfile("quiet-test", TestWorkspace.environment("quiet-test", levelDBA: 30))
        try workspace.writeProfile("loud-test", TestWorkspace.environment("loud-test", levelDBA: 78))
    }

    func catalog() throws -> ProfileCatalog { try ProfileCatalog(roots: [workspace.path("profiles")]) }

    static func dialogue() -> [Float] {
        var x = [Float](repeating: 0, count: frames)
        var random = SeededRandom(seed: 11)
        var smoothed = 0.0
        for word in words {
            let i0 = Int(word.start * Double(rate)), i1 = Int(word.end * Double(rate))
            for i in i0..<i1 {
                let t = Double(i) / Double(rate)
                // 10 ms raised-cosine ramps at the word's edges.
                let edge = min(Double(i - i0), Double(i1 - 1 - i)) / (0.01 * Double(rate))
                let ramp = edge >= 1 ? 1 : 0.5 - 0.5 * cos(.pi * max(0, edge))
                let hiss = random.nextGaussian()
                smoothed = 0.7 * smoothed + 0.3 * hiss
                if word.sibilants.contains(where: { t >= $0.0 && t < $0.1 }) {
                    // Noise low-passed to about 2 kHz and shifted up to 6.5 kHz: a 4.5–8.5 kHz "s".
                    x[i] = Float(ramp * 0.25 * smoothed * cos(2 * .pi * 6500 * t))
                } else {
                    var voiced = 0.0
                    for k in 1...25 { voiced += sin(2 * .pi * 140 * Double(k) * t) / Double(k) }
                    x[i] = Float(ramp * 0.12 * voiced)
                }
            }
        }
        return x
    }

    static func music() -> [Float] {
        (0..<frames).map { i in
            let t = Double(i) / Double(rate)
            return Float(0.45 * sin(2 * .pi * 55 * t) + 0.01 * (sin(2 * .pi * 220 * t) + sin(2 * .pi * 277 * t) + sin(2 * .pi * 330 * t)))
        }
    }

    static func effects() -> [Float] {
        var x = TestSignals.noise(seconds: seconds, rms: 0.002, seed: 5)
        for i in Int(effectsBurst.start * Double(rate))..<Int(effectsBurst.end * Double(rate)) { x[i] *= 60 }
        return x
    }

    static func sum(_ signals: [Float]...) -> [Float] {
        (0..<frames).map { i in signals.reduce(Float(0)) { $0 + $1[i] } }
    }

    /// Writes `name`.wav (stereo, both channels the same, 32-bit float) and returns its path.
    @discardableResult
    func writeAudio(_ name: String, _ x: [Float], timeReferenceSamples: UInt64? = nil) throws -> String {
        let path = workspace.path(name + ".wav")
        try AudioFile.write(path: path, channels: [x, x], sampleRate: Self.rate, format: .float32, timeReferenceSamples: timeReferenceSamples)
        return path
    }

    /// Dialogue, M&E and their mix (the mix stamped 01:00:00:00).
    func writeStemsAndMix() throws -> ScenarioInputs {
        let d = Self.dialogue(), me = Self.sum(Self.music(), Self.effects())
        return ScenarioInputs(mix: try writeAudio("mix", Self.sum(d, me), timeReferenceSamples: UInt64(3600 * Self.rate)),
                              dialogue: try writeAudio("dialogue", d), me: try writeAudio("me", me))
    }

    /// Dialogue, music, effects and their mix.
    func writeMusicEffectsAndMix() throws -> ScenarioInputs {
        let d = Self.dialogue(), m = Self.music(), e = Self.effects()
        return ScenarioInputs(mix: try writeAudio("mix-me", Self.sum(d, m, e)), dialogue: try writeAudio("dialogue", d),
                              music: try writeAudio("music", m), effects: try writeAudio("effects", e))
    }

    /// The scene's words as WhisperX JSON (one segment per line).
    static var wordsJSON: String {
        func segment(_ range: Range<Int>) -> String {
            let ws = words[range].map { w in
                "      {\"word\": \"\(w.text)\", \"start\": \(w.start), \"end\": \(w.end), \"score\": 0.9}"
            }
            return "    {\"start\": \(words[range.lowerBound].start), \"end\": \(words[range.upperBound - 1].end), "
                + "\"text\": \"\(words[range].map(\.text).joined(separator: " "))\",\n     \"words\": [\n" + ws.joined(separator: ",\n") + "\n    ]}"
        }
        return "{\"segments\": [\n" + segment(0..<3) + ",\n" + segment(3..<6) + "\n]}\n"
    }

    func writeText(_ name: String, _ text: String) throws -> String {
        let path = workspace.path(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func writeWords() throws -> String { try writeText("words.json", Self.wordsJSON) }

    func settings(words: String?, volumePercent: Double? = nil,
                  scenarios: [(device: String, environment: String)] = CheckScene.scenarios) -> CheckSettings {
        CheckSettings(scenarios: scenarios, volumePercent: volumePercent, wordsPath: words)
    }
}

import Foundation
@testable import EarshotKit

/// Builds profile folders and signals for tests, in a temporary directory.
struct TestWorkspace {
    let root: String

    init() throws {
        root = NSTemporaryDirectory() + "earshot-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    func path(_ name: String) -> String { root + "/" + name }

    /// Writes a profile folder with `manifest` (a JSON object) and optional extra files.
    @discardableResult
    func writeProfile(_ id: String, _ manifest: [String: Any], files: [String: String] = [:], under folder: String = "profiles") throws -> String {
        let dir = path("\(folder)/\(id)")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let data = try JSONSerialization.data(withJSONObject: manifest, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: dir + "/profile.json"))
        for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        return dir
    }

    static let provenance: [String: Any] = [
        "kind": "modelled", "summary": "test profile", "publishedFigures": ["none: a test fixture"], "confidence": "low",
    ]

    /// A device manifest with sensible defaults; `overrides` replaces top-level keys.
    static func device(_ id: String, channelMode: String = "mono", response: [String: Any] = ["frequencyResponse": "flat.csv"],
                       limiter: [String: Any]? = nil, bass: [String: Any]? = nil,
                       overrides: [String: Any] = [:]) -> [String: Any] {
        var m: [String: Any] = [
            "schemaVersion": 1, "id": id, "name": "Test \(id)", "category": "phone", "channelMode": channelMode,
            "response": response,
            "level": ["sensitivityDBSPL": 90.0, "listeningDistanceMeters": 0.35],
            "volumeCurve": [[0, -60], [50, -12], [100, 0]],
            "excursion": ["resonanceHz": 800, "q": 1.0, "limitDBFS": -10, "usableLowCutHz": 400],
            "provenance": provenance,
        ]
        if let limiter { m["limiter"] = limiter }
        if let bass { m["bassCompressor"] = bass }
        for (k, v) in overrides { m[k] = v }
        return m
    }

    static func environment(_ id: String, levelDBA: Double, recording: String? = nil, modulation: [String: Any]? = nil) -> [String: Any] {
        var m: [String: Any] = [
            "schemaVersion": 1, "id": id, "name": "Test \(id)", "category": "environment", "levelDBA": levelDBA,
            "spectrum": ThirdOctave.nominalCentresHz.map { [$0, $0 < 500 ? 0.0 : -3 * log2($0 / 500)] },
            "seed": 42, "provenance": provenance,
        ]
        if let recording { m["recording"] = recording }
        if let modulation { m["modulation"] = modulation }
        return m
    }

    static let flatCSV = "frequencyHz,levelDB\n20,0\n20000,0\n"
}

enum TestSignals {
    static func sine(frequencyHz: Double, amplitude: Double, seconds: Double, rate: Int = 48000) -> [Float] {
        (0..<Int(seconds * Double(rate))).map { Float(amplitude * sin(2 * .pi * frequencyHz * Double($0) / Double(rate))) }
    }

    static func noise(seconds: Double, rms: Double, seed: UInt64, rate: Int = 48000) -> [Float] {
        var r = SeededRandom(seed: seed)
        return (0..<Int(seconds * Double(rate))).map { _ in Float(r.nextGaussian() * rms) }
    }

    static func rms(_ x: ArraySlice<Float>) -> Double {
        (x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(x.count, 1))).squareRoot()
    }
}

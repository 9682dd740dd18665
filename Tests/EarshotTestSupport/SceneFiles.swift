import Foundation
import XCTest
@testable import EarshotKit

/// A programme built in a test: dialogue, music and effects stems (48 kHz stereo float WAV,
/// centred dual-mono dialogue) and WhisperX-style word timings, written to a temporary folder,
/// and run through `earshot check`.
final class SceneFiles {
    static let sampleRate = SyntheticTalker.sampleRate
    let folder: String
    let seconds: Double
    var frames: Int { Int(seconds * Double(Self.sampleRate)) }

    init(seconds: Double) throws {
        self.seconds = seconds
        folder = NSTemporaryDirectory() + "earshot-scene-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: folder) }

    // MARK: Levels

    /// Integrated loudness (BS.1770, gated) of a stereo signal, LUFS.
    static func integratedLUFS(_ channels: [[Float]]) throws -> Double {
        let result = try LoudnessMeter.measure(planar: channels, sampleRate: sampleRate, layout: .stereo)
        return try XCTUnwrap(result.integratedLUFS)
    }

    /// Loudness of a stretch of a stereo signal (BS.1770 integrated over the stretch alone),
    /// LUFS: about what the short-term meter shows while a steady burst plays.
    static func loudnessLUFS(_ channels: [[Float]], fromSeconds a: Double, toSeconds b: Double) throws -> Double {
        let i0 = Int(a * Double(sampleRate)), i1 = Int(b * Double(sampleRate))
        return try integratedLUFS(channels.map { Array($0[i0..<i1]) })
    }

    /// Scales stereo `channels` so that the stretch `a…b` (or the whole signal, gated, when nil)
    /// reads `lufs`.
    static func scale(_ channels: [[Float]], toLUFS lufs: Double, over stretch: (Double, Double)? = nil) throws -> [[Float]] {
        let now = try stretch.map { try loudnessLUFS(channels, fromSeconds: $0.0, toSeconds: $0.1) } ?? integratedLUFS(channels)
        let gain = Float(pow(10, (lufs - now) / 20))
        return channels.map { $0.map { $0 * gain } }
    }

    static func peakDBFS(_ channels: [[Float]]) -> Double {
        20 * log10(Double(channels.flatMap { $0 }.map(abs).max() ?? 0))
    }

    // MARK: Stems

    /// Writes a stereo stem; returns its path.
    @discardableResult
    func write(_ name: String, _ channels: [[Float]]) throws -> String {
        precondition(channels.count == 2 && channels.allSatisfy { $0.count == frames }, "\(name): two channels of \(frames) frames")
        let path = folder + "/" + name + ".wav"
        try AudioFile.write(path: path, channels: channels, sampleRate: Self.sampleRate, format: .float32)
        return path
    }

    /// Writes the words as WhisperX-style JSON, one segment per line of words separated by at
    /// least `lineGapSeconds`; returns its path.
    func writeWords(_ words: [SyntheticTalker.Word], lineGapSeconds: Double = 0.3) throws -> String {
        var segments: [[String: Any]] = []
        var current: [SyntheticTalker.Word] = []
        func close() {
            guard let first = current.first, let last = current.last else { return }
            segments.append([
                "start": first.startSeconds, "end": last.endSeconds,
                "text": current.map(\.text).joined(separator: " "),
                "words": current.map { ["word": $0.text, "start": $0.startSeconds, "end": $0.endSeconds, "score": 0.9] },
            ])
            current = []
        }
        for w in words {
            if let last = current.last, w.startSeconds - last.endSeconds >= lineGapSeconds { close() }
            current.append(w)
        }
        close()
        let path = folder + "/words.json"
        let data = try JSONSerialization.data(withJSONObject: ["segments": segments], options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    // MARK: Music and effects

    /// A music bed: a sustained minor chord (A2 C3 E3 A3) of soft harmonic tones (six
    /// harmonics falling 12 dB/octave), each note with a slow tremolo, the two channels a little
    /// different (a stereo pad), faded in and out over 0.5 s.
    func musicBed() -> [[Float]] {
        let notes = [110.0, 130.81, 164.81, 220.0]
        let rate = Double(Self.sampleRate)
        let n = frames, total = seconds
        return (0..<2).map { side in
            var out = [Float](repeating: 0, count: n)
            out.withUnsafeMutableBufferPointer { y in
                for (k, f) in notes.enumerated() {
                    let step = 2 * Double.pi * f / rate, offset = Double(side) * 0.7
                    var tremolo = 1.0
                    for i in 0..<n {
                        let t = Double(i) / rate
                        if i % 240 == 0 { tremolo = 1 + 0.2 * sin(2 * .pi * (0.3 + 0.1 * Double(k)) * t + Double(side)) }
                        // Harmonics h·θ by the Chebyshev recursion.
                        let theta = step * Double(i) + offset
                        let c2 = 2 * cos(theta)
                        var previous = 0.0, current = sin(theta), sum = 0.0
                        for h in 1...6 {
                            sum += current / Double(h * h)
                            let next = c2 * current - previous
                            previous = current
                            current = next
                        }
                        y[i] += Float(tremolo * sum)
                    }
                }
                for i in 0..<n {
                    let t = Double(i) / rate
                    y[i] *= Float(min(1, t / 0.5, (total - t) / 0.5))
                }
            }
            return out
        }
    }

    /// An effects burst: independent Gaussian noise per channel shaped to `spectrumDB`
    /// (relative levels of the spectral density, interpolated in log frequency), 10 ms attack,
    /// held, 150 ms release before `b`; silence elsewhere.
    func burst(fromSeconds a: Double, toSeconds b: Double, spectrumDB: [(Double, Double)], seed: UInt64 = 5) -> [[Float]] {
        let rate = Double(Self.sampleRate)
        let first = Int(a * rate), count = Int((b - a) * rate)
        return (0..<2).map { side in
            var random = SeededRandom(seed: seed &+ UInt64(side))
            let shaped = SyntheticTalker.shaped(SyntheticTalker.noise(count, &random), spectrumDB: spectrumDB)
            var x = [Float](repeating: 0, count: frames)
            for j in 0..<count where first + j < frames {
                let t = Double(j) / rate
                x[first + j] = shaped[j] * Float(min(1, t / 0.01, (b - a - t) / 0.15))
            }
            return x
        }
    }

    /// A sub-bass hit: a sine gliding from `startHz` to `endHz` with an exponential decay (time
    /// constant `decaySeconds`) and a 5 ms attack, identical in both channels, peaking at
    /// `peakDBFS`.
    func bassHit(atSeconds t0: Double, seconds: Double, startHz: Double, endHz: Double, decaySeconds: Double, peakDBFS: Double) -> [[Float]] {
        let rate = Double(Self.sampleRate)
        var x = [Float](repeating: 0, count: frames)
        var phase = 0.0
        let first = Int(t0 * rate), count = Int(seconds * rate)
        for j in 0..<count where first + j < frames {
            let t = Double(j) / rate
            let f = startHz + (endHz - startHz) * t / seconds
            phase += 2 * .pi * f / rate
            let envelope = min(1, t / 0.005) * exp(-t / decaySeconds) * min(1, (seconds - t) / 0.05)
            x[first + j] = Float(sin(phase) * envelope)
        }
        let peak = Double(x.map(abs).max() ?? 1)
        let gain = Float(pow(10, peakDBFS / 20) / peak)
        let scaled = x.map { $0 * gain }
        return [scaled, scaled]
    }

    static func interpolatedDB(_ points: [(Double, Double)], at f: Double) -> Double {
        if f <= points[0].0 { return points[0].1 }
        for k in 1..<points.count where f <= points[k].0 {
            let (f0, l0) = points[k - 1], (f1, l1) = points[k]
            return l0 + (l1 - l0) * log(f / f0) / log(f1 / f0)
        }
        return points.last!.1
    }

    static func add(_ a: [[Float]], _ b: [[Float]]) -> [[Float]] {
        zip(a, b).map { zip($0, $1).map { $0 + $1 } }
    }

    // MARK: Check

    /// Runs `earshot check` on the written stems with the stock profiles.
    static func check(_ inputs: ScenarioInputs, words: String, scenarios: [(device: String, environment: String)],
                      volumePercent: Double? = nil) throws -> CheckReport {
        let settings = CheckSettings(scenarios: scenarios, volumePercent: volumePercent, wordsPath: words)
        return try CheckRunner.run(inputs: inputs, settings: settings, catalog: try ProfileCatalog.standard(environment: [:]))
    }
}

import Foundation
@testable import EarshotKit

/// Two synthetic devices with clearly different spectra and a programme that tells them apart,
/// rendered for audition: device "dull" passes up to 1.2 kHz (−50 dB above 2.4 kHz), device
/// "tinny" cuts everything below 400 Hz by 50 dB. The programme is a strong low band
/// (80–350 Hz) over a weaker mid band (850–1150 Hz), both sums of incommensurate sines with
/// seeded phases (noise-like, no period within the test, so alignment is unique). Through
/// "dull" it keeps its low band; through "tinny" only the mid band is left. The environment is
/// quiet (30 dB(A)) but present, so total = mix + environment is exercised.
struct AuditionFixture {
    let workspace: TestWorkspace
    let inputs: ScenarioInputs
    let scenarios: [Scenario]
    static let seconds = 4.0
    static let rate = 48000

    init() throws {
        workspace = try TestWorkspace()
        try workspace.writeProfile("dull", TestWorkspace.device("dull", channelMode: "stereo", response: ["frequencyResponse": "response.csv"]),
                                   files: ["response.csv": "frequencyHz,levelDB\n20,0\n1200,0\n2400,-50\n20000,-50\n"])
        try workspace.writeProfile("tinny", TestWorkspace.device("tinny", channelMode: "stereo", response: ["frequencyResponse": "response.csv"]),
                                   files: ["response.csv": "frequencyHz,levelDB\n20,-50\n400,-50\n800,0\n6000,0\n20000,0\n"])
        try workspace.writeProfile("quiet", TestWorkspace.environment("quiet", levelDBA: 30))
        let n = Int(Self.seconds * Double(Self.rate))
        var random = SeededRandom(seed: 2024)
        var components: [(frequencyHz: Double, amplitude: Double, phase: Double)] = []
        for _ in 0..<40 { components.append((80 + 270 * random.nextUniform(), 0.03, 2 * .pi * random.nextUniform())) }
        for _ in 0..<20 { components.append((850 + 300 * random.nextUniform(), 0.012, 2 * .pi * random.nextUniform())) }
        var left = [Float](repeating: 0, count: n), right = left
        for (f, a, p) in components {
            let w = 2 * Double.pi * f / Double(Self.rate)
            for i in 0..<n {
                let v = Float(a * sin(w * Double(i) + p))
                left[i] += v
                right[i] += v * 0.9
            }
        }
        let path = workspace.path("programme.wav")
        try AudioFile.write(path: path, channels: [left, right], sampleRate: Self.rate, format: .float32)
        inputs = ScenarioInputs(mix: path)
        let catalog = try ProfileCatalog(roots: [workspace.path("profiles")])
        let quiet = try catalog.environment("quiet")
        scenarios = try ["dull", "tinny"].map {
            Scenario(device: try DeviceModel(profile: try catalog.device($0)), environment: quiet, volumePercent: 100)
        }
    }

    func material(memoryBudgetBytes: Int = 256 << 20, range: Range<Int>? = nil) throws -> AuditionMaterial {
        var options = AuditionMaterial.Options()
        options.memoryBudgetBytes = memoryBudgetBytes
        options.range = range
        options.temporaryParent = workspace.root
        return try AuditionMaterial.render(inputs: inputs, scenarios: scenarios, options: options)
    }

    func remove() { workspace.remove() }
}

/// Signal checks shared by the audition tests.
enum AuditionSignals {
    /// What a scenario plays at these frames (mix + environment), left channel.
    static func heard(_ material: AuditionMaterial, scenario: Int, from frame: Int, count: Int) -> [Float] {
        let t = material.scenarios[scenario]
        let mix = t.mix.read(from: frame - material.firstFrame, count: count)
        let env = t.environment.read(from: frame - material.firstFrame, count: count)
        return zip(mix.left, env.left).map { $0 + $1 }
    }

    /// Largest sample-to-sample step in x[range].
    static func maxJump(_ x: [Float], _ range: Range<Int>) -> Float {
        var m: Float = 0
        for i in max(range.lowerBound, 1)..<min(range.upperBound, x.count) { m = max(m, abs(x[i] - x[i - 1])) }
        return m
    }

    /// Normalized correlation of two equal-length signals.
    static func correlation(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Double {
        var ab = 0.0, aa = 0.0, bb = 0.0
        for (x, y) in zip(a, b) { ab += Double(x) * Double(y); aa += Double(x) * Double(x); bb += Double(y) * Double(y) }
        return ab / max((aa * bb).squareRoot(), 1e-30)
    }

    /// The lag (in frames, within 0...maxLag) at which `reference` best matches `recording`:
    /// recording[lag + i] ≈ reference[i]. Cross-correlation through RealFFT.
    static func lag(of reference: [Float], in recording: [Float], maxLag: Int) -> Int {
        let n = (recording.count + reference.count).nextPowerOfTwo
        let fft = RealFFT(size: n)
        let (rr, ri) = fft.forward(recording)
        let (pr, pi) = fft.forward(reference)
        // recording ⋆ reference: R·conj(P).
        var re = [Float](repeating: 0, count: rr.count), im = re
        for k in 0..<rr.count {
            re[k] = rr[k] * pr[k] + ri[k] * pi[k]
            im[k] = ri[k] * pr[k] - rr[k] * pi[k]
        }
        let xc = fft.inverse(re: re, im: im)
        var best = 0
        for lag in 0...max(0, min(maxLag, n - 1)) where xc[lag] > xc[best] { best = lag }
        return best
    }

    /// Where a recording moves from signal a to signal b: per 48-frame window, the least-squares
    /// share of b (rec ≈ (1−β)·a + β·b); returns the first frame where β crosses one half, to
    /// within a window, refined by linear interpolation between window centres.
    static func switchFrame(recording: [Float], a: [Float], b: [Float], window: Int = 48) -> Double? {
        var previous: (centre: Double, beta: Double)?
        var start = 0
        while start + window <= min(recording.count, a.count, b.count) {
            var num = 0.0, den = 0.0
            for i in start..<(start + window) {
                let d = Double(b[i]) - Double(a[i])
                num += (Double(recording[i]) - Double(a[i])) * d
                den += d * d
            }
            let beta = den > 0 ? num / den : 0
            let centre = Double(start) + Double(window - 1) / 2
            if let p = previous, p.beta < 0.5, beta >= 0.5 {
                return p.centre + (0.5 - p.beta) / (beta - p.beta) * (centre - p.centre)
            }
            previous = (centre, beta)
            start += window
        }
        return nil
    }
}

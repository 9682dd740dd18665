import Foundation
@testable import EarshotKit

/// A memoryless polynomial y = x + a2·x² + a3·x³. For a sine of amplitude A it gives
/// (x² = A²/2·(1 − cos 2ωt), x³ = A³/4·(3 sin ωt − sin 3ωt)):
///   fundamental A + 3·a3·A³/4, 2nd harmonic a2·A²/2, 3rd harmonic a3·A³/4,
/// so relative to the fundamental H2 = (a2·A/2) / (1 + 3·a3·A²/4) and H3 = (a3·A²/4) / (1 + 3·a3·A²/4).
struct PolynomialDistortion: PlaybackTransform {
    var a2: Double
    var a3: Double

    func apply(_ samples: [Float]) throws -> [Float] {
        samples.map { x in
            let v = Double(x)
            return Float(v + a2 * v * v + a3 * v * v * v)
        }
    }

    func expectedSecondHarmonicDB(amplitude a: Double) -> Double { 20 * log10((a2 * a / 2) / (1 + 3 * a3 * a * a / 4)) }
    func expectedThirdHarmonicDB(amplitude a: Double) -> Double { 20 * log10((a3 * a * a / 4) / (1 + 3 * a3 * a * a / 4)) }
}

/// A plain gain (drives the sink past full scale to test the clipping check).
struct GainTransform: PlaybackTransform {
    var gain: Float
    func apply(_ samples: [Float]) throws -> [Float] { samples.map { $0 * gain } }
}

/// Adds seeded Gaussian noise of the given RMS (a loud room).
struct AddedNoise: PlaybackTransform {
    var rms: Double
    var seed: UInt64 = 7
    func apply(_ samples: [Float]) throws -> [Float] {
        var random = SeededRandom(seed: seed)
        return samples.map { $0 + Float(random.nextGaussian() * rms) }
    }
}

enum MeasurementFixtures {
    /// A smooth device curve for the import tests: a closed-box roll-off at 300 Hz and a +6 dB
    /// presence bump at 3 kHz.
    static func importedCurveDB(_ f: Double) -> Double {
        ClosedBoxFit.highPassDB(frequencyHz: f, resonanceHz: 300, q: 0.8) + 6 * exp(-pow(log2(f / 3000), 2) / 0.5)
    }

    /// A short plan for tests: `seconds`-long sweeps (20 Hz to Nyquist unless `endHz`), few
    /// sweeps and steps, a short tone.
    static func plan(seconds: Double = 1, endHz: Double? = nil, sweeps: Int = 2, gap: Double = 0.3, tone: Double = 0.3,
                     level: Double = -12, steps: [Double] = []) throws -> MeasurementPlan {
        var plan = MeasurementPlan(sweep: try ExponentialSweep(startHz: 20, endHz: endHz, seconds: seconds))
        plan.sweepCount = sweeps
        plan.gapSeconds = gap
        plan.toneSeconds = tone
        plan.levelDBFS = level
        plan.stepLevelsDBFS = steps
        plan.leadSeconds = 0.1
        return plan
    }

    /// What a recorder would capture without a sound server: silence, the transformed stimulus
    /// `delay` samples late, and a silent tail.
    static func loopback(_ stimulus: MeasurementStimulus, through transform: PlaybackTransform? = nil, delay: Int = 1234) throws -> [Float] {
        let played = try transform?.apply(stimulus.samples) ?? stimulus.samples
        return [Float](repeating: 0, count: delay) + played + [Float](repeating: 0, count: 4800)
    }

    /// Largest level outside the main tap (the peak sample and its neighbours), dB re the peak.
    static func outsideMainTapDB(_ ir: [Float], halfWidth: Int = 1) -> (dB: Double, peakIndex: Int) {
        let magnitudes = ir.map { abs($0) }
        let peak = magnitudes.max()!
        let p = magnitudes.firstIndex(of: peak)!
        var outside: Float = 0
        for (i, m) in magnitudes.enumerated() where abs(i - p) > halfWidth { outside = max(outside, m) }
        return (20 * log10(Double(max(outside, 1e-12)) / Double(peak)), p)
    }

    /// Third-octave band levels re the 1 kHz band, dB.
    static func thirdOctaveReOneKHz(_ ir: [Float], centres: [Double]) -> [Double] {
        let r = FrequencyResponse(impulseResponse: ir, sampleRate: 48000)
        func band(_ f: Double) -> Double {
            let (lo, hi) = ThirdOctave.bandEdgesHz(centreHz: f)
            return r.bandLevelDB(lowHz: lo, highHz: hi)
        }
        let ref = band(1000)
        return centres.map { band($0) - ref }
    }

    static func description(_ id: String, source: String = "test.monitor") -> MeasuredDeviceDescription {
        var d = MeasuredDeviceDescription(id: id, name: "Test \(id)", measuredBy: "Test Runner", date: "2026-01-02",
                                          microphone: "test microphone", volumeStep: "100 %", sourceName: source)
        d.distanceCm = 35
        d.sinkName = "earshot_test"
        return d
    }
}

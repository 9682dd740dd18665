import Foundation

/// What `earshot measure device` plays, and where everything is in it.
public struct MeasurementPlan: Sendable, Equatable {
    public var sweep: ExponentialSweep
    /// Peak level of the averaged sweeps, dBFS.
    public var levelDBFS: Double = -12
    /// Sweeps played at `levelDBFS` and averaged.
    public var sweepCount: Int = 3
    /// Silence after each sweep: room for the impulse response to die away.
    public var gapSeconds: Double = 1
    /// The 1 kHz calibration tone at `levelDBFS` (0: none).
    public var toneSeconds: Double = 3
    public var toneFrequencyHz: Double = 1000
    /// Peak levels of the stepped-level series (one sweep each, ascending), dBFS; empty: none.
    public var stepLevelsDBFS: [Double] = [-30, -24, -18, -12, -6, -3]
    /// Silence before everything else.
    public var leadSeconds: Double = 0.25

    public init(sweep: ExponentialSweep) { self.sweep = sweep }

    /// The names errors give the plan's settings (a command line names its options instead).
    public enum Setting {
        public static let level = "sweep level"
        public static let sweepCount = "sweep count"
        public static let gap = "gap between sweeps"
        public static let tone = "calibration tone length"
        public static let steps = "stepped-level series"
        public static let all = [level, sweepCount, gap, tone, steps]
    }

    /// Checks the plan; errors name the setting to change.
    public func validate() throws {
        guard levelDBFS <= 0, levelDBFS >= -60 else { throw EarshotError.usage(setting: Setting.level, "must be between -60 and 0 dBFS, not \(levelDBFS)") }
        guard (1...64).contains(sweepCount) else { throw EarshotError.usage(setting: Setting.sweepCount, "must be 1 to 64, not \(sweepCount)") }
        guard gapSeconds >= 0.1, gapSeconds <= 30 else { throw EarshotError.usage(setting: Setting.gap, "must be 0.1 to 30 s, not \(gapSeconds)") }
        guard toneSeconds == 0 || (0.2...120).contains(toneSeconds) else { throw EarshotError.usage(setting: Setting.tone, "must be 0 (no tone) or 0.2 to 120 s, not \(toneSeconds)") }
        for (i, level) in stepLevelsDBFS.enumerated() {
            guard level <= 0, level >= -80 else { throw EarshotError.usage(setting: Setting.steps, "has \(level) dBFS, outside -80…0 dBFS") }
            if i > 0 && level <= stepLevelsDBFS[i - 1] { throw EarshotError.usage(setting: Setting.steps, "must rise: \(level) dBFS after \(stepLevelsDBFS[i - 1]) dBFS") }
        }
    }
}

/// The stimulus of one device measurement, mono at 48 kHz, laid out as
///
///     lead | silence (noise floor, one sweep period) | 1 kHz tone | gap
///          | sweep, gap  × sweepCount               (averaged: the impulse response)
///          | sweep, gap  × each step level          (the stepped-level distortion series)
///
/// A sweep period is the sweep plus its gap; the silence is as long, so the noise floor can be
/// deconvolved and windowed exactly like a sweep.
public struct MeasurementStimulus: Sendable {
    public struct SweepPlacement: Sendable, Equatable {
        /// Index of the sweep's first sample in `samples`.
        public var offset: Int
        public var levelDBFS: Double
        /// Part of the stepped-level series (else one of the averaged sweeps).
        public var isStep: Bool
    }

    public let plan: MeasurementPlan
    public let samples: [Float]
    public let sampleRate: Int
    public let noiseRange: Range<Int>
    public let toneRange: Range<Int>?
    public let sweeps: [SweepPlacement]
    /// Sweep plus gap, samples.
    public let periodSamples: Int

    public init(plan: MeasurementPlan) throws {
        try plan.validate()
        self.plan = plan
        let rate = plan.sweep.sampleRate
        sampleRate = rate
        let n = plan.sweep.sampleCount
        let gap = Int((plan.gapSeconds * Double(rate)).rounded())
        periodSamples = n + gap
        var out = [Float](repeating: 0, count: Int(plan.leadSeconds * Double(rate)))
        noiseRange = out.count..<(out.count + periodSamples)
        out += [Float](repeating: 0, count: periodSamples)
        if plan.toneSeconds > 0 {
            let count = Int(plan.toneSeconds * Double(rate))
            let fade = min(rate / 50, count / 4)
            let amplitude = pow(10, plan.levelDBFS / 20)
            let start = out.count
            out += (0..<count).map { i in
                var g = amplitude
                if i < fade { g *= 0.5 - 0.5 * cos(Double.pi * Double(i) / Double(fade)) }
                if count - 1 - i < fade { g *= 0.5 - 0.5 * cos(Double.pi * Double(count - 1 - i) / Double(fade)) }
                return Float(g * sin(2 * Double.pi * plan.toneFrequencyHz * Double(i) / Double(rate)))
            }
            toneRange = start..<out.count
            out += [Float](repeating: 0, count: gap)
        } else {
            toneRange = nil
        }
        let unit = plan.sweep.samples()
        var placements: [SweepPlacement] = []
        let levels = [Double](repeating: plan.levelDBFS, count: plan.sweepCount).map { ($0, false) } + plan.stepLevelsDBFS.map { ($0, true) }
        for (level, isStep) in levels {
            placements.append(SweepPlacement(offset: out.count, levelDBFS: level, isStep: isStep))
            let g = Float(pow(10, level / 20))
            out += unit.map { $0 * g }
            out += [Float](repeating: 0, count: gap)
        }
        out += [Float](repeating: 0, count: rate / 4)
        sweeps = placements
        samples = out
    }

    public var durationSeconds: Double { Double(samples.count) / Double(sampleRate) }
}

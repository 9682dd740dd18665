import Foundation

/// One scenario rendered live (ARCHITECTURE.md section 10): the same device input stage,
/// protection DSP, impulse response, calibration and environment as `ScenarioRenderer`
/// (section 1), on short blocks, without allocating, for the monitor's audio thread.
///
/// Differences from the offline render, both inherent to running live: the convolution is the
/// zero-delay `LowLatencyConvolver`, and the protection limiter's lookahead is not compensated,
/// so the output is the offline render delayed by `latencyFrames` (the lookahead, plus any
/// `extraDelayFrames` that lines this scenario up with the monitor's longest lookahead).
///
/// The paths: the mix alone (layout `stereo`), or the dialogue and the M&E buses side by side
/// (layout `dialogue+me`), whose sum drives the protection gains, as the mix does in `check`:
/// the device's ducking is shared, so the rendered buses add up to the rendered mix.
public final class LiveScenarioChain {
    public let scenario: Scenario
    /// Device channels: 1 (mono device, (L+R)/2) or 2.
    public let deviceChannels: Int
    public let pathCount: Int
    /// Delay of the output against the input, frames (the limiter lookahead + extra delay).
    public let latencyFrames: Int
    public let lookaheadFrames: Int
    public static let maximumFrames = LowLatencyConvolver.chunkFrames

    private let dynamics: ProtectionDynamics
    private var appliers: [[ProtectionApplier]]
    private let convolvers: [[LowLatencyConvolver]]
    private let environment: EnvironmentNoise
    private let volumeGain: Float
    private let pascals: Float
    /// Per path and device channel: drive, then pascals at the ear (maximumFrames each).
    private let paths: UnsafeMutablePointer<Float>
    private let mixDrive: UnsafeMutablePointer<Float>
    private let bassGain: UnsafeMutablePointer<Float>
    public let limiterGain: UnsafeMutablePointer<Float>
    /// The at-ear outputs of the last `process` (pascals), per ear: each path, the environment.
    public let atEar: UnsafeMutablePointer<Float>
    private let extraDelay: Int
    private let delayLine: UnsafeMutablePointer<Float>
    private var delayPosition = 0
    private let delayedSlots: Int

    /// `extraDelayFrames`: added after the chain (to match another scenario's longer lookahead).
    public init(scenario: Scenario, pathCount: Int, extraDelayFrames: Int = 0) throws {
        precondition(pathCount == 1 || pathCount == 2)
        self.scenario = scenario
        self.pathCount = pathCount
        let device = scenario.device, profile = device.profile
        let channels = profile.channelMode == .mono ? 1 : 2
        let dynamics = ProtectionDynamics(limiter: profile.limiter, bassCompressor: profile.bassCompressor, channels: channels,
                                          sampleRate: Double(AudioSource.processingRate))
        self.dynamics = dynamics
        deviceChannels = channels
        lookaheadFrames = dynamics.lookaheadSamples
        extraDelay = extraDelayFrames
        latencyFrames = dynamics.lookaheadSamples + extraDelayFrames
        appliers = (0..<pathCount).map { _ in (0..<channels).map { _ in ProtectionApplier(dynamics: dynamics, bassCompressor: profile.bassCompressor, channels: 1) } }
        convolvers = (0..<pathCount).map { _ in (0..<channels).map { _ in LowLatencyConvolver(impulseResponse: device.impulseResponse) } }
        environment = try scenario.environmentLoops.map(EnvironmentNoise.init(loops:))
            ?? EnvironmentNoise(profile: scenario.environment, isolation: profile.passiveIsolation)
        volumeGain = Float(pow(10, profile.volumeGainDB(percent: scenario.volumePercent) / 20))
        pascals = device.pascalsPerFullScale
        let m = Self.maximumFrames
        func zeros(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(n, 1))
            p.initialize(repeating: 0, count: max(n, 1))
            return p
        }
        paths = zeros(pathCount * 2 * m)
        mixDrive = zeros(2 * m)
        bassGain = zeros(m)
        limiterGain = zeros(m)
        delayedSlots = 2 * (pathCount + 1)
        atEar = zeros(delayedSlots * m)
        delayLine = zeros(delayedSlots * max(extraDelayFrames, 1))
    }

    deinit {
        for p in [paths, mixDrive, bassGain, limiterGain, atEar, delayLine] { p.deallocate() }
    }

    /// The at-ear signal of `path` (0: the mix or the dialogue, 1: the M&E) at one ear, pascals.
    public func output(path: Int, ear: Int) -> UnsafeMutablePointer<Float> { atEar + (2 * path + ear) * Self.maximumFrames }
    /// The environment at one ear, pascals.
    public func environment(ear: Int) -> UnsafeMutablePointer<Float> { atEar + (2 * pathCount + ear) * Self.maximumFrames }

    /// Renders `frames` (≤ `maximumFrames`) of each path's input (left and right of path 0, and
    /// of path 1 when there are two) into `output(path:ear:)` and `environment(ear:)`.
    public func process(_ left0: UnsafePointer<Float>, _ right0: UnsafePointer<Float>,
                        _ left1: UnsafePointer<Float>? = nil, _ right1: UnsafePointer<Float>? = nil, frames n: Int) {
        let m = Self.maximumFrames, channels = deviceChannels, g = volumeGain
        // Device input stage: drive per path and channel, and the mix's drive.
        mixDrive.update(repeating: 0, count: 2 * m)
        for p in 0..<pathCount {
            let l = p == 0 ? left0 : left1!, r = p == 0 ? right0 : right1!
            let d0 = paths + (2 * p) * m, d1 = d0 + m
            if channels == 1 {
                for i in 0..<n { d0[i] = 0.5 * (l[i] + r[i]) * g }
            } else {
                for i in 0..<n { d0[i] = l[i] * g; d1[i] = r[i] * g }
            }
            for c in 0..<channels {
                let d = d0 + c * m, mix = mixDrive + c * m
                for i in 0..<n { mix[i] += d[i] }
            }
        }
        // Shared protection gains from the mix's drive, applied to every path.
        if dynamics.isActive {
            dynamics.gains(left: mixDrive, right: mixDrive + m, frames: n, bassGain: bassGain, limiterGain: limiterGain)
        } else {
            bassGain.update(repeating: 1, count: n)
            limiterGain.update(repeating: 1, count: n)
        }
        let scale = pascals
        for p in 0..<pathCount {
            for c in 0..<channels {
                let d = paths + (2 * p + c) * m
                if dynamics.isActive { appliers[p][c].apply(d, frames: n, bassGain: bassGain, limiterGain: limiterGain) }
                let out = output(path: p, ear: c)
                convolvers[p][c].process(d, out, count: n)
                for i in 0..<n { out[i] *= scale }
            }
            if channels == 1 { output(path: p, ear: 1).update(from: output(path: p, ear: 0), count: n) }
        }
        environment.fill(left: environment(ear: 0), right: environment(ear: 1), frames: n)
        if extraDelay > 0 { delay(frames: n) }
    }

    /// Delays every output by `extraDelay` frames (a ring per output).
    private func delay(frames n: Int) {
        let length = extraDelay, m = Self.maximumFrames
        var position = delayPosition
        for i in 0..<n {
            for s in 0..<delayedSlots {
                let slot = delayLine + s * length
                let x = atEar[s * m + i]
                atEar[s * m + i] = slot[position]
                slot[position] = x
            }
            position = position + 1 == length ? 0 : position + 1
        }
        delayPosition = position
    }
}

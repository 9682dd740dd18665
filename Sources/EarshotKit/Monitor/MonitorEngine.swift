import Foundation
import Synchronization

/// The live monitor's audio processing (ARCHITECTURE.md section 10): every scenario's chain
/// runs on every block, so a switch never meets a cold filter; the one heard is faded in over
/// 10 ms while the previous one fades out (`AuditionSession.crossfadeWeights`, the audition's
/// raised-cosine crossfade), and so are the environment on/off and loudness matching.
///
/// `process(_:frames:into:)` runs on the audio thread and never allocates, locks or does I/O:
/// the keys arrive through atomics (`select`, `setEnvironment`, `setLoudnessMatching`), what
/// was played leaves through a lock-free ring for `--record`, and the heard scenario's at-ear
/// dialogue, M&E and environment leave through another for the masking meter.
///
/// Every scenario is delayed to the longest limiter lookahead among them (`latencyFrames`),
/// and bypass (the input untouched) by the same, so switching never jumps in time.
public final class MonitorEngine: @unchecked Sendable {
    /// What is heard: the input untouched, or a scenario.
    public enum Source: Equatable, Sendable {
        case bypass
        case scenario(Int)
        var code: Int { if case .scenario(let i) = self { return i }; return -1 }
        init(code: Int) { self = code < 0 ? .bypass : .scenario(code) }
    }

    public let chains: [LiveScenarioChain]
    public let layout: MonitorLayout
    public let inputChannels: Int
    public let calibration: MonitorCalibration
    /// The processing latency every source is heard with, frames (the longest lookahead).
    public let latencyFrames: Int
    public let statistics: MonitorStatistics
    /// What was played, interleaved stereo in monitor units (nil without `--record`).
    public let recordRing: SampleRing?
    /// The heard scenario's at-ear signals for the meter (nil without the meter):
    /// `MeterFrame.width` floats a frame.
    public let meterRing: SampleRing?

    private let selected: Atomic<Int>
    private let environmentOn: Atomic<Bool>
    private let loudnessMatched: Atomic<Bool>

    private let fold: ChannelFold
    private static let m = LiveScenarioChain.maximumFrames
    private let planar: UnsafeMutablePointer<Float>        // 6 × m: mix L/R, dialogue L/R, M&E L/R
    private let bypassLine: UnsafeMutablePointer<Float>    // 2 × latency
    private var bypassPosition = 0
    private let bypassOut: UnsafeMutablePointer<Float>     // 2 × m
    private let weights: UnsafeMutablePointer<Float>       // m
    private let meterScratch: UnsafeMutablePointer<Float>  // width × m
    private let recordScratch: UnsafeMutablePointer<Float> // 2 × m
    private let weightTable = AuditionSession.crossfadeWeights
    private let toMonitorUnits: Float

    private struct Voice {
        var source: Int
        var environment: Bool
        var matched: Bool
        var step: Int
        var direction: Int
    }
    private var voices: [Voice] = []
    private var applied: (Int, Bool, Bool)
    private var inputLoudness = RunningLoudness()
    private var mixLoudness: [RunningLoudness]
    private var totalLoudness: [RunningLoudness]
    private let matchGains: UnsafeMutablePointer<Float>    // per scenario, (mix only, with environment)

    /// The meter's frame layout in `meterRing`.
    public enum MeterFrame {
        /// scenario index, dialogue L/R, M&E L/R, environment L/R (pascals), limiter gain.
        public static let width = 8
    }

    public init(chains: [LiveScenarioChain], layout: MonitorLayout, inputChannels: Int, calibration: MonitorCalibration,
                start: Source = .scenario(0), environmentOn: Bool = true, loudnessMatched: Bool = false,
                recordSeconds: Double? = nil, meter: Bool = false) throws {
        precondition(!chains.isEmpty)
        self.chains = chains
        self.layout = layout
        self.inputChannels = inputChannels
        self.calibration = calibration
        fold = layout == .stereo ? try ChannelFold(channels: inputChannels, file: "the source") : .stereo
        latencyFrames = chains.map(\.latencyFrames).max() ?? 0
        statistics = MonitorStatistics(scenarioCount: chains.count)
        let rate = AudioSource.processingRate
        recordRing = recordSeconds.map { SampleRing(minimumCapacity: Int($0 * Double(rate)) * 2) }
        meterRing = meter && layout == .dialogueAndME ? SampleRing(minimumCapacity: rate * MeterFrame.width) : nil
        selected = Atomic(start.code)
        self.environmentOn = Atomic(environmentOn)
        self.loudnessMatched = Atomic(loudnessMatched)
        toMonitorUnits = Float(1 / calibration.pascalsPerUnit)
        let m = Self.m
        func zeros(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(n, 1))
            p.initialize(repeating: 0, count: max(n, 1))
            return p
        }
        planar = zeros(6 * m)
        bypassLine = zeros(2 * max(latencyFrames, 1))
        bypassOut = zeros(2 * m)
        weights = zeros(m)
        meterScratch = zeros(MeterFrame.width * m)
        recordScratch = zeros(2 * m)
        matchGains = zeros(2 * chains.count)
        for i in 0..<(2 * chains.count) { matchGains[i] = 1 }
        mixLoudness = chains.map { _ in RunningLoudness() }
        totalLoudness = chains.map { _ in RunningLoudness() }
        applied = (start.code, environmentOn, loudnessMatched)
        voices.reserveCapacity(8)
        voices.append(Voice(source: start.code, environment: environmentOn, matched: loudnessMatched, step: 0, direction: 1))
    }

    deinit {
        for p in [planar, bypassLine, bypassOut, weights, meterScratch, recordScratch, matchGains] { p.deallocate() }
    }

    // MARK: - Commands (any thread)

    public func select(_ source: Source) {
        if case .scenario(let i) = source, !chains.indices.contains(i) { return }
        selected.store(source.code, ordering: .releasing)
    }
    public func setEnvironment(_ on: Bool) { environmentOn.store(on, ordering: .releasing) }
    public func setLoudnessMatching(_ on: Bool) { loudnessMatched.store(on, ordering: .releasing) }

    /// What the keys last asked for (heard once its crossfade is done, within 10 ms).
    public var state: (source: Source, environmentOn: Bool, loudnessMatched: Bool) {
        (Source(code: selected.load(ordering: .acquiring)), environmentOn.load(ordering: .acquiring), loudnessMatched.load(ordering: .acquiring))
    }

    // MARK: - Audio thread

    /// Processes `frames` interleaved input frames (`inputChannels` each) into `output`
    /// (interleaved stereo, monitor units).
    public func process(_ input: UnsafePointer<Float>, frames: Int, into output: UnsafeMutablePointer<Float>) {
        let started = DispatchTime.now().uptimeNanoseconds
        var done = 0
        while done < frames {
            let n = min(Self.m, frames - done)
            processChunk(input + done * inputChannels, n, output + 2 * done)
            done += n
        }
        let spent = Int(DispatchTime.now().uptimeNanoseconds &- started)
        statistics.framesProcessed.add(frames, ordering: .relaxed)
        statistics.processingNanoseconds.add(spent, ordering: .relaxed)
        if spent > statistics.longestCallbackNanoseconds.load(ordering: .relaxed) {
            statistics.longestCallbackNanoseconds.store(spent, ordering: .relaxed)
        }
    }

    private func processChunk(_ input: UnsafePointer<Float>, _ n: Int, _ output: UnsafeMutablePointer<Float>) {
        let m = Self.m
        let mixL = planar, mixR = planar + m, dL = planar + 2 * m, dR = planar + 3 * m, eL = planar + 4 * m, eR = planar + 5 * m
        // Input: folded to the mix, or split into the buses (the mix is their sum).
        if layout == .stereo {
            fold.fold(input, frames: n, intoLeft: mixL, right: mixR)
        } else {
            for i in 0..<n {
                let f = input + 4 * i
                dL[i] = f[0]; dR[i] = f[1]; eL[i] = f[2]; eR[i] = f[3]
                mixL[i] = f[0] + f[2]; mixR[i] = f[1] + f[3]
            }
        }
        inputLoudness.add(left: mixL, right: mixR, frames: n)
        delayBypass(n)
        // Every scenario, every block.
        for (s, chain) in chains.enumerated() {
            let t0 = DispatchTime.now().uptimeNanoseconds
            if layout == .stereo { chain.process(mixL, mixR, frames: n) } else { chain.process(dL, dR, eL, eR, frames: n) }
            // At-ear mix (sum of the paths) in monitor units, kept in path 0's slot.
            let u = toMonitorUnits
            for ear in 0..<2 {
                let out = chain.output(path: 0, ear: ear), env = chain.environment(ear: ear)
                if chain.pathCount == 2 {
                    let other = chain.output(path: 1, ear: ear)
                    // The meter wants the buses apart: they are copied out before summing.
                    if meterRing != nil && heardCode == s { copyForMeter(chain, ear: ear, n) }
                    for i in 0..<n { out[i] = (out[i] + other[i]) * u }
                } else {
                    for i in 0..<n { out[i] *= u }
                }
                for i in 0..<n { env[i] *= u }
            }
            mixLoudness[s].add(left: chain.output(path: 0, ear: 0), right: chain.output(path: 0, ear: 1), frames: n)
            addTotalLoudness(s, chain, n)
            statistics.scenarioNanoseconds[s].nanoseconds.add(Int(DispatchTime.now().uptimeNanoseconds &- t0), ordering: .relaxed)
        }
        updateMatchGains()
        applyCommands()
        if let meterRing, heardCode >= 0 {
            meterRing.write(meterScratch, count: MeterFrame.width * n)
        }
        mixVoices(n, output)
        if let recordRing { recordRing.write(output, count: 2 * n) }
    }

    /// The scenario the newest voice plays (−1: bypass).
    private var heardCode: Int { voices.last?.source ?? -1 }

    private func copyForMeter(_ chain: LiveScenarioChain, ear: Int, _ n: Int) {
        let w = MeterFrame.width
        let dialogue = chain.output(path: 0, ear: ear), me = chain.output(path: 1, ear: ear), env = chain.environment(ear: ear)
        let environmentGain: Float = voices.last?.environment == true ? 1 : 0
        let index = Float(heardCode)
        for i in 0..<n {
            let f = meterScratch + w * i
            f[0] = index
            f[1 + ear] = dialogue[i]
            f[3 + ear] = me[i]
            f[5 + ear] = env[i] * environmentGain
            f[7] = chain.limiterGain[i]
        }
    }

    private func addTotalLoudness(_ s: Int, _ chain: LiveScenarioChain, _ n: Int) {
        // mix + environment, summed into the environment's slots (they are not needed apart
        // after this; the voices read the mix and this sum).
        for ear in 0..<2 {
            let out = chain.output(path: 0, ear: ear), env = chain.environment(ear: ear)
            for i in 0..<n { env[i] += out[i] }
        }
        totalLoudness[s].add(left: chain.environment(ear: 0), right: chain.environment(ear: 1), frames: n)
    }

    /// Loudness matching: each scenario at the input's running loudness (mix alone, or with the
    /// environment), within ±40 dB; held through silence.
    private func updateMatchGains() {
        let reference = inputLoudness.power
        guard reference > 1e-10 else { return }
        for s in 0..<chains.count {
            let mixOnly = mixLoudness[s].power, total = totalLoudness[s].power
            if mixOnly > 1e-12 { matchGains[2 * s] = Float(min(max((reference / mixOnly).squareRoot(), 0.01), 100)) }
            if total > 1e-12 { matchGains[2 * s + 1] = Float(min(max((reference / total).squareRoot(), 0.01), 100)) }
        }
    }

    private func delayBypass(_ n: Int) {
        let m = Self.m, length = latencyFrames
        for ear in 0..<2 {
            let x = planar + ear * m, out = bypassOut + ear * m
            if length == 0 { out.update(from: x, count: n); continue }
            let line = bypassLine + ear * length
            var position = bypassPosition
            for i in 0..<n {
                out[i] = line[position]
                line[position] = x[i]
                position = position + 1 == length ? 0 : position + 1
            }
            if ear == 1 { bypassPosition = position }
        }
    }

    /// Starts a voice when the keys asked for something new; the others fade out.
    private func applyCommands() {
        let wanted = (selected.load(ordering: .acquiring), environmentOn.load(ordering: .acquiring), loudnessMatched.load(ordering: .acquiring))
        guard wanted != applied else { return }
        applied = wanted
        for v in voices.indices { voices[v].direction = -1 }
        if voices.count >= 4 { voices.removeFirst() }
        voices.append(Voice(source: wanted.0, environment: wanted.1, matched: wanted.2, step: 0, direction: 1))
    }

    private func mixVoices(_ n: Int, _ output: UnsafeMutablePointer<Float>) {
        output.update(repeating: 0, count: 2 * n)
        let last = AuditionSession.crossfadeFrames
        for v in voices.indices {
            var step = voices[v].step
            let direction = voices[v].direction
            for i in 0..<n {
                weights[i] = weightTable[step]
                step = min(max(step + direction, 0), last)
            }
            voices[v].step = step
            let voice = voices[v]
            for ear in 0..<2 {
                if voice.source < 0 {
                    let x = bypassOut + ear * Self.m
                    for i in 0..<n { output[2 * i + ear] += weights[i] * x[i] }
                } else {
                    let chain = chains[voice.source]
                    let gain = voice.matched ? matchGains[2 * voice.source + (voice.environment ? 1 : 0)] : 1
                    // With the environment: the slot holding mix + environment.
                    let x = voice.environment ? chain.environment(ear: ear) : chain.output(path: 0, ear: ear)
                    for i in 0..<n { output[2 * i + ear] += weights[i] * gain * x[i] }
                }
            }
        }
        voices.removeAll { $0.direction < 0 && $0.step == 0 }
    }
}

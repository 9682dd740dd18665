import Foundation

/// Renders a programme through one scenario (ARCHITECTURE.md section 1, steps 1–6), streaming
/// in blocks so memory does not grow with the programme's length:
///
/// 1. inputs → 48 kHz stereo (`AudioSource`);
/// 2. device input stage: mono devices play (L+R)/2, the volume curve sets the drive level, and
///    the protection DSP computes its gains from the mix drive and applies them to every stem;
/// 3. the device impulse response (partitioned FFT convolution), per device channel;
/// 4. calibration to pascals at the ear (`DeviceModel.pascalsPerFullScale`);
/// 5. environment noise at its calibrated level, through the device's passive isolation;
/// 6. at-ear blocks: each stem, the mix, the environment and their sum.
///
/// Every stem and the mix pass through identical linear stages with identical shared gains, so
/// the rendered stems add up to the rendered mix whenever the input stems add up to the mix.
/// Processing latency (limiter lookahead, block convolution) is removed: output frame n is
/// input frame n.
///
/// Two ways to drive it: `render(_:)` reads the input files itself; `process(_:)` and
/// `finish()` take blocks the caller has read, so several scenarios can share one decode.
public final class ScenarioRenderer {
    public let scenario: Scenario
    public let inputs: ScenarioInputs
    public let blockFrames: Int
    /// When the stems are known to add up to the mix exactly, the mix is not convolved again:
    /// its drive still sets the protection gains, and the rendered mix is the sum of the
    /// rendered stems.
    public let mixFromStems: Bool
    /// Inputs known to carry the same signal in both channels (a centred dialogue stem): on a
    /// stereo device they are processed once and played to both sides.
    public let dualMonoRoles: Set<ScenarioInputs.Role>

    /// One rendered path (a stem, or the mix): its per-source state.
    private final class Path {
        /// One protection applier per device channel, so channels can run on separate cores.
        var appliers: [ProtectionApplier]
        let convolvers: [PartitionedConvolver]
        var compensators: [LatencyCompensator]
        var pending: [[Float]]

        init(device: DeviceModel, dynamics: ProtectionDynamics, channels: Int, latency: Int) {
            appliers = (0..<channels).map { _ in ProtectionApplier(dynamics: dynamics, bassCompressor: device.profile.bassCompressor, channels: 1) }
            convolvers = (0..<channels).map { _ in PartitionedConvolver(impulseResponse: device.impulseResponse) }
            compensators = (0..<channels).map { _ in LatencyCompensator(latency: latency) }
            pending = [[Float]](repeating: [], count: channels)
        }
    }

    private var streamState: StreamState?

    private final class StreamState {
        let frames: Int
        let channels: Int
        let dynamics: ProtectionDynamics
        let latency: Int
        let convolutionLatency: Int
        let volumeGain: Float
        let pascals: Float
        let environment: EnvironmentNoise
        let stems: [ScenarioInputs.Role]
        let mixGiven: Bool
        /// The mix has its own rendered path (else it is the sum of the rendered stems).
        let rendersMix: Bool
        var paths: [ScenarioInputs.Role: Path] = [:]
        var gainCompensator: LatencyCompensator
        var pendingGain: [Float] = []
        var driveCompensators: [LatencyCompensator]
        var pendingDrive: [[Float]]
        var emitted = 0
        var consumed = 0

        init(frames: Int, scenario: Scenario, inputs: ScenarioInputs, renderMix: Bool, dualMonoRoles: Set<ScenarioInputs.Role>) throws {
            self.frames = frames
            let device = scenario.device
            let profile = device.profile
            channels = profile.channelMode == .mono ? 1 : 2
            dynamics = ProtectionDynamics(limiter: profile.limiter, bassCompressor: profile.bassCompressor, channels: channels,
                                          sampleRate: Double(AudioSource.processingRate))
            convolutionLatency = PartitionedConvolver.defaultBlockSize(forImpulseResponseLength: device.impulseResponse.count)
            latency = dynamics.lookaheadSamples + convolutionLatency
            volumeGain = Float(pow(10, profile.volumeGainDB(percent: scenario.volumePercent) / 20))
            pascals = device.pascalsPerFullScale
            environment = try scenario.environmentLoops.map(EnvironmentNoise.init(loops:))
                ?? EnvironmentNoise(profile: scenario.environment, isolation: profile.passiveIsolation)
            stems = inputs.stems
            mixGiven = inputs.paths[.mix] != nil
            rendersMix = mixGiven && renderMix
            var paths: [ScenarioInputs.Role: Path] = [:]
            for role in inputs.stems + (inputs.paths[.mix] != nil && renderMix ? [.mix] : []) {
                paths[role] = Path(device: device, dynamics: dynamics, channels: dualMonoRoles.contains(role) ? 1 : channels, latency: latency)
            }
            self.paths = paths
            // The drive and the limiter gain are taken before the convolution: only the
            // limiter's lookahead delays them (the gain refers to the delayed drive).
            let lookahead = dynamics.lookaheadSamples, count = channels
            gainCompensator = LatencyCompensator(latency: lookahead)
            driveCompensators = (0..<count).map { _ in LatencyCompensator(latency: lookahead) }
            pendingDrive = [[Float]](repeating: [], count: count)
        }
    }

    public init(inputs: ScenarioInputs, scenario: Scenario, blockFrames: Int = 8192, mixFromStems: Bool = false,
                dualMonoRoles: Set<ScenarioInputs.Role> = []) {
        self.dualMonoRoles = dualMonoRoles
        self.inputs = inputs
        self.scenario = scenario
        self.blockFrames = blockFrames
        self.mixFromStems = mixFromStems && !inputs.stems.isEmpty
    }

    /// Prepares for a programme of `frames` frames fed through `process(_:)`.
    public func start(frames: Int) throws {
        streamState = try StreamState(frames: frames, scenario: scenario, inputs: inputs, renderMix: !mixFromStems, dualMonoRoles: dualMonoRoles)
    }

    /// Renders the whole programme, handing each at-ear block to `consume` in order.
    /// Returns the opened inputs' facts (length, time reference).
    @discardableResult
    public func render(_ consume: (AtEarBlock) throws -> Void) throws -> (frames: Int, timeReferenceSeconds: Double?) {
        let opened = try OpenedInputs(inputs)
        try start(frames: opened.frames)
        var done = 0
        while done < opened.frames {
            let want = min(blockFrames, opened.frames - done)
            var blocks: [ScenarioInputs.Role: StereoBlock] = [:]
            for role in inputs.paths.keys {
                let block = try opened.sources[role]!.read(want)
                guard block.frames == want else {
                    throw EarshotError.badInput(file: inputs.paths[role]!, location: "sample \(done + block.frames)", "ended before the other inputs")
                }
                blocks[role] = block
            }
            for out in process(blocks) { try consume(out) }
            done += want
        }
        for out in finish() { try consume(out) }
        return (opened.frames, opened.timeReferenceSeconds)
    }

    /// Feeds the next input blocks (one per input role, all the same length); returns the at-ear
    /// blocks that are ready (latency is held back until `finish()`).
    public func process(_ blocks: [ScenarioInputs.Role: StereoBlock]) -> [AtEarBlock] {
        guard let state = streamState else { preconditionFailure("start(frames:) first") }
        let want = blocks.values.first?.frames ?? 0
        state.consumed += want
        return step(state, blocks: blocks, frames: want)
    }

    /// Flushes the processing latency; returns the last at-ear blocks.
    public func finish() -> [AtEarBlock] {
        guard let state = streamState else { return [] }
        var out: [AtEarBlock] = []
        while state.emitted < state.frames {
            let silence = StereoBlock(frames: min(blockFrames, state.latency + 1))
            var blocks: [ScenarioInputs.Role: StereoBlock] = [:]
            for role in inputs.paths.keys { blocks[role] = silence }
            out += step(state, blocks: blocks, frames: silence.frames)
        }
        streamState = nil
        return out
    }

    private func step(_ s: StreamState, blocks: [ScenarioInputs.Role: StereoBlock], frames want: Int) -> [AtEarBlock] {
        let channels = s.channels
        let volumeGain = s.volumeGain, stemGain = inputs.stemGain
        func drive(_ block: StereoBlock, _ role: ScenarioInputs.Role) -> [[Float]] {
            var d: [[Float]] = channels == 1 ? [block.monoSum] : [block.left, block.right]
            // Stems reach the mix through its master gain (`ScenarioInputs.stemGain`).
            let gain = role == .mix ? volumeGain : volumeGain * stemGain
            for c in 0..<d.count {
                d[c].withUnsafeMutableBufferPointer { p in for i in 0..<p.count { p[i] *= gain } }
            }
            return d
        }
        var drives: [ScenarioInputs.Role: [[Float]]] = [:]
        for (role, path) in s.paths {
            let d = drive(blocks[role]!, role)
            drives[role] = path.pending.count < d.count ? [d[0]] : d
        }
        // The programme's drive decides the shared protection gains.
        var mixDrive: [[Float]]
        if let m = drives[.mix] {
            // A dual-mono mix path carries one lane; the detector still runs on every device
            // channel, so that lane drives both.
            mixDrive = m.count == channels ? m : [[Float]](repeating: m[0], count: channels)
        } else if s.mixGiven {
            mixDrive = drive(blocks[.mix]!, .mix)
        } else {
            mixDrive = [[Float]](repeating: [Float](repeating: 0, count: want), count: channels)
            for role in s.stems {
                let d = drives[role]!
                for c in 0..<channels { StereoBlock.accumulate(d[min(c, d.count - 1)], into: &mixDrive[c]) }
            }
        }
        var bassGain = [Float](repeating: 1, count: want), limiterGain = bassGain
        if s.dynamics.isActive { (bassGain, limiterGain) = s.dynamics.gains(forMixDrive: mixDrive) }
        // Each (path, channel) is independent once the shared gains are known: run them on all
        // cores. Every job writes only its own slots.
        let roles = s.paths.keys.sorted()
        let jobs = roles.flatMap { role in (0..<s.paths[role]!.pending.count).map { (role, $0) } }
        var protectedDrives = [[Float]](repeating: [], count: jobs.count)
        var outputs = [[Float]](repeating: [], count: jobs.count)
        let active = s.dynamics.isActive
        let mixLowBands = s.dynamics.mixLowBands
        let pascals = s.pascals
        let paths = s.paths
        protectedDrives.withUnsafeMutableBufferPointer { protectedSlots in
            outputs.withUnsafeMutableBufferPointer { outputSlots in
                DispatchQueue.concurrentPerform(iterations: jobs.count) { j in
                    let (role, c) = jobs[j]
                    let path = paths[role]!
                    var d = [drives[role]![c]]
                    if active {
                        // The mix's own path reuses the detector's low band of the same drive.
                        let shared = role == .mix && path.pending.count == channels ? [mixLowBands[c]] : nil
                        path.appliers[c].apply(&d, bassGain: bassGain, limiterGain: limiterGain, lowBands: shared)
                    }
                    protectedSlots[j] = d[0]
                    var y = path.convolvers[c].process(d[0])
                    y.withUnsafeMutableBufferPointer { p in for i in 0..<p.count { p[i] *= pascals } }
                    outputSlots[j] = y
                }
            }
        }
        var protectedMixDrive = [[Float]](repeating: [Float](repeating: 0, count: want), count: channels)
        for (j, (role, c)) in jobs.enumerated() {
            let path = paths[role]!
            path.pending[c] += path.compensators[c].aligned(outputs[j])
            if role == .mix || !s.rendersMix {
                // A dual-mono path's one channel drives both sides.
                for side in (path.pending.count == 1 ? 0..<channels : c..<(c + 1)) {
                    StereoBlock.accumulate(protectedDrives[j], into: &protectedMixDrive[side])
                }
            }
        }
        s.pendingGain += s.gainCompensator.aligned(limiterGain)
        for c in 0..<channels { s.pendingDrive[c] += s.driveCompensators[c].aligned(protectedMixDrive[c]) }
        // Emit what every path has ready.
        let ready = min(paths.values.map { $0.pending[0].count }.min() ?? 0, s.frames - s.emitted)
        guard ready > 0 else { return [] }
        var rendered: [ScenarioInputs.Role: StereoBlock] = [:]
        for (role, path) in paths {
            let left = Array(path.pending[0][0..<ready])
            let right = path.pending.count == 1 ? left : Array(path.pending[1][0..<ready])
            for c in 0..<path.pending.count { path.pending[c].removeFirst(ready) }
            rendered[role] = StereoBlock(left: left, right: right)
        }
        let mix: StereoBlock
        if let m = rendered[.mix] {
            mix = m
        } else {
            var sum = StereoBlock(frames: ready)
            for role in s.stems { sum.add(rendered[role]!) }
            mix = sum
        }
        rendered[.mix] = nil
        var gain = Array(s.pendingGain.prefix(ready))
        if gain.count < ready { gain += [Float](repeating: 1, count: ready - gain.count) }
        s.pendingGain.removeFirst(min(ready, s.pendingGain.count))
        var driveOut: [[Float]] = []
        for c in 0..<channels {
            var part = Array(s.pendingDrive[c].prefix(ready))
            if part.count < ready { part += [Float](repeating: 0, count: ready - part.count) }
            s.pendingDrive[c].removeFirst(min(ready, s.pendingDrive[c].count))
            driveOut.append(part)
        }
        let block = AtEarBlock(startFrame: s.emitted, stems: rendered, mix: mix, environment: s.environment.next(ready),
                               deviceGain: gain, mixDrive: driveOut)
        s.emitted += ready
        return [block]
    }
}

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
public final class ScenarioRenderer {
    public let scenario: Scenario
    public let inputs: ScenarioInputs
    public let blockFrames: Int

    public init(inputs: ScenarioInputs, scenario: Scenario, blockFrames: Int = 8192) {
        self.inputs = inputs
        self.scenario = scenario
        self.blockFrames = blockFrames
    }

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

    /// Renders the whole programme, handing each at-ear block to `consume` in order.
    /// Returns the opened inputs' facts (length, time reference).
    @discardableResult
    public func render(_ consume: (AtEarBlock) throws -> Void) throws -> (frames: Int, timeReferenceSeconds: Double?) {
        let opened = try OpenedInputs(inputs)
        let device = scenario.device
        let profile = device.profile
        let channels = profile.channelMode == .mono ? 1 : 2
        let rate = Double(AudioSource.processingRate)
        let dynamics = ProtectionDynamics(limiter: profile.limiter, bassCompressor: profile.bassCompressor, channels: channels, sampleRate: rate)
        let probe = PartitionedConvolver(impulseResponse: device.impulseResponse)
        let latency = dynamics.lookaheadSamples + probe.latency
        let volumeGain = Float(pow(10, profile.volumeGainDB(percent: scenario.volumePercent) / 20))
        let pascals = device.pascalsPerFullScale
        let environment = try EnvironmentNoise(profile: scenario.environment, isolation: profile.passiveIsolation)

        let stems = inputs.stems
        let mixGiven = inputs.paths[.mix] != nil
        var paths: [ScenarioInputs.Role: Path] = [:]
        for role in stems + (mixGiven ? [.mix] : []) {
            paths[role] = Path(device: device, dynamics: dynamics, channels: channels, latency: latency)
        }
        var gainCompensator = LatencyCompensator(latency: probe.latency)
        var pendingGain: [Float] = []
        var driveCompensators = (0..<channels).map { _ in LatencyCompensator(latency: probe.latency) }
        var pendingDrive = [[Float]](repeating: [], count: channels)
        var emitted = 0
        var consumed = 0
        var flushed = 0

        func drive(_ block: StereoBlock) -> [[Float]] {
            var d: [[Float]] = channels == 1 ? [block.monoSum] : [block.left, block.right]
            for c in 0..<d.count { for i in 0..<d[c].count { d[c][i] *= volumeGain } }
            return d
        }

        while emitted < opened.frames {
            // Read (or, after the end, feed silence to flush the latency).
            let want = consumed < opened.frames ? min(blockFrames, opened.frames - consumed) : min(blockFrames, latency - flushed + 1)
            var drives: [ScenarioInputs.Role: [[Float]]] = [:]
            if consumed < opened.frames {
                for role in paths.keys.sorted() {
                    let block = try opened.sources[role]!.read(want)
                    guard block.frames == want else {
                        throw EarshotError.badInput(file: inputs.paths[role]!, location: "sample \(consumed + block.frames)", "ended before the other inputs")
                    }
                    drives[role] = drive(block)
                }
                consumed += want
            } else {
                for role in paths.keys { drives[role] = [[Float]](repeating: [Float](repeating: 0, count: want), count: channels) }
                flushed += want
            }
            // The programme's drive decides the shared protection gains.
            var mixDrive: [[Float]]
            if let m = drives[.mix] {
                mixDrive = m
            } else {
                mixDrive = [[Float]](repeating: [Float](repeating: 0, count: want), count: channels)
                for role in stems { for c in 0..<channels { for i in 0..<want { mixDrive[c][i] += drives[role]![c][i] } } }
            }
            var bassGain = [Float](repeating: 1, count: want), limiterGain = bassGain
            if dynamics.isActive { (bassGain, limiterGain) = dynamics.gains(forMixDrive: mixDrive) }
            // Each (path, channel) is independent once the shared gains are known: run them on
            // all cores. Every job writes only its own slots.
            let roles = paths.keys.sorted()
            let jobs = roles.flatMap { role in (0..<channels).map { (role, $0) } }
            var protectedDrives = [[Float]](repeating: [], count: jobs.count)
            var outputs = [[Float]](repeating: [], count: jobs.count)
            let active = dynamics.isActive
            protectedDrives.withUnsafeMutableBufferPointer { protectedSlots in
                outputs.withUnsafeMutableBufferPointer { outputSlots in
                    DispatchQueue.concurrentPerform(iterations: jobs.count) { j in
                        let (role, c) = jobs[j]
                        let path = paths[role]!
                        var d = [drives[role]![c]]
                        if active { path.appliers[c].apply(&d, bassGain: bassGain, limiterGain: limiterGain) }
                        protectedSlots[j] = d[0]
                        var y = path.convolvers[c].process(d[0])
                        for i in 0..<y.count { y[i] *= pascals }
                        outputSlots[j] = y
                    }
                }
            }
            var protectedMixDrive = [[Float]](repeating: [Float](repeating: 0, count: want), count: channels)
            for (j, (role, c)) in jobs.enumerated() {
                let path = paths[role]!
                path.pending[c] += path.compensators[c].aligned(outputs[j])
                if role == .mix || !mixGiven {
                    for i in 0..<want { protectedMixDrive[c][i] += protectedDrives[j][i] }
                }
            }
            pendingGain += gainCompensator.aligned(limiterGain)
            for c in 0..<channels { pendingDrive[c] += driveCompensators[c].aligned(protectedMixDrive[c]) }
            // Emit what every path has ready.
            let ready = min(paths.values.map { $0.pending[0].count }.min() ?? 0, opened.frames - emitted)
            if ready > 0 {
                var rendered: [ScenarioInputs.Role: StereoBlock] = [:]
                for (role, path) in paths {
                    let left = Array(path.pending[0][0..<ready])
                    let right = channels == 1 ? left : Array(path.pending[1][0..<ready])
                    for c in 0..<channels { path.pending[c].removeFirst(ready) }
                    rendered[role] = StereoBlock(left: left, right: right)
                }
                let mix: StereoBlock
                if let m = rendered[.mix] {
                    mix = m
                } else {
                    var sum = StereoBlock(frames: ready)
                    for role in stems { sum.add(rendered[role]!) }
                    mix = sum
                }
                rendered[.mix] = nil
                var gain = Array(pendingGain.prefix(ready))
                if gain.count < ready { gain += [Float](repeating: 1, count: ready - gain.count) }
                pendingGain.removeFirst(min(ready, pendingGain.count))
                var driveOut: [[Float]] = []
                for c in 0..<channels {
                    var part = Array(pendingDrive[c].prefix(ready))
                    if part.count < ready { part += [Float](repeating: 0, count: ready - part.count) }
                    pendingDrive[c].removeFirst(min(ready, pendingDrive[c].count))
                    driveOut.append(part)
                }
                try consume(AtEarBlock(startFrame: emitted, stems: rendered, mix: mix,
                                       environment: environment.next(ready), deviceGain: gain, mixDrive: driveOut))
                emitted += ready
            }
        }
        return (opened.frames, opened.timeReferenceSeconds)
    }
}

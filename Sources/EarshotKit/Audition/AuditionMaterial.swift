import Foundation

/// Everything `earshot audition` plays, rendered once before playback: for every scenario the
/// at-ear mix (device output) and the environment noise as two separate tracks, so that the
/// listener's total is mix + environment and the environment can be switched off; and the
/// original — the programme's mix as delivered (or the sum of the stems).
///
/// Tracks are in monitor units (`MonitorCalibration`: a full-scale sine is 100 dB SPL by
/// default), stereo, 48 kHz. Each track's integrated loudness (ITU-R BS.1770 via
/// `LoudnessMeter`) is measured while rendering, for loudness matching.
///
/// Storage: in memory when every track together fits `memoryBudgetBytes`, otherwise float WAV
/// files in a private temporary folder (mode 0700), mapped into memory for playback; the
/// folder is removed with the material (`removeFiles()`).
public final class AuditionMaterial {
    public struct ScenarioTracks {
        public let scenario: Scenario
        public let mix: AuditionTrack
        public let environment: AuditionTrack
        /// Integrated loudness of the at-ear mix alone and of mix + environment (LUFS in
        /// monitor units; nil for silence).
        public let mixLUFS: Double?
        public let totalLUFS: Double?
        public var id: String { scenario.id }
    }

    public struct Options {
        public var calibration = MonitorCalibration()
        /// The stretch of the programme to keep, in frames (nil: all of it).
        public var range: Range<Int>?
        public var memoryBudgetBytes = 256 << 20
        /// Where the private temporary folder goes (default: the system's temporary folder).
        public var temporaryParent: String?
        /// Polled between blocks: true stops the render (it throws, and removes its files).
        public var isCancelled: (() -> Bool)?
        public init() {}
    }

    public let scenarios: [ScenarioTracks]
    public let original: AuditionTrack
    public let originalLUFS: Double?
    /// Programme frame of every track's frame 0, and the tracks' length.
    public let firstFrame: Int
    public let frames: Int
    public let programmeFrames: Int
    public let timeReferenceSeconds: Double?
    /// The private folder holding the rendered files (nil when in memory).
    public let folder: String?

    public var sampleRate: Int { AudioSource.processingRate }
    public var endFrame: Int { firstFrame + frames }

    /// The level the original is played at: the mean integrated loudness of the scenarios'
    /// at-ear mixes (without environment), so that switching between the original and a render
    /// compares tone rather than level. Nil when nothing could be measured.
    public var referenceLUFS: Double? {
        let values = scenarios.compactMap(\.mixLUFS)
        if values.isEmpty { return originalLUFS }
        return values.reduce(0, +) / Double(values.count)
    }

    /// Gain that plays the original at `referenceLUFS`.
    public var originalGain: Float {
        guard let reference = referenceLUFS, let own = originalLUFS else { return 1 }
        return Float(pow(10, (reference - own) / 20))
    }

    private init(scenarios: [ScenarioTracks], original: AuditionTrack, originalLUFS: Double?, firstFrame: Int, frames: Int,
                 programmeFrames: Int, timeReferenceSeconds: Double?, folder: String?) {
        self.scenarios = scenarios
        self.original = original
        self.originalLUFS = originalLUFS
        self.firstFrame = firstFrame
        self.frames = frames
        self.programmeFrames = programmeFrames
        self.timeReferenceSeconds = timeReferenceSeconds
        self.folder = folder
    }

    deinit { removeFiles() }

    /// Deletes the temporary folder (mapped tracks stay readable until released).
    public func removeFiles() {
        if let folder { try? FileManager.default.removeItem(atPath: folder) }
    }

    /// Bytes the tracks of `scenarioCount` scenarios over `frames` frames take.
    public static func bytesNeeded(scenarioCount: Int, frames: Int) -> Int { frames * 8 * (2 * scenarioCount + 1) }

    /// Renders every scenario from one decode of the inputs (each scenario on its own thread).
    public static func render(inputs: ScenarioInputs, scenarios: [Scenario], options: Options = Options(),
                              progress: ((String) -> Void)? = nil) throws -> AuditionMaterial {
        let opened = try OpenedInputs(inputs)
        let total = opened.frames
        let range = (options.range ?? 0..<total).clamped(to: 0..<total)
        guard !range.isEmpty else { throw EarshotError.usage("the range to audition is empty (the programme is \(String(format: "%.3f", opened.durationSeconds)) s)") }
        // Render a second past the range, so the limiter's look-ahead and the convolution see
        // the programme that follows, as in a full render.
        let readEnd = min(total, range.upperBound + AudioSource.processingRate)
        let bytes = bytesNeeded(scenarioCount: scenarios.count, frames: range.count)
        var folder: String?
        if bytes > options.memoryBudgetBytes {
            folder = try makePrivateFolder(parent: options.temporaryParent ?? NSTemporaryDirectory(), bytesNeeded: bytes)
        }
        do {
            return try renderTracks(opened: opened, inputs: inputs, scenarios: scenarios, range: range, readEnd: readEnd,
                                    calibration: options.calibration, folder: folder, isCancelled: options.isCancelled, progress: progress)
        } catch {
            if let folder { try? FileManager.default.removeItem(atPath: folder) }
            throw error
        }
    }

    private static func renderTracks(opened: OpenedInputs, inputs: ScenarioInputs, scenarios: [Scenario], range: Range<Int>, readEnd: Int,
                                     calibration: MonitorCalibration, folder: String?, isCancelled: (() -> Bool)?,
                                     progress: ((String) -> Void)?) throws -> AuditionMaterial {
        // The device renders the mix when there is one (one path instead of one per stem).
        let renderInputs = inputs.paths[.mix].map { ScenarioInputs(mix: $0) } ?? inputs
        let renderRoles = Array(renderInputs.paths.keys)
        func filePath(_ name: String) -> String? { folder.map { "\($0)/\(name).wav" } }
        let originalWriter = try AuditionTrackWriter(frames: range.count, filePath: filePath("original"))
        let originalMeter = try LoudnessMeter(sampleRate: AudioSource.processingRate, channels: 2, truePeak: false, windowMaxima: false)
        let blockFrames = 8192
        let blockCount = (readEnd + blockFrames - 1) / blockFrames

        final class ScenarioJob {
            let renderer: ScenarioRenderer
            let mix: AuditionTrackWriter
            let environment: AuditionTrackWriter
            let mixMeter: LoudnessMeter
            let totalMeter: LoudnessMeter
            init(renderer: ScenarioRenderer, mix: AuditionTrackWriter, environment: AuditionTrackWriter) throws {
                self.renderer = renderer
                self.mix = mix
                self.environment = environment
                mixMeter = try LoudnessMeter(sampleRate: AudioSource.processingRate, channels: 2, truePeak: false, windowMaxima: false)
                totalMeter = try LoudnessMeter(sampleRate: AudioSource.processingRate, channels: 2, truePeak: false, windowMaxima: false)
            }
        }
        var jobs: [ScenarioJob] = []
        for (i, scenario) in scenarios.enumerated() {
            let name = "\(i + 1)-" + scenario.id.replacingOccurrences(of: "/", with: "_")
            let renderer = ScenarioRenderer(inputs: renderInputs, scenario: scenario, blockFrames: blockFrames)
            try renderer.start(frames: readEnd)
            jobs.append(try ScenarioJob(renderer: renderer,
                                        mix: try AuditionTrackWriter(frames: range.count, filePath: filePath(name + ".mix")),
                                        environment: try AuditionTrackWriter(frames: range.count, filePath: filePath(name + ".environment"))))
        }
        /// The part of a block that falls in the kept range, or nil.
        func kept(_ block: StereoBlock, startFrame: Int) -> StereoBlock? {
            let first = max(startFrame, range.lowerBound), last = min(startFrame + block.frames, range.upperBound)
            guard last > first else { return nil }
            if first == startFrame && last == startFrame + block.frames { return block }
            let a = first - startFrame, b = last - startFrame
            return StereoBlock(left: Array(block.left[a..<b]), right: Array(block.right[a..<b]))
        }

        typealias Blocks = (index: Int, blocks: [ScenarioInputs.Role: StereoBlock])
        var consumers: [(Blocks) throws -> Void] = jobs.map { job in
            { input in
                var out = job.renderer.process(input.blocks.filter { renderRoles.contains($0.key) })
                if input.index == blockCount - 1 { out += job.renderer.finish() }
                for block in out {
                    guard let mix = kept(calibration.samples(block.mix), startFrame: block.startFrame),
                          let environment = kept(calibration.samples(block.environment), startFrame: block.startFrame) else { continue }
                    try job.mix.append(mix)
                    try job.environment.append(environment)
                    job.mixMeter.add(mix)
                    job.totalMeter.add(mix + environment)
                }
            }
        }
        consumers.append { input in
            var mix = input.blocks[.mix] ?? StereoBlock(frames: input.blocks.values.first?.frames ?? 0)
            if input.blocks[.mix] == nil { for role in inputs.stems { mix.add(input.blocks[role]!) } }
            if let part = kept(mix, startFrame: input.index * blockFrames) {
                try originalWriter.append(part)
                originalMeter.add(part)
            }
        }
        progress?("rendering \(scenarios.count) scenario\(scenarios.count == 1 ? "" : "s") over "
                  + String(format: "%.1f s", Double(range.count) / Double(AudioSource.processingRate))
                  + (folder.map { " (into \($0))" } ?? " (in memory)"))
        try BlockFanOut.run(blockCount: blockCount, read: { k in
            if isCancelled?() == true { throw EarshotError(.environment, "the render was interrupted") }
            let n = min(blockFrames, readEnd - k * blockFrames)
            var blocks: [ScenarioInputs.Role: StereoBlock] = [:]
            for role in inputs.paths.keys { blocks[role] = try opened.sources[role]!.read(n) }
            return (k, blocks)
        }, consumers: consumers)

        var tracks: [ScenarioTracks] = []
        for (job, scenario) in zip(jobs, scenarios) {
            tracks.append(ScenarioTracks(scenario: scenario, mix: try job.mix.finish(), environment: try job.environment.finish(),
                                         mixLUFS: job.mixMeter.result.integratedLUFS, totalLUFS: job.totalMeter.result.integratedLUFS))
        }
        return AuditionMaterial(scenarios: tracks, original: try originalWriter.finish(), originalLUFS: originalMeter.result.integratedLUFS,
                                firstFrame: range.lowerBound, frames: range.count, programmeFrames: opened.frames,
                                timeReferenceSeconds: opened.timeReferenceSeconds, folder: folder)
    }

    /// A new folder only this user can read (mkdtemp makes it 0700), after checking the disk
    /// has room for the rendered files.
    static func makePrivateFolder(parent: String, bytesNeeded: Int) throws -> String {
        var fs = statvfs()
        if statvfs(parent, &fs) == 0 {
            let free = Int(fs.f_bavail) * Int(fs.f_frsize)
            if free < bytesNeeded + bytesNeeded / 10 {
                throw EarshotError(.environment, file: parent, String(format:
                    "the rendered scenarios need %.1f GB of temporary space but only %.1f GB is free: set TMPDIR to a larger disk, audition fewer scenarios, or a stretch (--from/--to)",
                    Double(bytesNeeded) / 1e9, Double(free) / 1e9))
            }
        }
        var template = Array((parent.hasSuffix("/") ? parent : parent + "/").utf8CString.dropLast()) + Array("earshot-audition-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw EarshotError(.environment, file: parent, "cannot create a private temporary folder for the rendered scenarios")
        }
        return String(cString: made)
    }
}

import Foundation

/// `earshot check` as a library call: the programme analysis, the word timings, and every
/// scenario (rendered and analysed concurrently, one per core), gathered into a `CheckReport`.
public enum CheckRunner {
    /// `models`: the scenarios' device models and environment loops made beforehand (a batch
    /// makes them once for a series); made here when nil or made for other scenarios.
    public static func run(inputs: ScenarioInputs, settings: CheckSettings, catalog: ProfileCatalog,
                           models shared: ScenarioModels? = nil) throws -> CheckReport {
        let t0 = Date()
        func trace(_ what: String) { if ProcessInfo.processInfo.environment["EARSHOT_TRACE"] != nil { FileHandle.standardError.write(Data(String(format: "%7.3f s  %@\n", Date().timeIntervalSince(t0), what).utf8)) } }
        try inputs.validate()
        let opened = try OpenedInputs(inputs)
        // Resolve every scenario before the long work starts, so a typo fails at once; their
        // environment loops are made beside the first reads of the programme.
        let given = shared.flatMap { $0.matches(settings.scenarios) ? $0 : nil }
        let resolved = try given == nil ? ScenarioModels.Resolved(scenarios: settings.scenarios, catalog: catalog) : nil
        let platformsPath = try settings.platformsPath ?? (EarshotResources.folder(named: "Reports") + "/platforms.json")
        let platforms = try PlatformSpec.load(path: platformsPath)
        let blockFrames = 8192

        trace("scenarios resolved")
        // Four independent reads of the programme, side by side: the programme analysis, the
        // dialogue's alignment with the mix, the word timings, and which stretches of the
        // dialogue STOI counts as speech; and beside them the scenarios' environment loops.
        // Errors are reported in that order (the alignment before the stems' sum).
        var programmeResult: Result<ProgrammeAnalysis, Error>!
        var lagResult: Result<Double?, Error> = .success(nil)
        var timingsResult: Result<WordTimings?, Error> = .success(nil)
        var activityResult: Result<SilentFrameRemoval?, Error> = .success(nil)
        var modelsResult: Result<ScenarioModels, Error>!
        DispatchQueue.concurrentPerform(iterations: PrePassJob.allCases.count) { k in
            let job = PrePassJob.allCases[k]
            defer { trace("  pre-pass job \(job.name) done") }
            switch job {
            case .programme: programmeResult = Result { try ProgrammeAnalysis.analyse(inputs) }
            case .alignment: lagResult = Result { try PrePassJob.alignment(inputs) }
            case .timings:
                timingsResult = Result { try PrePassJob.timings(inputs, wordsPath: settings.wordsPath, programmeSeconds: opened.durationSeconds) }
            case .speechActivity: activityResult = Result { try PrePassJob.speechActivity(inputs, blockFrames: blockFrames) }
            case .environmentLoops: modelsResult = Result { try given ?? ScenarioModels(resolved!) }
            }
        }
        var programme = try programmeResult.get()
        trace("programme analysed")
        // A dialogue stem that is offset also leaves a residual: name the offset first.
        if let lag = try lagResult.get(), abs(lag) > 0.0005 {
            throw EarshotError.badInput(file: inputs.paths[.dialogue],
                String(format: "the dialogue stem does not line up with the mix: it is %.1f ms %@ than the mix; stems and mix must start on the same sample", abs(lag) * 1000, lag > 0 ? "later" : "earlier"))
        }
        // The stems must explain the mix, up to one master gain, which the stems are then played at.
        let played = try programme.playing(inputs)
        let inputs = played.inputs
        programme = played.programme
        let timings = try timingsResult.get()
        let speechActivity = try activityResult.get()
        let models = try modelsResult.get()

        // The listener's volume, unless the user fixed one.
        let programmeLUFS = programme.listenerProgrammeLUFS
        let scenarios = settings.scenarios.indices.map { i in
            models.scenario(i, volumePercent: settings.volumePercent
                ?? ListenerVolume.percent(device: models.devices[i], environment: models.loops[i].profile, programmeLUFS: programmeLUFS))
        }

        trace("word timings read")
        // One decode of the inputs feeds every scenario; each block's scenarios (and the mix's
        // true-peak loudness) run on all cores.
        let analysed = programme
        // Stems that add up to the mix (at its master gain) need no separate mix render.
        let mixFromStems = programme.stemSum?.mixIsStemsSum ?? false
        var prepared = [Result<ScenarioAnalyzer, Error>?](repeating: nil, count: scenarios.count)
        prepared.withUnsafeMutableBufferPointer { slots in
            DispatchQueue.concurrentPerform(iterations: scenarios.count) { i in
                slots[i] = Result {
                    try ScenarioAnalyzer(inputs: inputs, scenario: scenarios[i], frames: opened.frames, words: timings?.words,
                                         programme: analysed, settings: settings, mixFromStems: mixFromStems, speechActivity: speechActivity)
                }
            }
        }
        let analyzers = try prepared.map { try $0!.get() }
        trace("scenarios prepared")
        // The clean dialogue at 10 kHz, STOI's reference, made once for all scenarios by the
        // reader, exactly as `speechActivity` made it.
        let referenceResampler = inputs.paths[.dialogue] != nil ? try Self.referenceResampler() : nil
        let mixMeter = try LoudnessMeter(sampleRate: AudioSource.processingRate, channels: 2)
        // The files opened at the start, not yet read: the stems' gain is applied by the
        // renderers, so they read the same samples.
        let reading = opened
        let blockCount = (reading.frames + blockFrames - 1) / blockFrames
        var consumers: [(InputBlocks) throws -> Void] = analyzers.map { analyzer in { try analyzer.consume($0.stems, reference10kHz: $0.reference10kHz) } }
        consumers.append { blocks in
            var mix = blocks.stems[.mix] ?? StereoBlock(frames: blocks.stems.values.first?.frames ?? 0)
            if blocks.stems[.mix] == nil { for role in inputs.stems { mix.add(blocks.stems[role]!) } }
            mixMeter.add(mix)
        }
        try BlockFanOut.run(blockCount: blockCount, read: { k in
            let n = min(blockFrames, reading.frames - k * blockFrames)
            var blocks = InputBlocks()
            for role in inputs.paths.keys { blocks.stems[role] = try reading.sources[role]!.read(n) }
            if let referenceResampler, let dialogue = blocks.stems[.dialogue] {
                blocks.reference10kHz = Self.resampleReference(dialogue, with: referenceResampler, last: k == blockCount - 1)
            }
            return blocks
        }, consumers: consumers)
        let mixLoudness = mixMeter.result
        programme.mixLoudness = mixLoudness
        trace("rendered and analysed")
        var results = [Result<ScenarioResult, Error>?](repeating: nil, count: analyzers.count)
        results.withUnsafeMutableBufferPointer { slots in
            DispatchQueue.concurrentPerform(iterations: analyzers.count) { i in slots[i] = Result { try analyzers[i].finish() } }
        }
        let scenarioResults = try results.map { try $0!.get() }
        trace("scenarios finished")
        return CheckReport(inputs: inputs, loudness: mixLoudness, frames: opened.frames, timeReferenceSeconds: opened.timeReferenceSeconds,
                           timings: timings, programme: programme, platforms: platforms.map { ($0, $0.verdict(for: mixLoudness)) },
                           scenarios: scenarioResults, settings: settings)
    }

    /// One block of every input, and the same stretch of the dialogue at 10 kHz.
    struct InputBlocks {
        var stems: [ScenarioInputs.Role: StereoBlock] = [:]
        var reference10kHz: [Float] = []
    }

    static func referenceResampler() throws -> Resampler {
        try Resampler(inputRate: Double(AudioSource.processingRate), outputRate: Double(STOI.analysisSampleRateHz), channels: 1, quality: .speechBand)
    }

    /// The dialogue block's mono sum at 10 kHz (with the resampler's tail after the last block).
    static func resampleReference(_ dialogue: StereoBlock, with resampler: Resampler, last: Bool) -> [Float] {
        var out = resampler.process([dialogue.monoSum])[0]
        if last {
            var tail = resampler.process(nil)
            while !tail[0].isEmpty { out += tail[0]; tail = resampler.process(nil) }
        }
        return out
    }
}

import Foundation

/// `earshot check` as a library call: the programme analysis, the word timings, and every
/// scenario (rendered and analysed concurrently, one per core), gathered into a `CheckReport`.
public enum CheckRunner {
    public static func run(inputs: ScenarioInputs, settings: CheckSettings, catalog: ProfileCatalog) throws -> CheckReport {
        try inputs.validate()
        let opened = try OpenedInputs(inputs)
        // Resolve every scenario before the long work starts, so a typo fails at once.
        var models: [String: DeviceModel] = [:]
        var resolved: [(DeviceModel, EnvironmentProfile)] = []
        for (deviceID, environmentID) in settings.scenarios {
            if models[deviceID] == nil { models[deviceID] = try DeviceModel(profile: try catalog.device(deviceID)) }
            resolved.append((models[deviceID]!, try catalog.environment(environmentID)))
        }
        let platformsPath = try settings.platformsPath ?? (EarshotResources.folder(named: "Reports") + "/platforms.json")
        let platforms = try PlatformSpec.load(path: platformsPath)

        var programme = try ProgrammeAnalysis.analyse(inputs, mixTruePeak: false)
        if let residual = programme.stemResidualDB, residual > -20 {
            throw EarshotError.badInput(file: inputs.paths[.mix],
                String(format: "the stems do not add up to the mix (the difference is %.1f dB below the mix, expected at least 20 dB): check that every stem is from the same version and starts at the same sample", -residual))
        }
        if inputs.paths[.dialogue] != nil && inputs.paths[.mix] != nil, let lag = try StemAlignment.lagSeconds(of: inputs.paths[.dialogue]!, in: inputs.paths[.mix]!), abs(lag) > 0.0005 {
            throw EarshotError.badInput(file: inputs.paths[.dialogue],
                String(format: "the dialogue stem does not line up with the mix: it is %.1f ms %@ than the mix; stems and mix must start on the same sample", abs(lag) * 1000, lag > 0 ? "later" : "earlier"))
        }

        // The listener's volume, unless the user fixed one.
        let programmeLUFS = programme.dialogueLoudness?.integratedLUFS ?? programme.mixLoudness.integratedLUFS
        let scenarios = resolved.map { device, environment in
            Scenario(device: device, environment: environment,
                     volumePercent: settings.volumePercent ?? ListenerVolume.percent(device: device.profile, environment: environment, programmeLUFS: programmeLUFS))
        }

        // Word timings: from the file, or speech units found in the dialogue stem.
        var timings: WordTimings?
        if let dialogue = inputs.paths[.dialogue] {
            let envelope = try SpeechEnvelope.compute(path: dialogue)
            if let path = settings.wordsPath {
                timings = try WordTimingReader.read(path: path, programmeSeconds: opened.durationSeconds, dialogueEnvelope: envelope)
            } else {
                timings = SpeechUnits.find(in: envelope)
            }
        } else if let path = settings.wordsPath {
            timings = try WordTimingReader.read(path: path, programmeSeconds: opened.durationSeconds, dialogueEnvelope: nil)
        }

        // The scenarios, and the mix's true-peak loudness beside them, on all cores.
        var results = [Result<ScenarioResult, Error>?](repeating: nil, count: scenarios.count)
        var mixLoudness: Result<LoudnessResult, Error>?
        let analysed = programme
        results.withUnsafeMutableBufferPointer { slots in
            DispatchQueue.concurrentPerform(iterations: scenarios.count + 1) { i in
                if i == 0 {
                    mixLoudness = Result { try ProgrammeAnalysis.measureMixLoudness(inputs) }
                    return
                }
                slots[i - 1] = Result {
                    try ScenarioAnalysis.run(inputs: inputs, scenario: scenarios[i - 1], words: timings?.words, programme: analysed, settings: settings)
                }
            }
        }
        let scenarioResults = try results.map { try $0!.get() }
        programme.mixLoudness = try mixLoudness!.get()
        return CheckReport(inputs: inputs, frames: opened.frames, timeReferenceSeconds: opened.timeReferenceSeconds,
                           timings: timings, programme: programme, platforms: platforms.map { ($0, $0.verdict(for: programme.mixLoudness)) },
                           scenarios: scenarioResults, settings: settings)
    }
}

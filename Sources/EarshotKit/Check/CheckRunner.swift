import Foundation

/// `earshot check` as a library call: the programme analysis, the word timings, and every
/// scenario (rendered and analysed concurrently, one per core), gathered into a `CheckReport`.
public enum CheckRunner {
    public static func run(inputs: ScenarioInputs, settings: CheckSettings, catalog: ProfileCatalog) throws -> CheckReport {
        try inputs.validate()
        let opened = try OpenedInputs(inputs)
        // Resolve every scenario before the long work starts, so a typo fails at once.
        var models: [String: DeviceModel] = [:]
        var scenarios: [Scenario] = []
        for (deviceID, environmentID) in settings.scenarios {
            if models[deviceID] == nil { models[deviceID] = try DeviceModel(profile: try catalog.device(deviceID)) }
            scenarios.append(Scenario(device: models[deviceID]!, environment: try catalog.environment(environmentID),
                                      volumePercent: settings.volumePercent))
        }
        let platformsPath = try settings.platformsPath ?? (EarshotResources.folder(named: "Reports") + "/platforms.json")
        let platforms = try PlatformSpec.load(path: platformsPath)

        let programme = try ProgrammeAnalysis.analyse(inputs)
        if let residual = programme.stemResidualDB, residual > -20 {
            throw EarshotError.badInput(file: inputs.paths[.mix],
                String(format: "the stems do not add up to the mix (the difference is %.1f dB below the mix, expected at least 20 dB): check that every stem is from the same version and starts at the same sample", -residual))
        }
        if inputs.paths[.dialogue] != nil && inputs.paths[.mix] != nil, let lag = try StemAlignment.lagSeconds(of: inputs.paths[.dialogue]!, in: inputs.paths[.mix]!), abs(lag) > 0.0005 {
            throw EarshotError.badInput(file: inputs.paths[.dialogue],
                String(format: "the dialogue stem does not line up with the mix: it is %.1f ms %@ than the mix; stems and mix must start on the same sample", abs(lag) * 1000, lag > 0 ? "later" : "earlier"))
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

        var results = [Result<ScenarioResult, Error>?](repeating: nil, count: scenarios.count)
        results.withUnsafeMutableBufferPointer { slots in
            DispatchQueue.concurrentPerform(iterations: scenarios.count) { i in
                slots[i] = Result {
                    try ScenarioAnalysis.run(inputs: inputs, scenario: scenarios[i], words: timings?.words, programme: programme, settings: settings)
                }
            }
        }
        let scenarioResults = try results.map { try $0!.get() }
        return CheckReport(inputs: inputs, frames: opened.frames, timeReferenceSeconds: opened.timeReferenceSeconds,
                           timings: timings, programme: programme, platforms: platforms.map { ($0, $0.verdict(for: programme.mixLoudness)) },
                           scenarios: scenarioResults, settings: settings)
    }
}

import ArgumentParser
import EarshotKit
import Foundation

/// The programme inputs every scenario command takes.
struct ProgrammeOptions: ParsableArguments {
    @Option(help: "The full mix (any format libsndfile reads; any rate; mono, stereo or 5.1).")
    var mix: String?
    @Option(help: "The dialogue stem.")
    var dialogue: String?
    @Option(help: "The music-and-effects stem (M&E).")
    var me: String?
    @Option(help: "The music stem (with --effects, instead of --me).")
    var music: String?
    @Option(help: "The effects stem (with --music, instead of --me).")
    var effects: String?
    @Flag(help: "Use the bundled example scene (Examples/demo-scene).")
    var demo = false

    func inputs() throws -> ScenarioInputs {
        if demo {
            if mix != nil || dialogue != nil || me != nil || music != nil || effects != nil {
                throw EarshotError.usage("--demo uses the bundled scene; do not combine it with --mix or stems")
            }
            let folder = try EarshotResources.folder(named: "Examples") + "/demo-scene"
            return ScenarioInputs(mix: folder + "/mix.flac", dialogue: folder + "/dialogue.flac", me: folder + "/me.flac")
        }
        let inputs = ScenarioInputs(mix: mix, dialogue: dialogue, music: music, effects: effects, me: me)
        try inputs.validate()
        return inputs
    }
}

/// Where profiles come from.
struct ProfileOptions: ParsableArguments {
    @Option(name: .customLong("profiles"), help: ArgumentHelp(
        "A folder of extra profile folders (repeatable; also EARSHOT_PROFILES=dir1:dir2). User profiles override stock ones with the same id.",
        valueName: "dir"))
    var profileFolders: [String] = []

    func catalog() throws -> ProfileCatalog { try ProfileCatalog.standard(extraRoots: profileFolders) }

    /// The same options as command-line arguments (for another earshot process).
    var arguments: [String] { profileFolders.flatMap { ["--profiles", $0] } }
}

/// The scenarios named on a command line: each `--scenario DEVICE@ENVIRONMENT`, then every
/// `--device` in every `--environment`; empty when none were named.
func namedScenarios(scenario: [String], device: [String], environment: [String]) throws -> [(device: String, environment: String)] {
    var pairs: [(device: String, environment: String)] = []
    for s in scenario {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw EarshotError.usage("--scenario '\(s)' must be DEVICE@ENVIRONMENT")
        }
        pairs.append((parts[0], parts[1]))
    }
    if !device.isEmpty || !environment.isEmpty {
        if device.isEmpty || environment.isEmpty {
            throw EarshotError.usage("give both --device and --environment (or --scenario DEVICE@ENVIRONMENT)")
        }
        for d in device { for e in environment { pairs.append((d, e)) } }
    }
    return pairs
}

/// The scenarios a command runs: `--device`, `--environment`, `--scenario` (every command that
/// plays a programme through devices).
struct ScenarioOptions: ParsableArguments {
    @Option(help: "Device id (repeatable; see `earshot devices list`).") var device: [String] = []
    @Option(help: "Environment id (repeatable).") var environment: [String] = []
    @Option(help: ArgumentHelp("A scenario DEVICE@ENVIRONMENT (repeatable).", valueName: "device@environment")) var scenario: [String] = []

    /// The named pairs, in order; empty when none were named.
    func pairs() throws -> [(device: String, environment: String)] {
        try namedScenarios(scenario: scenario, device: device, environment: environment)
    }
}

/// The playback volume: fixed with `--volume`, or each listener's choice.
struct VolumeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Playback volume, percent of each device's volume control. Default: each listener's choice — the dialogue about 8 dB above the environment (62–80 dB SPL), as far as the device goes.", valueName: "percent")) var volume: Double?

    /// The fixed volume, or nil for the listener's choice.
    func percent() throws -> Double? {
        if let volume, !(0...100).contains(volume) { throw EarshotError.usage("--volume must be 0…100 percent, not \(volume)") }
        return volume
    }
}

/// The masking threshold of per-word masking.
struct MaskingOptions: ParsableArguments {
    @Option(help: "A word is masked when the predicted chance that a listener hears it is below this (0…1).") var maskedBelow: Double = 0.5

    func threshold() throws -> Double {
        guard (0...1).contains(maskedBelow) else { throw EarshotError.usage("--masked-below must be a probability between 0 and 1, not \(maskedBelow)") }
        return maskedBelow
    }
}

/// The scenario, volume and threshold options of `earshot check`, for commands that run checks.
struct ScenarioSelectionOptions: ParsableArguments {
    @OptionGroup var scenarios: ScenarioOptions
    @OptionGroup var volume: VolumeOptions
    @OptionGroup var masking: MaskingOptions
    @Option(help: "Platform delivery table (default Reports/platforms.json).") var platforms: String?

    func settings() throws -> CheckSettings {
        let volumePercent = try volume.percent()
        let maskedBelow = try masking.threshold()
        let pairs = try scenarios.pairs()
        var settings = CheckSettings(scenarios: pairs.isEmpty ? CheckSettings.defaultScenarios : pairs, volumePercent: volumePercent, platformsPath: platforms)
        settings.masking.maskedBelowHeardProbability = maskedBelow
        return settings
    }
}

/// QC gates: `--fail-on` rules and where their JUnit XML goes (check and batch).
struct QCGateOptions: ParsableArguments {
    @Option(name: .customLong("fail-on"), help: ArgumentHelp(
        "A QC gate (repeatable): masked-words>0@phone-budget-speaker@commute-bus, masked-by-mix>0, true-peak>-2, loudness-off-target@ReelShort, stoi<0.6, sii<0.45, lf-risk>0.5, sibilance>0.7, integrated<-25, lra>15. A failed gate exits with 3.",
        valueName: "rule")) var failOn: [String] = []
    @Option(help: ArgumentHelp("Where to write the JUnit XML of the QC gates (default: junit.xml in the output folder when --fail-on is given).", valueName: "file")) var junit: String?

    func gates() throws -> [QCGate] {
        if junit != nil && failOn.isEmpty { throw EarshotError.usage("--junit writes the outcomes of --fail-on rules: give at least one --fail-on") }
        return try failOn.map { try QCGate($0) }
    }
}

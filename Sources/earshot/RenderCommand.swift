import ArgumentParser
import EarshotKit
import Foundation

/// `earshot render`: what the listener hears in one scenario, as a WAV file.
struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write what the listener hears on one device in one environment as a WAV file.",
        discussion: """
        The output is the pressure at the listener's ears, stereo, 48 kHz, with a fixed monitor \
        calibration: a full-scale sine (peak 1.0) in the file is --monitor-full-scale-db-spl dB SPL \
        (default 100), so -20 dBFS RMS is 77 dB SPL. Play it on a monitor chain calibrated the same \
        way to hear the scenario at its true level, or use it for metrics with \
        `earshot metrics sharpness FILE --full-scale-db-spl 100`. Float files never clip; 24-bit \
        files clip above the calibration's full scale.
        The volume is the listener's choice, as in earshot check (so the render is what check \
        judged), unless --volume fixes it; the volume used is printed on stderr.
        With --stems, each at-ear component is written beside the output: NAME.dialogue.wav, \
        NAME.music.wav / NAME.effects.wav / NAME.me.wav, NAME.environment.wav.
        \(ExitStatus.help(gates: false))
        """)

    @OptionGroup var programme: ProgrammeOptions
    @OptionGroup var profiles: ProfileOptions
    @OptionGroup var scenarios: ScenarioOptions
    @OptionGroup var volume: VolumeOptions
    @Option(help: "Output WAV file.") var out: String
    @Flag(help: "Also write each at-ear component beside the output.") var stems = false
    @Option(help: "Sample format of the written files: float32 or pcm24.") var sampleFormat: String = "float32"
    @Option(help: "dB SPL of a full-scale sine in the written file.") var monitorFullScaleDbSpl: Double = 100
    @Flag(help: "Print what was written (files, scenario, volume) as JSON on stdout.") var json = false

    func run() throws {
        guard let format = WAVSampleFormat(rawValue: sampleFormat) else {
            throw EarshotError.usage("--sample-format must be float32 or pcm24, not '\(sampleFormat)'")
        }
        let pairs = try scenarios.pairs()
        guard pairs.count == 1 else {
            throw EarshotError.usage("render writes one scenario: give --device and --environment once each, or one --scenario DEVICE@ENVIRONMENT")
        }
        let fixedVolume = try volume.percent()
        let given = try programme.inputs()
        // The stems play as the mix plays them (its master gain), as `check` plays them.
        let (inputs, analysed) = try ProgrammeAnalysis.analyse(given).playing(given)
        let catalog = try profiles.catalog()
        let device = try DeviceModel(profile: try catalog.device(pairs[0].device)), environment = try catalog.environment(pairs[0].environment)
        let choice = fixedVolume.map { ListenerVolumeChoice.fixed(percent: $0) }
            ?? ListenerVolumeChoice.listener(device: device, environment: environment, programmeLUFS: analysed.listenerProgrammeLUFS)
        let scenario = Scenario(device: device, environment: environment, volumePercent: choice.percent)
        FileHandle.standardError.write(Data("earshot: \(choice.line(scenario: scenario.id))\n".utf8))
        let calibration = MonitorCalibration(fullScaleDBSPL: monitorFullScaleDbSpl)
        let opened = try OpenedInputs(inputs)
        let timeReference = opened.timeReferenceSeconds.map { UInt64(($0 * 48000).rounded()) }
        let main = try AudioFileWriter(path: out, sampleRate: 48000, channels: 2, format: format, timeReferenceSamples: timeReference)
        var stemWriters: [(String, String, AudioFileWriter)] = []
        if stems {
            let base = (out as NSString).deletingPathExtension
            for name in inputs.stems.map(\.rawValue) + ["environment"] {
                let path = "\(base).\(name).wav"
                stemWriters.append((name, path, try AudioFileWriter(path: path, sampleRate: 48000, channels: 2,
                                                                    format: format, timeReferenceSamples: timeReference)))
            }
        }
        try ScenarioRenderer(inputs: inputs, scenario: scenario).render { block in
            try main.write(calibration.samples(block.total))
            for (name, _, writer) in stemWriters {
                let part = name == "environment" ? block.environment : block.stems[ScenarioInputs.Role(rawValue: name)!]!
                try writer.write(calibration.samples(part))
            }
        }
        try main.finish()
        for (_, _, writer) in stemWriters { try writer.finish() }
        FileHandle.standardError.write(Data("earshot: wrote \(out) (\(scenario.id) at \(ListenerVolumeChoice.percentText(choice.percent)) %, full scale = \(monitorFullScaleDbSpl) dB SPL)\n".utf8))
        if json {
            printJSON(.object([
                ("value", .string(out)),
                ("scenario", .string(scenario.id)),
                ("volume", .string(choice.fixed ? "fixed" : "listener")),
                ("volumePercent", .num(choice.percent)),
                ("volumeReason", .string(choice.reason)),
                ("listenerTargetDialogueDBA", .num(choice.targetDialogueDBA)),
                ("sampleFormat", .string(format.rawValue)),
                ("monitorFullScaleDBSPL", .num(monitorFullScaleDbSpl)),
                ("stems", .object(stemWriters.map { ($0.0, .string($0.1)) })),
            ]))
        }
    }
}

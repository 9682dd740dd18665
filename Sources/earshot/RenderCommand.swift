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
        With --stems, each at-ear component is written beside the output: NAME.dialogue.wav, \
        NAME.music.wav / NAME.effects.wav / NAME.me.wav, NAME.environment.wav.
        \(exitCodesHelp)
        """)

    @OptionGroup var programme: ProgrammeOptions
    @OptionGroup var profiles: ProfileOptions
    @Option(help: "Device profile id (see `earshot devices list`).") var device: String
    @Option(help: "Environment profile id.") var environment: String
    @Option(help: "Playback volume in percent of the device's volume control.") var volume: Double = Scenario.defaultVolumePercent
    @Option(help: "Output WAV file.") var out: String
    @Flag(help: "Also write each at-ear component beside the output.") var stems = false
    @Option(help: "Sample format: float32 or pcm24.") var format: String = "float32"
    @Option(help: "dB SPL of a full-scale sine in the written file.") var monitorFullScaleDbSpl: Double = 100

    func run() throws {
        try runReportingErrors {
            guard let sampleFormat = WAVSampleFormat(rawValue: format) else {
                throw EarshotError.usage("--format must be float32 or pcm24, not '\(format)'")
            }
            guard (0...100).contains(volume) else { throw EarshotError.usage("--volume must be 0…100 percent, not \(volume)") }
            let inputs = try programme.inputs()
            let catalog = try profiles.catalog()
            let scenario = Scenario(device: try DeviceModel(profile: try catalog.device(device)),
                                    environment: try catalog.environment(environment), volumePercent: volume)
            let calibration = MonitorCalibration(fullScaleDBSPL: monitorFullScaleDbSpl)
            let opened = try OpenedInputs(inputs)
            let timeReference = opened.timeReferenceSeconds.map { UInt64(($0 * 48000).rounded()) }
            let main = try AudioFileWriter(path: out, sampleRate: 48000, channels: 2, format: sampleFormat, timeReferenceSamples: timeReference)
            var stemWriters: [(String, AudioFileWriter)] = []
            if stems {
                let base = (out as NSString).deletingPathExtension
                for name in inputs.stems.map(\.rawValue) + ["environment"] {
                    stemWriters.append((name, try AudioFileWriter(path: "\(base).\(name).wav", sampleRate: 48000, channels: 2,
                                                                  format: sampleFormat, timeReferenceSamples: timeReference)))
                }
            }
            try ScenarioRenderer(inputs: inputs, scenario: scenario).render { block in
                try main.write(calibration.samples(block.total))
                for (name, writer) in stemWriters {
                    let part = name == "environment" ? block.environment : block.stems[ScenarioInputs.Role(rawValue: name)!]!
                    try writer.write(calibration.samples(part))
                }
            }
            try main.finish()
            for (_, writer) in stemWriters { try writer.finish() }
            FileHandle.standardError.write(Data("earshot: wrote \(out) (\(scenario.id) at \(Int(volume)) %, full scale = \(monitorFullScaleDbSpl) dB SPL)\n".utf8))
        }
    }
}

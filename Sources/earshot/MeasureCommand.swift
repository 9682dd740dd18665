import ArgumentParser
import EarshotKit
import Foundation

/// `earshot measure device | environment | tone`.
struct Measure: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure your own devices and listening environments with a measurement microphone.",
        discussion: """
        device: plays exponential sine sweeps through a device (a PulseAudio sink, or a file you \
        play on the device) while recording a microphone, and writes a profile folder: the \
        impulse response, 2nd/3rd harmonic distortion, the level where low-frequency distortion \
        sets in (the LF-risk model's excursion limit), sensitivity and noise. environment: records \
        ambience with a calibrated microphone and writes an environment profile. tone: plays the \
        1 kHz calibration tone so you can read an SPL meter. See README "Measuring your own devices".
        Exit codes: 0 ok, 1 bad input or the audio server/measurement failed (the message says \
        what to change), 2 bad usage.
        """,
        subcommands: [MeasureDevice.self, MeasureEnvironment.self, MeasureTone.self])
}

/// How the microphone is calibrated.
struct CalibrationOptions: ParsableArguments {
    @Option(name: .customLong("tone-spl"), help: ArgumentHelp("The SPL meter's reading of the 1 kHz tone at the microphone, dB SPL (read it while `earshot measure tone` plays the same tone).", valueName: "dB"))
    var toneSPL: Double?
    @Option(help: ArgumentHelp("A recording of an acoustic calibrator made with this microphone and input gain.", valueName: "file"))
    var calibrator: String?
    @Option(name: .customLong("calibrator-db"), help: ArgumentHelp("The calibrator's level, dB SPL.", valueName: "dB"))
    var calibratorDB: Double = 94
    @Option(name: .customLong("mic-full-scale-db-spl"), help: ArgumentHelp("The microphone's calibration if known: dB SPL of a recorded full-scale sine (printed by `earshot measure device`).", valueName: "dB"))
    var micFullScaleDBSPL: Double?

    func given() throws -> MicrophoneCalibration? {
        let count = [toneSPL != nil, calibrator != nil, micFullScaleDBSPL != nil].filter { $0 }.count
        if count > 1 { throw EarshotError.usage("give one calibration: --tone-spl, --calibrator or --mic-full-scale-db-spl") }
        if let calibrator { return try LevelCalibration.fromCalibratorFile(path: calibrator, calibratorDBSPL: calibratorDB) }
        if let micFullScaleDBSPL {
            return MicrophoneCalibration(fullScaleDBSPL: micFullScaleDBSPL, method: String(format: "given: a recorded full-scale sine is %.1f dB SPL", micFullScaleDBSPL))
        }
        return nil
    }
}

struct MeasureDevice: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device",
        abstract: "Measure a device: swept-sine impulse response, harmonic distortion, distortion onset, sensitivity and noise; writes a profile folder.",
        discussion: """
        Plays the stimulus on --sink (or, with --external, records while you play the file written \
        by --write-stimulus on the device itself) and records --source at the same time: silence \
        (the noise floor), a 1 kHz tone at --level (the level calibration), --sweeps sweeps at \
        --level (averaged: the impulse response and distortion), then one sweep at each of \
        --steps (where low-frequency distortion sets in). Writes OUT/NAME/ with profile.json \
        (provenance measured: --by, --date, --microphone, --distance-cm, --volume-step), ir.wav, \
        distortion.csv, level-series.csv, measurement.json, PROVENANCE.md. `earshot devices \
        validate OUT/NAME` accepts it.
        Level calibration: --tone-spl (an SPL meter's reading of the tone at the microphone), \
        --calibrator FILE, --mic-full-scale-db-spl, or else --sensitivity-db-spl.
        Refused with a message saying what to change: no such source or sink, sink and source at \
        different rates, a recording that clips (peak at -0.1 dBFS or above), too little SNR \
        (--min-snr-db).
        With --through PROFILE the stimulus passes through that profile's render chain before the \
        sink (a check of the method); the profile written then says it measures a model.
        Exit codes: 0 ok, 1 bad input or the measurement failed, 2 bad usage.
        """)

    @Option(help: "PulseAudio sink that plays to the device (default: the server's default sink).") var sink: String?
    @Option(help: "PulseAudio source of the measurement microphone (`pactl list short sources`).") var source: String?
    @Option(help: ArgumentHelp("Profile id (lower-case, hyphens): the folder written is OUT/NAME.", valueName: "id")) var name: String?
    @Option(help: ArgumentHelp("Folder the profile folder is written into (use it with --profiles).", valueName: "dir")) var out: String?
    @Option(help: ArgumentHelp("Pass the stimulus through this profile's render chain before playing it.", valueName: "profile")) var through: String?
    @OptionGroup var profiles: ProfileOptions
    @OptionGroup var calibration: CalibrationOptions

    @Option(help: "Human name of the device (default: the id).") var displayName: String?
    @Option(help: ArgumentHelp("phone, earbuds, laptop, soundbar, tv or reference.", valueName: "category")) var category: String = "phone"
    @Option(help: ArgumentHelp("mono or stereo (default: mono for phones, else stereo).", valueName: "mode")) var channelMode: String?
    @Option(help: ArgumentHelp("Who measured (goes into the provenance).", valueName: "name")) var by: String?
    @Option(help: ArgumentHelp("Date of the measurement, YYYY-MM-DD (default: today).", valueName: "date")) var date: String?
    @Option(help: ArgumentHelp("The measurement microphone (make, model, serial).", valueName: "text")) var microphone: String?
    @Option(help: ArgumentHelp("Microphone distance from the device, on axis, cm.", valueName: "cm")) var distanceCm: Double?
    @Option(help: ArgumentHelp("The device's volume setting as you read it (e.g. \"media volume 12 of 15\").", valueName: "text")) var volumeStep: String?
    @Option(help: ArgumentHelp("The same setting as a percentage of the volume control.", valueName: "percent")) var volumePercent: Double = 100
    @Option(help: ArgumentHelp("The device's volume curve percent:gainDB,… (default: Android's media curve, assumed).", valueName: "curve")) var volumeCurve: String?
    @Option(name: .customLong("sensitivity-db-spl"), help: ArgumentHelp("Sensitivity to write when there is no level calibration.", valueName: "dB")) var sensitivityDBSPL: Double?
    @Option(name: .customLong("max-spl-db"), help: ArgumentHelp("Maximum SPL to write (default: the sensitivity).", valueName: "dB")) var maxSPLDB: Double?
    @Option(name: .customLong("excursion-limit-dbfs"), parsing: .unconditional, help: ArgumentHelp("Excursion limit to write when there is no stepped series (--steps none).", valueName: "dBFS")) var excursionLimitDBFS: Double?
    @Option(help: ArgumentHelp("Licence of the data (goes into the provenance).", valueName: "text")) var licence: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Peak level of the averaged sweeps and the tone, dBFS.", valueName: "dBFS")) var level: Double = -12
    @Option(help: "Sweeps to average.") var sweeps: Int = 3
    @Option(help: ArgumentHelp("Length of each sweep.", valueName: "seconds")) var sweepSeconds: Double = 5
    @Option(help: ArgumentHelp("Sweep start.", valueName: "Hz")) var startHz: Double = 20
    @Option(help: ArgumentHelp("Sweep end (default: 24000, the Nyquist frequency).", valueName: "Hz")) var endHz: Double?
    @Option(help: ArgumentHelp("Silence after each sweep.", valueName: "seconds")) var gapSeconds: Double = 1
    @Option(help: ArgumentHelp("Length of the 1 kHz calibration tone (0: none).", valueName: "seconds")) var toneSeconds: Double = 3
    @Option(parsing: .unconditional, help: ArgumentHelp("Stepped-level series, ascending dBFS, e.g. -30,-24,-18 (\"none\": no series).", valueName: "list")) var steps: String = "-30,-24,-18,-12,-6,-3"
    @Option(help: ArgumentHelp("Excitation band of the low-frequency distortion figure.", valueName: "low-high")) var distortionBand: String = "50-200"
    @Option(help: ArgumentHelp("THD (2nd + 3rd) at which distortion counts as set in.", valueName: "percent")) var distortionThresholdPercent: Double = 10
    @Option(help: ArgumentHelp("Impulse response kept after its peak.", valueName: "ms")) var irWindowMs: Double = 100
    @Option(help: ArgumentHelp("Least signal-to-noise ratio accepted (averaged sweeps).", valueName: "dB")) var minSnrDb: Double = 20
    @Option(help: ArgumentHelp("Output channels that carry the stimulus: both, left or right.", valueName: "channels")) var channel: String = "both"
    @Option(help: ArgumentHelp("Source channel to analyse: left or right.", valueName: "channel")) var inputChannel: String = "left"

    @Option(help: ArgumentHelp("Write the stimulus as a WAV file to play on the device, and stop.", valueName: "file")) var writeStimulus: String?
    @Flag(help: "Only record: you play the --write-stimulus file on the device (a phone) once Earshot is recording.") var external = false
    @Option(help: ArgumentHelp("With --external: how long to wait for the playback to start.", valueName: "seconds")) var waitSeconds: Double = 20
    @Flag(help: "Replace OUT/NAME if it exists.") var force = false
    @Flag(help: "Print the measurement as JSON.") var json = false

    func plan() throws -> MeasurementPlan {
        let sweep = try ExponentialSweep(startHz: startHz, endHz: endHz, seconds: sweepSeconds)
        var plan = MeasurementPlan(sweep: sweep)
        plan.levelDBFS = level
        plan.sweepCount = sweeps
        plan.gapSeconds = gapSeconds
        plan.toneSeconds = toneSeconds
        if steps.lowercased() == "none" || steps.isEmpty {
            plan.stepLevelsDBFS = []
        } else {
            plan.stepLevelsDBFS = try steps.split(separator: ",").map {
                guard let v = Double($0.trimmingCharacters(in: .whitespaces)) else { throw EarshotError.usage("--steps: '\($0)' is not a level in dBFS") }
                return v
            }
        }
        try plan.validate()
        return plan
    }

    func settings() throws -> MeasurementAnalysisSettings {
        var s = MeasurementAnalysisSettings()
        s.irWindowSeconds = irWindowMs / 1000
        let parts = distortionBand.split(separator: "-").compactMap { Double($0) }
        guard parts.count == 2, parts[0] > 0, parts[1] > parts[0] else { throw EarshotError.usage("--distortion-band must be LOW-HIGH in Hz, e.g. 50-200") }
        s.lowFrequencyBandHz = parts[0]...parts[1]
        guard distortionThresholdPercent > 0, distortionThresholdPercent < 100 else { throw EarshotError.usage("--distortion-threshold-percent must be between 0 and 100") }
        s.distortionThresholdTHD = distortionThresholdPercent / 100
        s.minimumSNRDB = minSnrDb
        s.toneMeterReadingDBSPL = calibration.toneSPL
        s.calibration = try calibration.given()
        return s
    }

    func run() throws {
        try runReportingErrors {
            let category = try enumValue(DeviceProfile.Category.self, category, option: "--category")
            let mode = try channelMode.map { text -> DeviceProfile.ChannelMode in
                guard let m = DeviceProfile.ChannelMode(rawValue: text) else { throw EarshotError.usage("--channel-mode must be mono or stereo, not '\(text)'") }
                return m
            } ?? (category == .phone ? .mono : .stereo)
            let outputs = try enumValue(OutputChannels.self, channel, option: "--channel")
            guard ["left", "right"].contains(inputChannel) else { throw EarshotError.usage("--input-channel must be left or right") }
            guard (0...100).contains(volumePercent) else { throw EarshotError.usage("--volume-percent must be 0…100") }
            if let distanceCm, !(0.1...2000).contains(distanceCm) { throw EarshotError.usage("--distance-cm must be 0.1 to 2000 cm") }
            if let s = sensitivityDBSPL, !(20...140).contains(s) { throw EarshotError.usage("--sensitivity-db-spl must be 20 to 140 dB SPL") }
            if let s = maxSPLDB, !(20...150).contains(s) { throw EarshotError.usage("--max-spl-db must be 20 to 150 dB SPL") }
            let plan = try plan()
            let settings = try settings()
            if calibration.toneSPL != nil && plan.toneSeconds == 0 {
                throw EarshotError.usage("--tone-spl reads the calibration tone: keep --tone-seconds above 0")
            }
            if let writeStimulus {
                let stimulus = try MeasurementStimulus(plan: plan)
                try AudioFile.write(path: writeStimulus, channels: [stimulus.samples, stimulus.samples], sampleRate: stimulus.sampleRate, format: .float32)
                if json { print(JSONValue.object([("value", .string(writeStimulus)), ("seconds", .number(stimulus.durationSeconds))]).serialized(), terminator: "") }
                else { print(String(format: "wrote %@ (%.1f s, 48 kHz): play it on the device while `earshot measure device --external …` records", writeStimulus, stimulus.durationSeconds)) }
                return
            }
            func required(_ value: String?, _ option: String, _ what: String) throws -> String {
                guard let value, !value.isEmpty else { throw EarshotError.usage("\(option) is needed: \(what)") }
                return value
            }
            let source = try required(self.source, "--source", "the PulseAudio source of the measurement microphone (`pactl list short sources`)")
            let name = try required(self.name, "--name", "the id of the profile to write")
            let out = try required(self.out, "--out", "the folder to write the profile folder into")
            let by = try required(self.by, "--by", "who measured (it goes into the provenance)")
            let microphone = try required(self.microphone, "--microphone", "the measurement microphone (it goes into the provenance)")
            try ProfileWriter.checkID(name)
            var transform: PlaybackTransform?
            var throughProfile: DeviceProfile?
            if let through {
                if external { throw EarshotError.usage("--through shapes what the sink plays; it does not go with --external") }
                let device = try profiles.catalog().device(through)
                transform = DeviceRenderTransform(device: try DeviceModel(profile: device))
                throughProfile = device
            }
            let connection = try PulseConnection()
            let session = MeasurementSession(connection: connection, sink: sink, source: source, inputChannel: inputChannel == "left" ? 0 : 1)
            let m: DeviceMeasurement
            var sinkName = sink
            if external {
                try session.preflight(playsOnSink: false)
                let stimulus = try MeasurementStimulus(plan: plan)
                let seconds = stimulus.durationSeconds + waitSeconds
                note(String(format: "recording '%@' for %.0f s: start playing the stimulus file on the device now", source, seconds))
                let recording = try session.record(seconds: seconds)
                m = try MeasurementAnalysis.analyse(recording: recording, stimulus: stimulus, settings: settings, source: "the source '\(source)'")
                sinkName = nil
            } else {
                let devices = try session.preflight()
                sinkName = devices.sink?.name
                let stimulus = try MeasurementStimulus(plan: plan)
                note(String(format: "playing %.0f s on '%@' and recording '%@' (%d sweep%@ at %.0f dBFS, %d stepped level%@)…",
                            stimulus.durationSeconds, sinkName ?? "default", source, plan.sweepCount, plan.sweepCount == 1 ? "" : "s",
                            plan.levelDBFS, plan.stepLevelsDBFS.count, plan.stepLevelsDBFS.count == 1 ? "" : "s"))
                m = try session.measureDevice(plan: plan, transform: transform, channels: outputs, settings: settings)
            }
            var d = MeasuredDeviceDescription(id: name, name: displayName ?? name, measuredBy: by, date: try date.map(checkDate) ?? ProfileWriter.today(),
                                              microphone: microphone, volumeStep: volumeStep ?? String(format: "%g %%", volumePercent), sourceName: source)
            d.category = category
            d.channelMode = mode
            d.distanceCm = distanceCm
            d.volumePercent = volumePercent
            if let volumeCurve {
                d.volumeCurve = try ProfileWriter.parseVolumeCurve(volumeCurve)
                d.volumeCurveSource = "given by the measurer (--volume-curve)"
            }
            d.sinkName = sinkName
            d.playedFromFile = external ? "the stimulus file" : nil
            d.throughProfile = throughProfile
            d.sensitivityDBSPL = sensitivityDBSPL
            d.maxSPLDB = maxSPLDB
            d.excursionLimitDBFS = excursionLimitDBFS
            if let licence { d.licence = licence }
            let folder = try MeasuredDeviceProfile.write(m, d, parent: out, overwrite: force)
            guard case .device(let written) = try ProfileLoader.load(folder: folder) else { return }
            if json {
                guard case .object(let fields) = MeasuredDeviceProfile.report(m, d, profile: written) else { return }
                print(JSONValue.object([("value", .string(folder))] + fields).serialized(), terminator: "")
                return
            }
            printSummary(m, written, folder: folder)
        }
    }

    func printSummary(_ m: DeviceMeasurement, _ p: DeviceProfile, folder: String) {
        print("wrote \(folder) (provenance \(p.provenance.kind.rawValue), confidence \(p.provenance.confidence.rawValue))")
        print(String(format: "  SNR %.1f dB per sweep, %.1f dB averaged over %d; impulse peak %.1f dB over the noise; recorded peak %.1f dBFS",
                     m.singleSweepSNRDB, m.averagedSNRDB, m.plan.sweepCount, m.peakToNoiseDB, m.recordedPeakDBFS))
        if let cal = m.calibration {
            print(String(format: "  microphone: a recorded full-scale sine is %.1f dB SPL (%@) — give --mic-full-scale-db-spl %.1f to `measure environment`",
                         cal.fullScaleDBSPL, cal.method, cal.fullScaleDBSPL))
        }
        print(String(format: "  sensitivity %.1f dB SPL (full-scale 1 kHz sine at 100 %% volume)%@", p.level.sensitivityDBSPL, m.toneDBSPL == nil ? " — given, not measured" : ""))
        if let noise = m.noiseDBA { print(String(format: "  noise with the device silent: %.1f dB(A)", noise)) }
        else { print(String(format: "  noise with the device silent: %.1f dB(A) re full scale (uncalibrated)", m.noiseLevelADBFS)) }
        let e = p.excursion
        print(String(format: "  response: usable from %.0f Hz; closed-box fit %.0f Hz, Q %.2f", e.usableLowCutHz, e.resonanceHz, e.q))
        for point in m.distortion where [100.0, 200, 500, 1000, 2000].contains(where: { abs(log2(point.frequencyHz / $0)) < 1.0 / 12 }) {
            print(String(format: "  distortion at %5.0f Hz: 2nd %6.1f dB, 3rd %@, THD %.2f %%", point.frequencyHz, point.secondHarmonicDB ?? .nan,
                         point.thirdHarmonicDB.map { String(format: "%6.1f dB", $0) } ?? "   —   ", point.thdPercent))
        }
        for step in m.steps { print(String(format: "  step %6.1f dBFS: LF THD %.2f %%", step.levelDBFS, step.lowFrequencyTHDPercent)) }
        if let o = m.onset {
            let kind = o.kind == .interpolated ? "" : (o.kind == .notReached ? " (not reached: a lower bound)" : " (at or below the lowest step)")
            print(String(format: "  LF distortion sets in at %.1f dBFS%@ → excursion limit %.1f dBFS (after the volume gain, referred below the %.0f Hz resonance)", o.levelDBFS, kind, e.limitDBFS, e.resonanceHz))
        }
    }
}

struct MeasureEnvironment: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "environment",
        abstract: "Record a listening environment with a calibrated microphone; writes an environment profile.",
        discussion: """
        Records --seconds of ambience from --source and writes OUT/NAME/: profile.json (levelDBA = \
        the measured LAeq, spectrum = the measured third-octave levels 25 Hz–16 kHz, provenance \
        measured), recording.wav (looped by Earshot at that level), measurement.json (LAeq, LZeq, \
        LAmax, LA10, LA50, LA90, LAmin from 125 ms levels) and PROVENANCE.md. Needs the \
        microphone's calibration: --calibrator FILE or --mic-full-scale-db-spl (which \
        `earshot measure device` prints).
        Exit codes: 0 ok, 1 bad input or the measurement failed, 2 bad usage.
        """)

    @Option(help: "PulseAudio source of the measurement microphone.") var source: String
    @Option(help: "Seconds to record.") var seconds: Double = 30
    @Option(help: ArgumentHelp("Profile id: the folder written is OUT/NAME.", valueName: "id")) var name: String
    @Option(help: ArgumentHelp("Folder the profile folder is written into.", valueName: "dir")) var out: String
    @OptionGroup var calibration: CalibrationOptions
    @Option(help: "Human name (default: the id).") var displayName: String?
    @Option(help: ArgumentHelp("Who recorded.", valueName: "name")) var by: String
    @Option(help: ArgumentHelp("Date, YYYY-MM-DD (default: today).", valueName: "date")) var date: String?
    @Option(help: ArgumentHelp("The measurement microphone.", valueName: "text")) var microphone: String
    @Option(help: ArgumentHelp("Where and how (e.g. \"city bus, rear seat, phone-listening position\").", valueName: "text")) var location: String
    @Option(help: ArgumentHelp("Source channel: left or right.", valueName: "channel")) var inputChannel: String = "left"
    @Option(help: ArgumentHelp("Licence of the recording.", valueName: "text")) var licence: String?
    @Flag(help: "Replace OUT/NAME if it exists.") var force = false
    @Flag(help: "Print the measurement as JSON.") var json = false

    func run() throws {
        try runReportingErrors {
            try ProfileWriter.checkID(name)
            guard (1...3600).contains(seconds) else { throw EarshotError.usage("--seconds must be 1 to 3600") }
            guard calibration.toneSPL == nil else { throw EarshotError.usage("--tone-spl belongs to `measure device`; here give --calibrator FILE or --mic-full-scale-db-spl") }
            guard let cal = try calibration.given() else {
                throw EarshotError.usage("an environment needs a calibrated microphone: give --calibrator FILE (a recording of an acoustic calibrator) or --mic-full-scale-db-spl (printed by `earshot measure device`)")
            }
            guard ["left", "right"].contains(inputChannel) else { throw EarshotError.usage("--input-channel must be left or right") }
            let session = MeasurementSession(connection: try PulseConnection(), sink: nil, source: source, inputChannel: inputChannel == "left" ? 0 : 1)
            try session.preflight(playsOnSink: false)
            note(String(format: "recording '%@' for %.0f s…", source, seconds))
            let recording = try session.record(seconds: seconds)
            let m = try EnvironmentAnalysis.analyse(recording: recording, sampleRate: MeasurementSession.sampleRate, calibration: cal, source: "the source '\(source)'")
            var d = MeasuredEnvironmentDescription(id: name, name: displayName ?? name, measuredBy: by, date: try date.map(checkDate) ?? ProfileWriter.today(),
                                                   microphone: microphone, location: location, sourceName: source)
            if let licence { d.licence = licence }
            let folder = try MeasuredEnvironmentProfile.write(m, d, parent: out, overwrite: force)
            if json {
                guard case .object(let fields) = MeasuredEnvironmentProfile.report(m, d) else { return }
                print(JSONValue.object([("value", .string(folder))] + fields).serialized(), terminator: "")
                return
            }
            print("wrote \(folder)")
            print(String(format: "  LAeq %.1f dB(A), LZeq %.1f dB; LAmax %.1f, LA10 %.1f, LA50 %.1f, LA90 %.1f, LAmin %.1f dB(A) (125 ms levels)",
                         m.levelDBA, m.levelDBZ, m.maxDBA, m.l10DBA, m.l50DBA, m.l90DBA, m.minDBA))
        }
    }
}

struct MeasureTone: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tone",
        abstract: "Play (or write) the 1 kHz calibration tone, to read an SPL meter at the microphone for --tone-spl.")

    @Option(help: "PulseAudio sink (default: the server's default sink).") var sink: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Peak level, dBFS: the same as `measure device --level`.", valueName: "dBFS")) var level: Double = -12
    @Option(help: "Seconds to play.") var seconds: Double = 30
    @Option(help: ArgumentHelp("Write the tone to this WAV file (to play on the device) instead of playing it.", valueName: "file")) var out: String?
    @Option(help: ArgumentHelp("Output channels: both, left or right.", valueName: "channels")) var channel: String = "both"
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try runReportingErrors {
            guard (-60...0).contains(level) else { throw EarshotError.usage("--level must be -60…0 dBFS") }
            guard (1...600).contains(seconds) else { throw EarshotError.usage("--seconds must be 1 to 600") }
            let outputs = try enumValue(OutputChannels.self, channel, option: "--channel")
            let rate = MeasurementSession.sampleRate
            let amplitude = pow(10, level / 20)
            let count = Int(seconds * Double(rate)), fade = rate / 50
            let tone: [Float] = (0..<count).map { i in
                let g = amplitude * min(1, Double(min(i, count - 1 - i)) / Double(fade))
                return Float(g * sin(2 * Double.pi * 1000 * Double(i) / Double(rate)))
            }
            if let out {
                try AudioFile.write(path: out, channels: [tone, tone], sampleRate: rate, format: .float32)
            } else {
                let connection = try PulseConnection()
                if let sink { try connection.requireSink(sink) }
                note(String(format: "playing 1 kHz at %.1f dBFS for %.0f s: read the SPL meter at the microphone (slow, or Leq), then give it as --tone-spl", level, seconds))
                let player = try PulsePlayer(connection: connection, sink: sink, latencyMilliseconds: 100, streamName: "Earshot calibration tone")
                try player.start(ToneProducer(tone, channels: outputs))
                while try !player.waitUntilDone(timeout: 0.2) {}
                player.stop()
            }
            if json { print(JSONValue.object([("value", .number(level)), ("frequencyHz", .number(1000)), ("seconds", .number(seconds)), ("file", .str(out))]).serialized(), terminator: "") }
            else if let out { print("wrote \(out)") }
        }
    }
}

/// Feeds the tone to the chosen channels.
final class ToneProducer: AudioProducer {
    private let samples: [Float]
    private let channels: OutputChannels
    private var position = 0

    init(_ samples: [Float], channels: OutputChannels) {
        self.samples = samples
        self.channels = channels
    }

    func produce(into buffer: UnsafeMutablePointer<Float>, frames: Int) -> Int {
        let count = max(0, min(frames, samples.count - position))
        for i in 0..<count {
            let v = samples[position + i]
            buffer[2 * i] = channels == .right ? 0 : v
            buffer[2 * i + 1] = channels == .left ? 0 : v
        }
        position += count
        return count
    }
}

func enumValue<T: RawRepresentable & CaseIterable>(_ type: T.Type, _ text: String, option: String) throws -> T where T.RawValue == String {
    guard let v = T(rawValue: text) else {
        throw EarshotError.usage("\(option) must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
    }
    return v
}

func checkDate(_ text: String) throws -> String {
    let parts = text.split(separator: "-")
    guard parts.count == 3, parts[0].count == 4, parts.allSatisfy({ Int($0) != nil }) else {
        throw EarshotError.usage("--date must be YYYY-MM-DD, not '\(text)'")
    }
    return text
}

func note(_ text: String) {
    FileHandle.standardError.write(Data("earshot: \(text)\n".utf8))
}

import Foundation
import ArgumentParser
import EarshotKit

extension SoundField: ExpressibleByArgument {}
extension DINSharpness.LoudnessReference: ExpressibleByArgument {}

/// Options shared by the psychoacoustic metrics that read a file as sound pressure.
struct PressureFileOptions: ParsableArguments {
    @Argument(help: "Audio file (WAV, FLAC, AIFF, …). Channels are averaged; other rates than 48 kHz are resampled.")
    var file: String

    @Option(name: .customLong("full-scale-db-spl"),
            help: ArgumentHelp("Calibration: a full-scale sine (peak 1.0) is L dB SPL, i.e. its RMS is L dB re 20 µPa. Without it, samples are pascals.",
                               valueName: "L"))
    var fullScaleDBSPL: Double?

    @Option(help: "Sound field: free (frontal free field) or diffuse.")
    var field: SoundField = .free

    @Option(name: .customLong("skip-seconds"),
            help: ArgumentHelp("Start-up transient left out of the time-varying statistics (s).", valueName: "S"))
    var skipSeconds: Double = TimeVaryingSharpness.defaultSkipSeconds

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    var calibration: PressureCalibration {
        fullScaleDBSPL.map { .fullScaleDBSPL($0) } ?? .pascals
    }

    /// Usage problems the parser cannot see.
    func check() throws {
        if let l = fullScaleDBSPL, !(l.isFinite && l > -50 && l < 250) {
            throw EarshotError.usage("--full-scale-db-spl must be a level in dB SPL between -50 and 250, got \(l)")
        }
        if !(skipSeconds.isFinite && skipSeconds >= 0) {
            throw EarshotError.usage("--skip-seconds must be zero or positive, got \(skipSeconds)")
        }
    }

    var calibrationText: String {
        fullScaleDBSPL.map { "full scale sine = \(PressureMetricOutput.formatted($0, 1)) dB SPL" } ?? "samples as pascals"
    }
}

/// Output helpers of the pressure-based metric commands (sharpness, zwicker-loudness).
enum PressureMetricOutput {
    /// Runs a command body, printing an EarshotError as one line on stderr and exiting 1 (bad input,
    /// environment) or 2 (usage).
    static func runReportingErrors(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as EarshotError {
            throw ExitStatus.report(error)
        }
    }

    /// Writes one line to standard error.
    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// `x` with `digits` decimals.
    static func formatted(_ x: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", x)
    }

    /// A JSON object with keys in insertion order (numbers, strings, null), written by
    /// `JSONValue` like every earshot JSON.
    struct OrderedJSON {
        private var fields: [(String, JSONValue)] = []

        mutating func add(_ key: String, _ value: Double?) { fields.append((key, .num(value))) }
        mutating func add(_ key: String, _ value: Int) { fields.append((key, .integer(value))) }
        mutating func add(_ key: String, _ value: String) { fields.append((key, .string(value))) }

        /// The text without its trailing newline (`print` adds it).
        var text: String { String(JSONValue.object(fields).serialized().dropLast()) }
    }
}

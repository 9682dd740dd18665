import ArgumentParser
import EarshotKit
import Foundation

/// Options shared by `earshot metrics stoi` and `earshot metrics estoi`.
struct STOIOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Clean reference speech, e.g. the dialogue stem as delivered.", valueName: "file"))
    var reference: String

    @Option(name: .long, help: ArgumentHelp("Degraded signal to score: same sample rate and length as the reference, time-aligned.",
                                            valueName: "file"))
    var degraded: String

    @Flag(name: .long, help: "Print a JSON object on stdout instead of text.")
    var json = false
}

/// Shared body of the two commands: read, check, compute, print.
enum STOICommandRunner {
    static func run(_ options: STOIOptions, extended: Bool) throws {
        let metric = extended ? "estoi" : "stoi"
        do {
            let (reference, referenceRate) = try AudioFile.readMono(path: options.reference)
            let (degraded, degradedRate) = try AudioFile.readMono(path: options.degraded)
            guard referenceRate == degradedRate else {
                throw EarshotError.badInput(
                    "\(options.reference) is \(referenceRate) Hz but \(options.degraded) is \(degradedRate) Hz; "
                    + "STOI compares the two sample by sample, so resample one of them to the other's rate")
            }
            let result = try STOI.compute(reference: reference, degraded: degraded, sampleRate: referenceRate,
                                          extended: extended,
                                          referenceName: options.reference, degradedName: options.degraded)
            if options.json {
                let output = STOIOutput(metric: metric, value: result.value, reference: options.reference,
                                        degraded: options.degraded, sampleRate: referenceRate,
                                        durationSeconds: Double(reference.count) / Double(referenceRate),
                                        analysedFrames: result.analysedFrames,
                                        speechActiveFrames: result.speechActiveFrames, segments: result.segments)
                printJSON(output.json)
            } else {
                let name = extended ? "ESTOI" : "STOI"
                print("\(name) \(String(format: "%.4f", result.value))")
                print("  reference \(options.reference)")
                print("  degraded  \(options.degraded)")
                print("  \(referenceRate) Hz, \(String(format: "%.2f", Double(reference.count) / Double(referenceRate))) s; "
                      + "\(result.speechActiveFrames) of \(result.analysedFrames) frames speech-active, "
                      + "\(result.segments) segments of 384 ms")
            }
        } catch let error as EarshotError {
            throw ExitStatus.report(error)
        }
    }

    static let discussion = """
        Both files are read whole; stereo and multichannel files are mixed to mono (the mean of \
        their channels). They must have the same sample rate and the same length and be time-aligned; \
        any rate is accepted and resampled to the 10 kHz analysis rate with libsoxr. Frames more than \
        40 dB below the loudest reference frame are left out, as in the reference algorithm, and at \
        least 30 speech-active frames (one 384 ms segment, about 0.41 s of speech) must remain.

        Values match the reference implementation pystoi 0.4.1 (within 1e-4 for 10 kHz files,         within 5e-3 for other rates, which are resampled differently).

        Exit status: 0 ok, 1 bad input (unreadable file, different rates or lengths, silent or too \
        little reference speech), 2 bad usage.
        """
}

/// JSON printed by `--json`.
struct STOIOutput {
    var metric: String
    var value: Double
    var reference: String
    var degraded: String
    var sampleRate: Int
    var durationSeconds: Double
    var analysedFrames: Int
    var speechActiveFrames: Int
    var segments: Int

    /// Written by `JSONValue` like every earshot JSON (keys sorted, as before).
    var json: JSONValue {
        .object([
            ("analysedFrames", .integer(analysedFrames)), ("degraded", .string(degraded)), ("durationSeconds", .num(durationSeconds)),
            ("metric", .string(metric)), ("reference", .string(reference)), ("sampleRate", .integer(sampleRate)),
            ("segments", .integer(segments)), ("speechActiveFrames", .integer(speechActiveFrames)), ("value", .num(value)),
        ])
    }
}

/// `earshot metrics stoi`: classic STOI (Taal et al. 2011).
struct MetricsSTOI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stoi",
        abstract: "Short-Time Objective Intelligibility (Taal et al. 2011) of a degraded signal against clean speech.",
        discussion: STOICommandRunner.discussion)

    @OptionGroup var options: STOIOptions

    func run() throws { try STOICommandRunner.run(options, extended: false) }
}

/// `earshot metrics estoi`: extended STOI (Jensen & Taal 2016).
struct MetricsESTOI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estoi",
        abstract: "Extended STOI (Jensen & Taal 2016), better for fluctuating maskers such as babble or traffic.",
        discussion: STOICommandRunner.discussion)

    @OptionGroup var options: STOIOptions

    func run() throws { try STOICommandRunner.run(options, extended: true) }
}

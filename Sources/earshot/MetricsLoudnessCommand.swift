import ArgumentParser
import EarshotKit
import Foundation

/// `earshot metrics loudness F`: EBU R 128 programme loudness of one file.
struct MetricsLoudness: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loudness",
        abstract: "EBU R 128 loudness of a file: integrated (LUFS), loudness range (LU), true peak (dBTP), max momentary/short-term.",
        discussion: """
        Measured with libebur128 per ITU-R BS.1770-4, EBU Tech 3341 and Tech 3342, at the file's own \
        sample rate and in its own channels: mono (one channel, weight 1.0 — a mono file reads 3 LU \
        below the same signal on both channels of a stereo file; see --dual-mono), stereo, 5.0 \
        (L R C Ls Rs) and 5.1 (L R C LFE Ls Rs; LFE not measured, surrounds +1.5 dB, not folded down). \
        Max momentary (400 ms) and short-term (3 s) are read every 100 ms. Values that do not exist \
        (silence, a programme shorter than the window) print as -inf or n/a, and as null in JSON.
        Exit codes: 0 ok, 1 bad input, 2 bad usage.
        """)

    @Argument(help: "Audio file (WAV, BWF, FLAC, AIFF, OGG).")
    var file: String

    @Flag(help: "Measure a mono file as played on both speakers of a stereo pair (the channel counted twice); no effect on files with more channels.")
    var dualMono = false

    @Flag(help: "Print a JSON object on stdout.")
    var json = false

    func run() throws {
        let result: LoudnessResult
        let info: AudioFileInfo
        do {
            info = try AudioFileReader(path: file).info
            result = try LoudnessMeter.measure(file: file, dualMono: dualMono)
        } catch let error as EarshotError {
            throw ExitStatus.report(error)
        }
        let layout = (try? LoudnessChannelLayout(channels: info.channels, dualMono: dualMono))?.rawValue ?? "unknown"
        if json {
            print(Self.json(result, file: file, info: info, layout: layout))
        } else {
            let f = LoudnessResult.formatted
            print(String(format: "%@  (%@, %d Hz, %.1f s)", file, layout, info.sampleRate, result.durationSeconds))
            print("Integrated \(f(result.integratedLUFS, 1, "-inf")) LUFS"
                  + " / LRA \(f(result.loudnessRangeLU, 1, "n/a")) LU"
                  + " / True peak \(f(result.truePeakDBTP, 1, "-inf")) dBTP"
                  + " / Max momentary \(f(result.maxMomentaryLUFS, 1, "-inf")) LUFS"
                  + " / Max short-term \(f(result.maxShortTermLUFS, 1, result.durationSeconds < 3 ? "n/a" : "-inf")) LUFS"
                  + " / Sample peak \(f(result.samplePeakDBFS, 1, "-inf")) dBFS")
        }
    }

    /// The JSON object, keys in a fixed order; missing values are null.
    static func json(_ r: LoudnessResult, file: String, info: AudioFileInfo, layout: String) -> String {
        let value = JSONValue.object([
            ("metric", .string("loudness")),
            ("value", .num(r.integratedLUFS)),
            ("unit", .string("LUFS")),
            ("integratedLUFS", .num(r.integratedLUFS)),
            ("loudnessRangeLU", .num(r.loudnessRangeLU)),
            ("truePeakDBTP", .num(r.truePeakDBTP)),
            ("maxMomentaryLUFS", .num(r.maxMomentaryLUFS)),
            ("maxShortTermLUFS", .num(r.maxShortTermLUFS)),
            ("samplePeakDBFS", .num(r.samplePeakDBFS)),
            ("durationSeconds", .num(r.durationSeconds)),
            ("sampleRate", .integer(info.sampleRate)),
            ("channels", .integer(info.channels)),
            ("channelLayout", .string(layout)),
            ("file", .string(file)),
        ])
        return String(value.serialized().dropLast())
    }
}

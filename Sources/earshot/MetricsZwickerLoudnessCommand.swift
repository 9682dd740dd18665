import ArgumentParser
import EarshotKit
import Foundation

/// `earshot metrics zwicker-loudness F`: ISO 532-1 Zwicker loudness of a file (time-varying by
/// default, stationary with --stationary). Not EBU R128 loudness (`metrics loudness`).
struct MetricsZwickerLoudness: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zwicker-loudness",
        abstract: "ISO 532-1:2017 Zwicker loudness (sone) of a file: time-varying N5/mean/max, or stationary.",
        discussion: """
        Time-varying (default): total loudness every 2 ms after the standard's temporal weighting; \
        value = N5 (exceeded 5 % of the time) over the frames after --skip-seconds. \
        --stationary: the stationary method on the mean-square one-third-octave levels of the \
        file after --skip-seconds; value = N, with the loudness level in phon. \
        Channels are averaged into one pressure signal. Samples are pascals unless \
        --full-scale-db-spl is given. For programme loudness in LUFS use `earshot metrics loudness`.
        """)

    @OptionGroup var options: PressureFileOptions

    @Flag(help: "Use the method for stationary sounds instead of the time-varying one.")
    var stationary = false

    func run() throws {
        try PressureMetricOutput.runReportingErrors {
            try options.check()
            let f = PressureMetricOutput.formatted
            if stationary {
                let (loudness, info) = try ZwickerLoudness.stationary(path: options.file, calibration: options.calibration,
                                                                      field: options.field, skipSeconds: options.skipSeconds)
                let sharpness = DINSharpness.stationary(loudness)
                if options.json {
                    var j = PressureMetricOutput.OrderedJSON()
                    j.add("metric", "zwicker-loudness")
                    j.add("value", loudness.loudnessSone)
                    j.add("unit", "sone")
                    j.add("method", "ISO 532-1:2017 stationary")
                    j.add("loudnessLevelPhon", loudness.loudnessLevelPhon)
                    j.add("sharpnessAcum", sharpness)
                    j.add("field", options.field.rawValue)
                    j.add("fullScaleDBSPL", options.fullScaleDBSPL)
                    j.add("skipSeconds", options.skipSeconds)
                    j.add("durationSeconds", info.durationSeconds)
                    j.add("file", options.file)
                    print(j.text)
                } else {
                    print("\(options.file): \(f(info.durationSeconds, 2)) s, \(info.sampleRate) Hz, \(info.channels) channel\(info.channels == 1 ? "" : "s (mean)") (\(options.calibrationText))")
                    print("Loudness (ISO 532-1, stationary, \(options.field.rawValue) field): \(f(loudness.loudnessSone, 2)) sone, \(f(loudness.loudnessLevelPhon, 1)) phon; DIN 45692 sharpness \(f(sharpness, 2)) acum")
                }
                return
            }
            let (series, info) = try ZwickerLoudness.timeVaryingLoudness(path: options.file, calibration: options.calibration,
                                                                         field: options.field)
            let first = TimeSeriesSummary.firstFrame(skipSeconds: options.skipSeconds,
                                                     frameSeconds: ZwickerTimeVaryingAnalyzer.frameSeconds)
            let summary = TimeSeriesSummary(series, from: first)
            guard summary.frames > 0 else {
                throw EarshotError.badInput(file: options.file,
                    "the file is \(f(info.durationSeconds, 3)) s long and the first \(options.skipSeconds) s are skipped; use a shorter --skip-seconds")
            }
            if options.json {
                var j = PressureMetricOutput.OrderedJSON()
                j.add("metric", "zwicker-loudness")
                j.add("value", summary.exceeded5Percent)
                j.add("unit", "sone")
                j.add("method", "ISO 532-1:2017 time-varying")
                j.add("n5Sone", summary.exceeded5Percent)
                j.add("meanSone", summary.mean)
                j.add("maxSone", summary.maximum)
                j.add("field", options.field.rawValue)
                j.add("fullScaleDBSPL", options.fullScaleDBSPL)
                j.add("skipSeconds", options.skipSeconds)
                j.add("frames", summary.frames)
                j.add("frameSeconds", ZwickerTimeVaryingAnalyzer.frameSeconds)
                j.add("durationSeconds", info.durationSeconds)
                j.add("file", options.file)
                print(j.text)
            } else {
                print("\(options.file): \(f(info.durationSeconds, 2)) s, \(info.sampleRate) Hz, \(info.channels) channel\(info.channels == 1 ? "" : "s (mean)") (\(options.calibrationText))")
                print("Loudness (ISO 532-1, time-varying, \(options.field.rawValue) field): N5 \(f(summary.exceeded5Percent, 2)) sone, mean \(f(summary.mean, 2)) sone, max \(f(summary.maximum, 2)) sone")
                print("Over \(summary.frames) frames of 2 ms from \(f(options.skipSeconds, 2)) s on.")
            }
        }
    }
}

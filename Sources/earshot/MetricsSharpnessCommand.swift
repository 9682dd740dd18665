import ArgumentParser
import EarshotKit
import Foundation

/// `earshot metrics sharpness F`: time-varying DIN 45692 sharpness of a file, with its
/// ISO 532-1 time-varying loudness.
struct MetricsSharpness: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sharpness",
        abstract: "Time-varying DIN 45692 sharpness (acum) of a file, on ISO 532-1 Zwicker loudness.",
        discussion: """
        Sharpness is computed every 2 ms from the specific loudness of the time-varying Zwicker \
        method (ISO 532-1:2017) and DIN 45692:2009's weighting, divided by the frame's total \
        loudness (as MoSQITo's sharpness_din_tv does); frames below 0.1 sone count as 0 acum. \
        Reports the mean, the value exceeded 5 % of the time and the maximum over the frames \
        after --skip-seconds (start-up transient), and the loudness N5, mean and maximum. \
        Channels are averaged into one pressure signal. Samples are pascals unless \
        --full-scale-db-spl is given.
        """)

    @OptionGroup var options: PressureFileOptions

    @Option(name: .customLong("loudness-reference"),
            help: "Denominator: total-loudness (temporally weighted, MoSQITo's choice) or specific-loudness-integral (∫N′dz of the frame, no onset overshoot).")
    var reference: DINSharpness.LoudnessReference = .totalLoudness

    func run() throws {
        try PressureMetricOutput.runReportingErrors {
            try options.check()
            let (series, info) = try DINSharpness.timeVarying(path: options.file, calibration: options.calibration,
                                                              field: options.field, reference: reference)
            let summary = series.summary(skipSeconds: options.skipSeconds)
            guard summary.sharpness.frames > 0 else {
                throw EarshotError.badInput(file: options.file,
                    "the file is \(PressureMetricOutput.formatted(info.durationSeconds, 3)) s long and the first \(options.skipSeconds) s are skipped; use a shorter --skip-seconds")
            }
            if options.json {
                var j = PressureMetricOutput.OrderedJSON()
                j.add("metric", "sharpness")
                j.add("value", summary.sharpness.mean)
                j.add("unit", "acum")
                j.add("method", "DIN 45692:2009 time-varying, on ISO 532-1:2017 time-varying loudness")
                j.add("meanAcum", summary.sharpness.mean)
                j.add("exceeded5PercentAcum", summary.sharpness.exceeded5Percent)
                j.add("maxAcum", summary.sharpness.maximum)
                j.add("loudnessSone", summary.loudness.exceeded5Percent)
                j.add("loudnessN5Sone", summary.loudness.exceeded5Percent)
                j.add("loudnessMeanSone", summary.loudness.mean)
                j.add("loudnessMaxSone", summary.loudness.maximum)
                j.add("field", options.field.rawValue)
                j.add("loudnessReference", reference.rawValue)
                j.add("fullScaleDBSPL", options.fullScaleDBSPL)
                j.add("skipSeconds", options.skipSeconds)
                j.add("frames", summary.sharpness.frames)
                j.add("frameSeconds", TimeVaryingSharpness.frameSeconds)
                j.add("durationSeconds", info.durationSeconds)
                j.add("sampleRate", info.sampleRate)
                j.add("channels", info.channels)
                j.add("file", options.file)
                print(j.text)
            } else {
                let f = PressureMetricOutput.formatted
                print("\(options.file): \(f(info.durationSeconds, 2)) s, \(info.sampleRate) Hz, \(info.channels) channel\(info.channels == 1 ? "" : "s (mean)") (\(options.calibrationText))")
                print("Sharpness (DIN 45692, time-varying, \(options.field.rawValue) field): mean \(f(summary.sharpness.mean, 2)) acum, 5 % exceeded \(f(summary.sharpness.exceeded5Percent, 2)) acum, max \(f(summary.sharpness.maximum, 2)) acum")
                print("Loudness (ISO 532-1, time-varying): N5 \(f(summary.loudness.exceeded5Percent, 2)) sone, mean \(f(summary.loudness.mean, 2)) sone, max \(f(summary.loudness.maximum, 2)) sone")
                print("Over \(summary.sharpness.frames) frames of 2 ms from \(f(options.skipSeconds, 2)) s on.")
            }
        }
    }
}

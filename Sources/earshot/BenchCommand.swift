import ArgumentParser
import EarshotKit
import Foundation

/// `earshot bench`: Earshot's speed against its peers, measured in the same run on this machine.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time Earshot against peers (ffmpeg afir, pystoi, MoSQITo) in one run and print the ratios.",
        discussion: """
        Build in release mode first (swift build -c release) and run .build/release/earshot bench. \
        Peers are run as separate processes on the same generated programme: ffmpeg for \
        convolution, and Python with pystoi / mosqito for the metrics (set EARSHOT_BENCH_PYTHON to \
        a Python that has them; a peer that is missing is reported as such, not skipped silently). \
        A ratio below 1.0 means Earshot is faster.
        """)

    @Option(help: "Which parts to run: render (comma-separated list; default all available).")
    var only: String?
    @Option(help: "Programme length in seconds.") var seconds: Double = 90
    @OptionGroup var profiles: ProfileOptions

    func run() throws {
        try runReportingErrors {
            let parts = Set((only ?? BenchPart.allCases.map(\.rawValue).joined(separator: ",")).split(separator: ",").map(String.init))
            for p in parts where BenchPart(rawValue: p) == nil {
                throw EarshotError.usage("unknown bench part '\(p)'; known: \(BenchPart.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let dir = NSTemporaryDirectory() + "earshot-bench-\(ProcessInfo.processInfo.processIdentifier)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let programme = dir + "/programme.wav"
            try BenchSignals.writeProgramme(path: programme, seconds: seconds)
            print("Earshot benchmark — \(ProcessInfo.processInfo.activeProcessorCount) cores, programme \(Int(seconds)) s stereo 48 kHz")
            if parts.contains(BenchPart.render.rawValue) { try benchRender(programme: programme, dir: dir) }
        }
    }

    func benchRender(programme: String, dir: String) throws {
        let catalog = try profiles.catalog()
        let quiet = try catalog.environment("quiet-room")
        print("\nrender: device chain (protection DSP, IR convolution, calibration, environment) vs ffmpeg -af afir with the same IR")
        print(pad("device", 26) + pad("IR taps", 9) + pad("earshot s", 11) + pad("ffmpeg s", 10) + "ratio (≤ 1.0 target)")
        let ffmpeg = Peer.find("ffmpeg")
        for device in catalog.devices.values.sorted(by: { $0.id < $1.id }) {
            let model = try DeviceModel(profile: device)
            let irPath = dir + "/\(device.id).ir.wav"
            try AudioFile.write(path: irPath, channels: [model.impulseResponse], sampleRate: 48000)
            let scenario = Scenario(device: model, environment: quiet, volumePercent: 60)
            let out = dir + "/\(device.id).earshot.wav"
            let earshotSeconds = try Peer.time {
                let writer = try AudioFileWriter(path: out, sampleRate: 48000, channels: 2, format: .float32)
                try ScenarioRenderer(inputs: ScenarioInputs(mix: programme), scenario: scenario).render { block in
                    try writer.write(MonitorCalibration().samples(block.total))
                }
                try writer.finish()
            }
            var ffmpegText = "missing", ratioText = "n/a (ffmpeg not installed)"
            if let ffmpeg {
                let t = try Peer.time {
                    try Peer.run(ffmpeg, ["-v", "error", "-y", "-i", programme, "-i", irPath, "-filter_complex",
                                          "[0:a][1:a]afir=gtype=none", "-c:a", "pcm_f32le", dir + "/\(device.id).ffmpeg.wav"])
                }
                ffmpegText = String(format: "%.3f", t)
                ratioText = String(format: "%.2f %@", earshotSeconds / t, earshotSeconds <= t ? "ok" : "SLOWER")
            }
            print(pad(device.id, 26) + pad("\(model.impulseResponse.count)", 9) + pad(String(format: "%.3f", earshotSeconds), 11) + pad(ffmpegText, 10) + ratioText)
        }
    }
}

enum BenchPart: String, CaseIterable {
    case render
}

/// Deterministic programme material for the benchmark.
enum BenchSignals {
    /// Speech-like bursts over a music bed with bass, stereo, written in blocks.
    static func writeProgramme(path: String, seconds: Double) throws {
        let rate = 48000
        let frames = Int(seconds * Double(rate))
        let writer = try AudioFileWriter(path: path, sampleRate: rate, channels: 2, format: .float32)
        var random = SeededRandom(seed: 2026)
        var position = 0
        while position < frames {
            let n = min(48000, frames - position)
            var left = [Float](repeating: 0, count: n), right = left
            for i in 0..<n {
                let t = Double(position + i) / Double(rate)
                let syllable = max(0, sin(2 * .pi * 4 * t))
                let voice = 0.2 * syllable * (sin(2 * .pi * 180 * t) + 0.5 * sin(2 * .pi * 360 * t) + 0.05 * random.nextGaussian())
                let bass = 0.15 * sin(2 * .pi * 55 * t)
                left[i] = Float(voice + bass + 0.02 * random.nextGaussian())
                right[i] = Float(voice + bass + 0.02 * random.nextGaussian())
            }
            try writer.write([left, right])
            position += n
        }
        try writer.finish()
    }
}

/// Running and timing peer programs.
enum Peer {
    static func find(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let p = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Runs a program; returns its standard output. A non-zero exit is an error.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw EarshotError(.environment, "\(executable) failed: \(String(decoding: errors, as: UTF8.self).prefix(400))")
        }
        return String(decoding: output, as: UTF8.self)
    }
}

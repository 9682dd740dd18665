import Foundation

/// How file samples map to sound pressure.
public enum PressureCalibration: Sendable, Equatable {
    /// Samples are pascals.
    case pascals
    /// A full-scale sine (peak 1.0) is this many dB SPL, i.e. its RMS of 1/√2 is L dB re 20 µPa:
    /// one sample unit is 20 µPa·10^(L/20)·√2.
    case fullScaleDBSPL(Double)

    /// Pascals per sample unit.
    public var pascalsPerUnit: Double {
        switch self {
        case .pascals: return 1
        case .fullScaleDBSPL(let level): return 20e-6 * pow(10, level / 20) * 2.0.squareRoot()
        }
    }
}

/// Reads an audio file as sound pressure for the Zwicker loudness and DIN 45692 sharpness
/// analyses: channels are averaged (channel mean; a stereo file is treated as one pressure
/// signal), samples are scaled by the calibration, and other rates than 48 kHz are resampled
/// with libsoxr. The file is read in blocks, so its length does not matter.
enum PressureFile {
    /// Streams the file's pressure (Pa, 48 kHz) to `body` in blocks; returns the file's header facts.
    @discardableResult
    public static func stream(path: String, calibration: PressureCalibration = .pascals,
                              blockFrames: Int = 48_000,
                              _ body: (UnsafeBufferPointer<Float>) throws -> Void) throws -> AudioFileInfo {
        let reader = try AudioFileReader(path: path)
        let info = reader.info
        let channels = info.channels
        let scale = Float(calibration.pascalsPerUnit)
        let outputRate = ZwickerLoudness.sampleRate
        let resampler = info.sampleRate == outputRate
            ? nil : try Resampler(inputRate: Double(info.sampleRate), outputRate: Double(outputRate), channels: 1)
        let expectedOutput = Int((Double(info.frames) * Double(outputRate) / Double(info.sampleRate)).rounded())
        var delivered = 0
        func deliver(_ block: [Float]) throws {
            let take = min(block.count, expectedOutput - delivered)
            guard take > 0 else { return }
            try block.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[0..<take])) }
            delivered += take
        }

        var interleaved = [Float](repeating: 0, count: blockFrames * channels)
        var mono = [Float](repeating: 0, count: blockFrames)
        while true {
            let got = try interleaved.withUnsafeMutableBufferPointer {
                try reader.read(into: $0.baseAddress!, maxFrames: blockFrames)
            }
            if got == 0 { break }
            let perChannel = scale / Float(channels)
            for i in 0..<got {
                var sum: Float = 0
                for c in 0..<channels { sum += interleaved[i * channels + c] }
                mono[i] = sum * perChannel
            }
            let block = Array(mono[0..<got])
            if let resampler {
                try deliver(resampler.process([block])[0])
            } else {
                try deliver(block)
            }
        }
        if let resampler {
            var tail = resampler.process(nil)[0]
            while !tail.isEmpty {
                try deliver(tail)
                tail = resampler.process(nil)[0]
            }
        }
        return info
    }
}

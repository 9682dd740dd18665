/// Whole-file reading for the analyses that need a signal in memory (metrics on short
/// excerpts, profile data files). Long programmes go through `AudioSource` in blocks instead.
public enum AudioFile {
    /// All channels of a file, planar, at the file's own rate.
    public static func readPlanar(path: String) throws -> (channels: [[Float]], sampleRate: Int, info: AudioFileInfo) {
        let reader = try AudioFileReader(path: path)
        let info = reader.info
        var channels = [[Float]](repeating: [], count: info.channels)
        for c in 0..<info.channels { channels[c].reserveCapacity(info.frames) }
        var buffer = [Float](repeating: 0, count: 65536 * info.channels)
        while true {
            let got = try buffer.withUnsafeMutableBufferPointer { try reader.read(into: $0.baseAddress!, maxFrames: 65536) }
            if got == 0 { break }
            for i in 0..<got { for c in 0..<info.channels { channels[c].append(buffer[i * info.channels + c]) } }
        }
        return (channels, info.sampleRate, info)
    }

    /// A file mixed down to mono (channel mean) at its own rate.
    public static func readMono(path: String) throws -> (samples: [Float], sampleRate: Int) {
        let (channels, rate, _) = try readPlanar(path: path)
        if channels.count == 1 { return (channels[0], rate) }
        var mono = [Float](repeating: 0, count: channels[0].count)
        let scale = 1 / Float(channels.count)
        for ch in channels { for i in 0..<ch.count { mono[i] += ch[i] * scale } }
        return (mono, rate)
    }

    /// Resamples a whole mono signal with libsoxr.
    public static func resample(_ samples: [Float], from inputRate: Int, to outputRate: Int) throws -> [Float] {
        if inputRate == outputRate { return samples }
        let r = try Resampler(inputRate: Double(inputRate), outputRate: Double(outputRate), channels: 1)
        var out = r.process([samples])[0]
        var tail = r.process(nil)
        while !tail[0].isEmpty { out += tail[0]; tail = r.process(nil) }
        let expected = Int((Double(samples.count) * Double(outputRate) / Double(inputRate)).rounded())
        if out.count > expected { out.removeLast(out.count - expected) }
        return out
    }

    /// Writes planar channels to a WAV file atomically.
    public static func write(path: String, channels: [[Float]], sampleRate: Int,
                             format: WAVSampleFormat = .float32, timeReferenceSamples: UInt64? = nil) throws {
        let w = try AudioFileWriter(path: path, sampleRate: sampleRate, channels: channels.count,
                                    format: format, timeReferenceSamples: timeReferenceSamples)
        try w.write(channels)
        try w.finish()
    }
}

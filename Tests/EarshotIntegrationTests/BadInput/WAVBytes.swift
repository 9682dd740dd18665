import Foundation

/// A RIFF/WAVE file built byte by byte, so that the bad-input corpus can make files no audio
/// library would write: a header that lies about its length, a sample rate of 1 Hz, NaN
/// samples, eight channels, 8-bit samples. Channels are planar; every channel has the same
/// length.
struct WAVBytes {
    enum Encoding {
        /// Unsigned 8-bit PCM (WAV's 8-bit format).
        case pcm8
        case pcm16
        case pcm24
        case float32

        var bytesPerSample: Int {
            switch self {
            case .pcm8: return 1
            case .pcm16: return 2
            case .pcm24: return 3
            case .float32: return 4
            }
        }

        var formatTag: UInt16 { self == .float32 ? 3 : 1 }
    }

    var channels: [[Float]]
    var sampleRate: Int
    var encoding: Encoding = .float32
    /// Written as the data chunk's size instead of the true one.
    var declaredDataBytes: UInt32? = nil
    /// Written as the sample rate instead of `sampleRate` (the byte rate follows it).
    var declaredSampleRate: UInt32? = nil
    /// Bytes after the data chunk, inside the RIFF chunk (padding some recorders write).
    var trailing: [UInt8] = []

    var frames: Int { channels.first?.count ?? 0 }

    /// The complete file.
    var bytes: [UInt8] {
        let blockAlign = channels.count * encoding.bytesPerSample
        let rate = declaredSampleRate ?? UInt32(sampleRate)
        var data: [UInt8] = []
        data.reserveCapacity(frames * blockAlign)
        for i in 0..<frames {
            for channel in channels { append(channel[i], to: &data) }
        }
        var out: [UInt8] = Array("RIFF".utf8)
        out += le32(UInt32(4 + 8 + 16 + 8 + data.count + data.count % 2 + trailing.count))
        out += Array("WAVE".utf8)
        out += Array("fmt ".utf8) + le32(16)
        out += le16(encoding.formatTag) + le16(UInt16(channels.count)) + le32(rate)
        out += le32(rate &* UInt32(blockAlign)) + le16(UInt16(blockAlign)) + le16(UInt16(8 * encoding.bytesPerSample))
        out += Array("data".utf8) + le32(declaredDataBytes ?? UInt32(data.count))
        out += data
        if data.count % 2 == 1 { out.append(0) }
        return out + trailing
    }

    /// Where the samples start in `bytes`.
    static let dataOffset = 44

    private func append(_ x: Float, to data: inout [UInt8]) {
        switch encoding {
        case .pcm8:
            data.append(UInt8(clamping: Int((Double(max(-1, min(1, x))) * 127).rounded()) + 128))
        case .pcm16:
            data += le16(UInt16(bitPattern: Int16((Double(max(-1, min(1, x))) * 32767).rounded())))
        case .pcm24:
            let v = Int32((Double(max(-1, min(1, x))) * 8_388_607).rounded())
            let u = UInt32(bitPattern: v)
            data += [UInt8(u & 0xFF), UInt8(u >> 8 & 0xFF), UInt8(u >> 16 & 0xFF)]
        case .float32:
            data += le32(x.bitPattern)
        }
    }

    private func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    private func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(v >> (8 * $0) & 0xFF) } }
}

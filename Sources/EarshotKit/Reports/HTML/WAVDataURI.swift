import Foundation

/// Audio embedded in the HTML report: a mono 16-bit PCM WAV file (RIFF, `WAVE_FORMAT_PCM`)
/// written in memory and given as a `data:audio/wav;base64,…` URI, playable by any browser's
/// `<audio>` element without a network.
enum WAVDataURI {
    /// The bytes of a mono 16-bit WAV file. Samples are full-scale floats, rounded to the
    /// nearest 16-bit step and clipped to ±1 (no dither, so the same samples give the same bytes).
    public static func wavBytes(mono samples: [Float], sampleRate: Int) -> [UInt8] {
        let dataBytes = samples.count * 2
        var out: [UInt8] = []
        out.reserveCapacity(44 + dataBytes)
        func u32(_ v: Int) { let x = UInt32(v); for k in 0..<4 { out.append(UInt8((x >> (8 * UInt32(k))) & 0xff)) } }
        func u16(_ v: Int) { let x = UInt16(v); out.append(UInt8(x & 0xff)); out.append(UInt8(x >> 8)) }
        out += Array("RIFF".utf8); u32(36 + dataBytes); out += Array("WAVE".utf8)
        out += Array("fmt ".utf8); u32(16)
        u16(1)                  // PCM
        u16(1)                  // channels
        u32(sampleRate)
        u32(sampleRate * 2)     // bytes per second
        u16(2)                  // block align
        u16(16)                 // bits per sample
        out += Array("data".utf8); u32(dataBytes)
        for x in samples {
            let clipped = max(-1, min(1, Double(x.isFinite ? x : 0)))
            let v = Int16((clipped * 32767).rounded())
            let bits = UInt16(bitPattern: v)
            out.append(UInt8(bits & 0xff))
            out.append(UInt8(bits >> 8))
        }
        return out
    }

    public static func dataURI(mono samples: [Float], sampleRate: Int) -> String {
        "data:audio/wav;base64," + Data(wavBytes(mono: samples, sampleRate: sampleRate)).base64EncodedString()
    }
}

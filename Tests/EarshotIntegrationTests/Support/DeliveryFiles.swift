import CSndFile
import Foundation
@testable import EarshotKit
@testable import EarshotTestSupport

/// Audio files as deliveries arrive: any container and encoding libsndfile writes (WAV 16/24-bit
/// and float, FLAC, Ogg Vorbis, MP3), any rate, mono to 5.1, made in code from a programme
/// rendered at 48 kHz (speech-like dialogue from `SyntheticTalker`, a music bed and effects
/// bursts from `SceneFiles`), so every stem of a delivery adds up to its mix.
enum DeliveryFiles {
    /// A file format as a user hands it in.
    struct Format: CustomStringConvertible {
        var name: String
        var fileExtension: String
        var sndfileFormat: Int32

        static let wav16 = Format(name: "WAV 16-bit", fileExtension: "wav", sndfileFormat: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16))
        static let wav24 = Format(name: "WAV 24-bit", fileExtension: "wav", sndfileFormat: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_24))
        static let wavFloat = Format(name: "WAV float", fileExtension: "wav", sndfileFormat: Int32(SF_FORMAT_WAV | SF_FORMAT_FLOAT))
        static let flac16 = Format(name: "FLAC 16-bit", fileExtension: "flac", sndfileFormat: Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16))
        static let flac24 = Format(name: "FLAC 24-bit", fileExtension: "flac", sndfileFormat: Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_24))
        static let oggVorbis = Format(name: "Ogg Vorbis", fileExtension: "ogg", sndfileFormat: Int32(SF_FORMAT_OGG | SF_FORMAT_VORBIS))
        static let mp3 = Format(name: "MP3", fileExtension: "mp3", sndfileFormat: Int32(SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III))

        var description: String { name }
    }

    /// Channel layouts: mono, stereo, and 5.1 in SMPTE/WAV order (L R C LFE Ls Rs).
    enum Layout: Int, CustomStringConvertible {
        case mono = 1, stereo = 2, surround51 = 6
        var description: String { self == .surround51 ? "5.1" : (self == .mono ? "mono" : "stereo") }
    }

    /// The parts of a programme at 48 kHz, planar stereo (dialogue centred, dual mono).
    struct Programme {
        var dialogue: [[Float]]
        var music: [[Float]]
        var effects: [[Float]]
        var seconds: Double

        var me: [[Float]] { SceneFiles.add(music, effects) }
        var mix: [[Float]] { SceneFiles.add(dialogue, me) }
        static func silence(like x: [[Float]]) -> [[Float]] { x.map { [Float](repeating: 0, count: $0.count) } }
    }

    /// Eight words of speech-like dialogue every 4 s at −23 LUFS over a music bed at −38 LUFS and
    /// an effects burst: `seconds` long, tiled from one 8-second stretch (so a long programme
    /// costs no more to make than a short one). Returns the programme and its word timings.
    static func programme(seconds: Double) throws -> (Programme, [SyntheticTalker.Word]) {
        typealias W = SyntheticTalker.Word
        let line: [W] = [W("so", .s, [.o]), W("we", nil, [.i]), W("take", .t, [.e]), W("the", nil, [.a]),
                         W("fast", .f, [.a], .s), W("one", nil, [.u]), W("to", .t, [.u]), W("town", .t, [.a, .u])]
        let tileSeconds = 8.0
        let tileWords = SyntheticTalker.layout([(0.5, line), (4.3, Array(line.reversed()))])
        let tileScene = try SceneFiles(seconds: tileSeconds)
        defer { tileScene.remove() }
        let voice = SyntheticTalker.render(tileWords, seconds: tileSeconds)
        let dialogueTile = try SceneFiles.scale([voice, voice], toLUFS: -23)
        let musicTile = try SceneFiles.scale(tileScene.musicBed(), toLUFS: -38)
        let effectsTile = tileScene.burst(fromSeconds: 3.0, toSeconds: 3.6, spectrumDB: [(200, -20), (2000, 0), (8000, -6)])
            .map { $0.map { $0 * 0.05 } }
        let frames = Int(seconds * 48000)
        func tiled(_ x: [[Float]]) -> [[Float]] {
            x.map { channel in (0..<frames).map { channel[$0 % channel.count] } }
        }
        var words: [SyntheticTalker.Word] = []
        var start = 0.0
        while start < seconds {
            for w in tileWords where start + w.endSeconds <= seconds - 0.05 {
                var shifted = w
                shifted.startSeconds += start
                words.append(shifted)
            }
            start += tileSeconds
        }
        return (Programme(dialogue: tiled(dialogueTile), music: tiled(musicTile), effects: tiled(effectsTile), seconds: seconds), words)
    }

    /// A stereo stem laid out for `layout`: mono takes (L+R)/2; 5.1 puts a stem whose channels
    /// are equal (the dialogue) in the centre and anything else in front left/right, with the
    /// surrounds at −6 dB of the fronts and the LFE empty.
    static func laidOut(_ stereo: [[Float]], _ layout: Layout) -> [[Float]] {
        switch layout {
        case .stereo: return stereo
        case .mono: return [zip(stereo[0], stereo[1]).map { ($0 + $1) / 2 }]
        case .surround51:
            let silent = [Float](repeating: 0, count: stereo[0].count)
            if stereo[0] == stereo[1] { return [silent, silent, stereo[0], silent, silent, silent] }
            return [stereo[0], stereo[1], silent, silent, stereo[0].map { $0 / 2 }, stereo[1].map { $0 / 2 }]
        }
    }

    /// Writes planar channels at 48 kHz as `format` at `rate` (resampled with libsoxr).
    static func write(_ planar48k: [[Float]], to path: String, format: Format, rate: Int) throws {
        var planar = planar48k
        if rate != 48000 {
            let resampler = try Resampler(inputRate: 48000, outputRate: Double(rate), channels: planar.count)
            var out = resampler.process(planar)
            var tail = resampler.process(nil)
            while !tail[0].isEmpty { for c in out.indices { out[c] += tail[c] }; tail = resampler.process(nil) }
            let frames = Int((Double(planar48k[0].count) * Double(rate) / 48000).rounded())
            planar = out.map { Array($0.prefix(frames)) + [Float](repeating: 0, count: max(0, frames - $0.count)) }
        }
        var info = SF_INFO()
        info.samplerate = Int32(rate)
        info.channels = Int32(planar.count)
        info.format = format.sndfileFormat
        guard let handle = sf_open(path, Int32(SFM_WRITE), &info) else {
            throw EarshotError(.environment, file: path, "cannot write \(format) at \(rate) Hz: \(String(cString: sf_strerror(nil)))")
        }
        defer { sf_close(handle) }
        let frames = planar[0].count, channels = planar.count
        var interleaved = [Float](repeating: 0, count: frames * channels)
        for c in 0..<channels { for i in 0..<frames { interleaved[i * channels + c] = planar[c][i] } }
        let written = interleaved.withUnsafeBufferPointer { sf_writef_float(handle, $0.baseAddress, sf_count_t(frames)) }
        guard written == frames else { throw EarshotError(.environment, file: path, "short write: \(String(cString: sf_strerror(handle)))") }
    }

    /// Word timings as WhisperX-style JSON (one segment per line).
    static func writeWords(_ words: [SyntheticTalker.Word], to path: String) throws {
        let segments: [[String: Any]] = words.map {
            ["start": $0.startSeconds, "end": $0.endSeconds, "text": $0.text,
             "words": [["word": $0.text, "start": $0.startSeconds, "end": $0.endSeconds, "score": 0.9]]]
        }
        let data = try JSONSerialization.data(withJSONObject: ["segments": segments], options: [.sortedKeys])
        try data.write(to: URL(fileURLWithPath: path))
    }
}

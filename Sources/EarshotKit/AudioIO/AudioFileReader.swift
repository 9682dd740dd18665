import CSndFile
import Foundation

/// Facts about an audio file as libsndfile reads them from its header.
public struct AudioFileInfo: Sendable, Equatable {
    public var path: String
    public var sampleRate: Int
    public var channels: Int
    public var frames: Int
    /// libsndfile's major format name, e.g. "WAV (Microsoft)".
    public var formatName: String
    /// BWF `bext` time reference: samples since midnight at the file's own rate, if present.
    public var timeReferenceSamples: UInt64?
    /// The perceptual codec the samples went through ("MP3", "Ogg Vorbis", "Opus", …), nil for
    /// PCM and lossless formats. A lossy file does not hold the exact samples it was made
    /// from: its coding noise, and an encoder's delay or padding, show up against other files.
    public var lossyCoding: String? = nil

    public var durationSeconds: Double { sampleRate > 0 ? Double(frames) / Double(sampleRate) : 0 }

    /// Start time of the file in seconds since midnight, from the BWF time reference.
    public var timeReferenceSeconds: Double? {
        timeReferenceSamples.map { Double($0) / Double(sampleRate) }
    }
}

/// Reads an audio file in blocks of interleaved `Float` frames through libsndfile
/// (WAV, BWF, FLAC, AIFF, OGG, ...). Every block is checked for NaN/Inf, and a file that ends
/// before its header says is reported as truncated: the error names the file and the sample.
public final class AudioFileReader {
    public let info: AudioFileInfo
    private var handle: OpaquePointer?
    private(set) public var framesRead = 0

    public init(path: String) throws {
        var sfinfo = SF_INFO()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw EarshotError.badInput(file: path, "no such file")
        }
        if isDirectory.boolValue { throw EarshotError.badInput(file: path, "is a folder, not an audio file") }
        guard let handle = sf_open(path, Int32(SFM_READ), &sfinfo) else {
            let reason = String(cString: sf_strerror(nil))
            throw EarshotError.badInput(file: path, location: "header", "not a readable audio file (\(reason))")
        }
        self.handle = handle
        var format = SF_FORMAT_INFO()
        format.format = sfinfo.format & Int32(SF_FORMAT_TYPEMASK)
        var name = "unknown format"
        if sf_command(nil, Int32(SFC_GET_FORMAT_INFO), &format, Int32(MemoryLayout<SF_FORMAT_INFO>.size)) == 0,
           let cname = format.name {
            name = String(cString: cname)
        }
        var bext = SF_BROADCAST_INFO()
        var timeReference: UInt64?
        if sf_command(handle, Int32(SFC_GET_BROADCAST_INFO), &bext, Int32(MemoryLayout<SF_BROADCAST_INFO>.size)) == Int32(SF_TRUE) {
            timeReference = UInt64(bext.time_reference_high) << 32 | UInt64(bext.time_reference_low)
        }
        info = AudioFileInfo(path: path, sampleRate: Int(sfinfo.samplerate), channels: Int(sfinfo.channels),
                             frames: Int(sfinfo.frames), formatName: name, timeReferenceSamples: timeReference,
                             lossyCoding: Self.lossyCoding(subtype: sfinfo.format & Int32(SF_FORMAT_SUBMASK)))
        // libsndfile reads a WAV/AIFF whose header and data disagree and quietly goes by the
        // shorter; its log says so. Either way the file is bad input.
        var log = [CChar](repeating: 0, count: 8192)
        sf_command(handle, Int32(SFC_GET_LOG_INFO), &log, Int32(log.count))
        do {
            try AudioHeaderChecks.check(info, log: String(cString: log),
                                        bytesPerFrame: AudioHeaderChecks.bytesPerFrame(format: sfinfo.format, channels: info.channels))
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// libsndfile's encoding subtype as the name of a lossy codec, nil when the samples are exact.
    static func lossyCoding(subtype: Int32) -> String? {
        switch subtype {
        case Int32(SF_FORMAT_MPEG_LAYER_III): return "MP3"
        case Int32(SF_FORMAT_MPEG_LAYER_II): return "MPEG Layer II"
        case Int32(SF_FORMAT_MPEG_LAYER_I): return "MPEG Layer I"
        case Int32(SF_FORMAT_VORBIS): return "Ogg Vorbis"
        case Int32(SF_FORMAT_OPUS): return "Opus"
        default: return nil
        }
    }

    private func close() {
        if let handle { sf_close(handle) }
        handle = nil
    }

    /// Reads up to `maxFrames` interleaved frames into `buffer` (which must hold
    /// `maxFrames * channels` floats). Returns the number of frames read; 0 at the end.
    public func read(into buffer: UnsafeMutablePointer<Float>, maxFrames: Int) throws -> Int {
        guard let handle else { return 0 }
        let remaining = info.frames - framesRead
        if remaining <= 0 { return 0 }
        let want = min(maxFrames, remaining)
        let got = Int(sf_readf_float(handle, buffer, sf_count_t(want)))
        if got < want {
            let err = sf_error(handle)
            let detail = err != 0 ? " (\(String(cString: sf_strerror(handle))))" : ""
            throw EarshotError.badInput(file: info.path, location: "sample \(framesRead + got)",
                "file ends early: the header promises \(info.frames) samples per channel\(detail); the file is truncated")
        }
        let count = got * info.channels
        for i in 0..<count where !buffer[i].isFinite {
            let frame = framesRead + i / info.channels
            throw EarshotError.badInput(file: info.path, location: "sample \(frame), channel \(i % info.channels + 1)",
                "\(buffer[i].isNaN ? "NaN" : "infinite") sample value; audio must be finite")
        }
        framesRead += got
        return got
    }
}

import CSndFile
import Foundation

/// Sample format of a written WAV file.
public enum WAVSampleFormat: String, Sendable, CaseIterable {
    case pcm24 = "pcm24"
    case float32 = "float32"

    var sndfileFormat: Int32 {
        switch self {
        case .pcm24: return Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_24)
        case .float32: return Int32(SF_FORMAT_WAV | SF_FORMAT_FLOAT)
        }
    }
}

/// Writes a WAV file (24-bit PCM or 32-bit float) through libsndfile, in blocks.
/// The file is written under a temporary name beside the destination and renamed into place by
/// `finish()`; a writer dropped without `finish()` removes its temporary file, so an interrupted
/// or failed run never leaves a half-written file under the real name.
public final class AudioFileWriter {
    public let path: String
    public let channels: Int
    private let temporaryPath: String
    private var handle: OpaquePointer?
    private var interleaved: [Float] = []

    public init(path: String, sampleRate: Int, channels: Int, format: WAVSampleFormat,
                timeReferenceSamples: UInt64? = nil) throws {
        self.path = path
        self.channels = channels
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw EarshotError.badInput(file: path, "cannot write: folder \(dir) does not exist")
        }
        temporaryPath = dir + "/." + url.lastPathComponent + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = Int32(channels)
        info.format = format.sndfileFormat
        guard let h = sf_open(temporaryPath, Int32(SFM_WRITE), &info) else {
            throw EarshotError(.environment, file: path, "cannot write (\(String(cString: sf_strerror(nil))))")
        }
        handle = h
        if format == .pcm24 {
            // Clip rather than wrap when float data exceed full scale.
            sf_command(h, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
        }
        if let timeReferenceSamples {
            var bext = SF_BROADCAST_INFO()
            bext.time_reference_low = UInt32(timeReferenceSamples & 0xFFFF_FFFF)
            bext.time_reference_high = UInt32(timeReferenceSamples >> 32)
            bext.version = 1
            sf_command(h, Int32(SFC_SET_BROADCAST_INFO), &bext, Int32(MemoryLayout<SF_BROADCAST_INFO>.size))
        }
    }

    deinit {
        if let handle {
            sf_close(handle)
            unlink(temporaryPath)
        }
    }

    /// Appends planar channels (all the same length).
    public func write(_ planar: [[Float]]) throws {
        guard let handle else { return }
        precondition(planar.count == channels)
        let frames = planar[0].count
        interleaved.removeAll(keepingCapacity: true)
        interleaved.reserveCapacity(frames * channels)
        for i in 0..<frames { for c in 0..<channels { interleaved.append(planar[c][i]) } }
        let written = interleaved.withUnsafeBufferPointer { sf_writef_float(handle, $0.baseAddress, sf_count_t(frames)) }
        if written != frames {
            throw EarshotError(.environment, file: path, "write failed (\(String(cString: sf_strerror(handle))))")
        }
    }

    public func write(_ block: StereoBlock) throws {
        if channels == 1 { try write([block.left]) } else { try write([block.left, block.right]) }
    }

    /// Closes the file and moves it to its real name.
    public func finish() throws {
        guard let h = handle else { return }
        handle = nil
        sf_close(h)
        if rename(temporaryPath, path) != 0 {
            unlink(temporaryPath)
            throw EarshotError(.environment, file: path, "cannot move the finished file into place")
        }
    }
}

import Foundation

/// One rendered signal ready for playback: interleaved stereo float frames, either in memory
/// or in a float WAV file mapped into memory (`mmap`), so a long programme costs address space
/// and page cache, not resident memory. Reads outside the track give silence.
public final class AuditionTrack {
    public let frames: Int
    /// Start of the interleaved samples (not necessarily 4-byte aligned when mapped).
    private let base: UnsafeRawPointer
    private enum Storage {
        case memory(UnsafeMutablePointer<Float>)
        case mapped(UnsafeMutableRawPointer, length: Int)
    }
    private let storage: Storage
    /// The WAV file behind a mapped track.
    public let path: String?

    init(memory: UnsafeMutablePointer<Float>, frames: Int) {
        self.frames = frames
        base = UnsafeRawPointer(memory)
        storage = .memory(memory)
        path = nil
    }

    /// Maps a float32 stereo WAV file written by `AudioFileWriter`.
    init(mappingWAV path: String, frames: Int) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw EarshotError(.environment, file: path, "cannot open the rendered file") }
        defer { Foundation.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw EarshotError(.environment, file: path, "cannot read the rendered file's size") }
        let length = Int(info.st_size)
        guard let mapping = mmap(nil, max(length, 1), PROT_READ, MAP_SHARED, fd, 0), mapping != MAP_FAILED else {
            throw EarshotError(.environment, file: path, "cannot map the rendered file into memory")
        }
        guard let offset = AuditionTrack.dataChunkOffset(UnsafeRawPointer(mapping), length: length),
              offset + frames * 8 <= length else {
            munmap(mapping, max(length, 1))
            throw EarshotError(.environment, file: path, "the rendered file has no complete data chunk")
        }
        madvise(mapping, length, MADV_SEQUENTIAL)
        self.frames = frames
        base = UnsafeRawPointer(mapping) + offset
        storage = .mapped(mapping, length: max(length, 1))
        self.path = path
    }

    deinit {
        switch storage {
        case .memory(let p): p.deallocate()
        case .mapped(let p, let length): munmap(p, length)
        }
    }

    /// Byte offset of the samples in a RIFF/WAVE file (the body of its `data` chunk).
    static func dataChunkOffset(_ p: UnsafeRawPointer, length: Int) -> Int? {
        func tag(_ at: Int) -> String { String(decoding: UnsafeRawBufferPointer(start: p + at, count: 4), as: UTF8.self) }
        func u32(_ at: Int) -> Int { Int(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: at, as: UInt32.self))) }
        guard length >= 12, tag(0) == "RIFF" || tag(0) == "RF64", tag(8) == "WAVE" else { return nil }
        var at = 12
        while at + 8 <= length {
            let size = u32(at + 4)
            if tag(at) == "data" { return at + 8 }
            at += 8 + size + (size & 1)
        }
        return nil
    }

    /// Adds `count` frames starting at track frame `frame`, times `gain` and the per-frame
    /// weights, into `out` (interleaved). Frames outside the track add nothing.
    func accumulate(from frame: Int, count: Int, gain: Float, weights: UnsafePointer<Float>,
                    into out: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let first = max(frame, 0), last = min(frame + count, frames)
        guard last > first, gain != 0 else { return }
        let skip = first - frame, n = last - first
        // Copy first: a mapped file's samples may sit at any byte offset.
        UnsafeMutableRawPointer(scratch).copyMemory(from: base + first * 8, byteCount: n * 8)
        for i in 0..<n {
            let w = gain * weights[skip + i]
            out[2 * (skip + i)] += w * scratch[2 * i]
            out[2 * (skip + i) + 1] += w * scratch[2 * i + 1]
        }
    }

    /// `count` frames from `frame` as planar stereo (silence outside the track): for tests and
    /// for measuring what was played.
    public func read(from frame: Int, count: Int) -> StereoBlock {
        var block = StereoBlock(frames: count)
        let first = max(frame, 0), last = min(frame + count, frames)
        guard last > first else { return block }
        for f in first..<last {
            block.left[f - frame] = base.loadUnaligned(fromByteOffset: f * 8, as: Float.self)
            block.right[f - frame] = base.loadUnaligned(fromByteOffset: f * 8 + 4, as: Float.self)
        }
        return block
    }
}

/// Collects a track block by block: in memory (a buffer of the final size, allocated up front)
/// or as a float32 WAV file that is mapped when finished.
final class AuditionTrackWriter {
    let frames: Int
    private var memory: UnsafeMutablePointer<Float>?
    private var file: AudioFileWriter?
    private let path: String?
    private var written = 0

    init(frames: Int, filePath: String?) throws {
        self.frames = frames
        path = filePath
        if let filePath {
            file = try AudioFileWriter(path: filePath, sampleRate: AudioSource.processingRate, channels: 2, format: .float32)
        } else {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(frames * 2, 1))
            p.initialize(repeating: 0, count: max(frames * 2, 1))
            memory = p
        }
    }

    deinit { memory?.deallocate() }

    /// Appends frames (at most up to the track's length).
    func append(_ block: StereoBlock) throws {
        let n = min(block.frames, frames - written)
        guard n > 0 else { return }
        if let memory {
            for i in 0..<n {
                memory[2 * (written + i)] = block.left[i]
                memory[2 * (written + i) + 1] = block.right[i]
            }
        } else if let file {
            try file.write(n == block.frames ? block : StereoBlock(left: Array(block.left[0..<n]), right: Array(block.right[0..<n])))
        }
        written += n
    }

    func finish() throws -> AuditionTrack {
        if written < frames { try append(StereoBlock(frames: frames - written)) }
        if let memory {
            self.memory = nil
            return AuditionTrack(memory: memory, frames: frames)
        }
        try file!.finish()
        file = nil
        return try AuditionTrack(mappingWAV: path!, frames: frames)
    }
}

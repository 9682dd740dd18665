import CSndFile
import Foundation

/// Checks on what libsndfile read from an audio file's header, before any sample is used. Each
/// failure is a bad-input error naming the file and the place: "header", the sample where a
/// truncated file ends, or the byte where a header that claims too little audio says it ends.
enum AudioHeaderChecks {
    /// Sample rates Earshot reads: telephone speech to the highest rates converters run at. A
    /// header outside this range is wrong (a 1 Hz header would make two seconds of samples
    /// into a day of programme).
    static let sampleRatesHz = 8000...768_000

    /// All the checks, in order: channels and rate, the length against the file, some audio.
    static func check(_ info: AudioFileInfo, log: String, bytesPerFrame: Int?) throws {
        try checkFormat(info)
        try checkLength(info, log: log, bytesPerFrame: bytesPerFrame)
        if info.frames <= 0 {
            throw EarshotError.badInput(file: info.path, location: "header", "contains no audio (0 samples)")
        }
    }

    static func checkFormat(_ info: AudioFileInfo) throws {
        guard info.channels > 0, info.sampleRate > 0 else {
            throw EarshotError.badInput(file: info.path, location: "header", "gives \(info.channels) channels at \(info.sampleRate) Hz")
        }
        guard sampleRatesHz.contains(info.sampleRate) else {
            throw EarshotError.badInput(file: info.path, location: "header",
                "gives a sample rate of \(info.sampleRate) Hz; Earshot reads \(sampleRatesHz.lowerBound)–\(sampleRatesHz.upperBound) Hz, so the header is wrong")
        }
    }

    /// Bytes one frame takes in the file, for the PCM and float encodings; nil for compressed ones.
    static func bytesPerFrame(format: Int32, channels: Int) -> Int? {
        let bytes: Int
        switch format & Int32(SF_FORMAT_SUBMASK) {
        case Int32(SF_FORMAT_PCM_S8), Int32(SF_FORMAT_PCM_U8), Int32(SF_FORMAT_ULAW), Int32(SF_FORMAT_ALAW): bytes = 1
        case Int32(SF_FORMAT_PCM_16): bytes = 2
        case Int32(SF_FORMAT_PCM_24): bytes = 3
        case Int32(SF_FORMAT_PCM_32), Int32(SF_FORMAT_FLOAT): bytes = 4
        case Int32(SF_FORMAT_DOUBLE): bytes = 8
        default: return nil
        }
        return bytes * channels
    }

    /// The length the header gives against the bytes the file holds, from libsndfile's log of
    /// its header parse:
    /// - a data chunk cut short ("data : 768000 (should be 29912)"): libsndfile would quietly
    ///   read the shorter file, so the file is reported truncated at the sample where it ends;
    /// - a data chunk followed by a large stretch of bytes that are not chunks ("Unknown chunk
    ///   marker … at position P"): the header claims less audio than the file holds, and
    ///   libsndfile would quietly read only that much. A little zero padding after the data,
    ///   which some recorders write, is not an error.
    static func checkLength(_ info: AudioFileInfo, log: String, bytesPerFrame: Int?) throws {
        let lines = log.split(separator: "\n")
        for line in lines where (line.hasPrefix("data") || line.hasPrefix("SSND")) && line.contains("(should be") {
            let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            var detail = ""
            if numbers.count >= 2 {
                if let bytesPerFrame {
                    detail = ": the header promises \(numbers[0] / bytesPerFrame) samples (\(numbers[0]) bytes of audio), the file ends after \(info.frames) (\(numbers[1]) bytes)"
                } else {
                    detail = ": the header promises \(numbers[0]) bytes of audio, the file holds \(numbers[1])"
                }
            }
            throw EarshotError.badInput(file: info.path, location: "sample \(info.frames)", "the file is truncated\(detail); export it again")
        }
        guard lines.contains(where: { $0.hasPrefix("data") }),
              let marker = lines.first(where: { $0.contains("Unknown chunk marker") && $0.contains("Exiting parser") }),
              let positionText = marker.components(separatedBy: "at position ").last?.split(whereSeparator: { !$0.isNumber }).first,
              let position = Int(positionText),
              let size = (try? FileManager.default.attributesOfItem(atPath: info.path))?[.size] as? Int else { return }
        let following = size - position
        let frameBytes = bytesPerFrame ?? info.channels * 2
        // A tenth of a second of audio, and at least 4 kB, that is not all zeros.
        guard following >= max(4096, frameBytes * info.sampleRate / 10), !isZeroPadding(info.path, from: position) else { return }
        throw EarshotError.badInput(file: info.path, location: "byte \(position)",
            "the header says the audio ends here, after \(info.frames) samples, but \(following) more bytes follow that are not part of any chunk (about \(following / frameBytes) samples): the header's length is wrong; export the file again")
    }

    /// True when the first megabyte from `offset` on is all zero bytes.
    private static func isZeroPadding(_ path: String, from offset: Int) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: UInt64(offset))) != nil,
              let data = try? handle.read(upToCount: 1 << 20) else { return false }
        return data.allSatisfy { $0 == 0 }
    }
}

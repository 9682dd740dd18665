import CSoxr

/// Streaming sample-rate conversion of planar stereo through libsoxr (high quality, linear phase).
public final class Resampler {
    public let inputRate: Double
    public let outputRate: Double
    private let soxr: soxr_t
    private var interleavedIn: [Float] = []
    private var interleavedOut: [Float] = []
    private let channels: Int

    public init(inputRate: Double, outputRate: Double, channels: Int = 2) throws {
        self.inputRate = inputRate
        self.outputRate = outputRate
        self.channels = channels
        var error: soxr_error_t?
        var io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
        var quality = soxr_quality_spec(UInt(SOXR_HQ), 0)
        guard let s = soxr_create(inputRate, outputRate, UInt32(channels), &error, &io, &quality, nil), error == nil else {
            throw EarshotError(.environment, "cannot resample \(inputRate) Hz to \(outputRate) Hz (libsoxr)")
        }
        soxr = s
    }

    deinit { soxr_delete(soxr) }

    /// Converts one block of planar channels; pass `nil` once at the end to flush.
    /// Returns the converted planar channels (possibly empty while the filter fills).
    public func process(_ input: [[Float]]?) -> [[Float]] {
        let inFrames = input?.first?.count ?? 0
        if let input {
            interleavedIn.removeAll(keepingCapacity: true)
            interleavedIn.reserveCapacity(inFrames * channels)
            for i in 0..<inFrames { for c in 0..<channels { interleavedIn.append(input[c][i]) } }
        }
        var result = [[Float]](repeating: [], count: channels)
        let capacity = Int(Double(max(inFrames, 1024)) * outputRate / inputRate) + 1024
        if interleavedOut.count < capacity * channels {
            interleavedOut = [Float](repeating: 0, count: capacity * channels)
        }
        var consumedTotal = 0
        repeat {
            var done = 0, produced = 0
            interleavedOut.withUnsafeMutableBufferPointer { out in
                if input == nil {
                    soxr_process(soxr, nil, 0, nil, out.baseAddress, capacity, &produced)
                } else {
                    interleavedIn.withUnsafeBufferPointer { inp in
                        soxr_process(soxr, inp.baseAddress! + consumedTotal * channels, inFrames - consumedTotal,
                                     &done, out.baseAddress, capacity, &produced)
                    }
                }
            }
            consumedTotal += done
            for c in 0..<channels {
                result[c].reserveCapacity(result[c].count + produced)
                for i in 0..<produced { result[c].append(interleavedOut[i * channels + c]) }
            }
            if input == nil && produced == 0 { break }
            if input != nil && consumedTotal >= inFrames && produced < capacity { break }
        } while true
        return result
    }
}

import CSoxr

/// Whole-signal conversion to STOI's 10 kHz analysis rate with libsoxr, written straight into
/// one output buffer (faster than `Resampler`, which interleaves and appends block by block).
/// STOI's bands end at 4.3 kHz, so libsoxr's low-quality recipe (16-bit precision, linear
/// phase) with its passband to 4.5 kHz is ample.
///
/// The reference code resamples with a Kaiser-windowed polyphase filter instead (MATLAB's
/// `resample`); both are flat over STOI's bands (150 Hz – 4.3 kHz), and STOI values differ by
/// about 3e-5 on the reference speech pairs (test tolerance 0.005). The output has ceil(count · 10000 / rate) samples, as the reference's.
enum ResampleTo10kHz {
    /// Input samples handed to libsoxr per call.
    static let chunkSamples = 1 << 16

    static func convert(_ samples: [Float], from sampleRate: Int) throws -> [Float] {
        let outputRate = Double(STOIConstants.sampleRateHz)
        let wanted = Int((Double(samples.count) * outputRate / Double(sampleRate)).rounded(.up))
        var out = [Float](repeating: 0, count: wanted)
        var io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
        var quality = soxr_quality_spec(UInt(SOXR_LQ), 0)
        // STOI's highest band ends at 4.3 kHz: a passband to 90 % of the 5 kHz Nyquist is ample
        // and lets libsoxr use a much shorter filter.
        quality.passband_end = 0.9
        // Streamed in chunks straight into `out`: libsoxr's one-shot call would first copy the
        // whole input into an internal buffer as large as the signal.
        var error: soxr_error_t?
        guard let resampler = soxr_create(Double(sampleRate), outputRate, 1, &error, &io, &quality, nil), error == nil else {
            throw EarshotError(.environment, "cannot resample \(sampleRate) Hz to \(STOIConstants.sampleRateHz) Hz (libsoxr)")
        }
        defer { soxr_delete(resampler) }
        var produced = 0
        samples.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                var position = 0
                while position < input.count && produced < wanted && error == nil {
                    var consumed = 0, made = 0
                    let chunk = min(chunkSamples, input.count - position)
                    error = soxr_process(resampler, input.baseAddress! + position, chunk, &consumed,
                                         output.baseAddress! + produced, wanted - produced, &made)
                    position += consumed
                    produced += made
                    if consumed == 0 && made == 0 { break }
                }
                // Flush the filter's tail.
                while produced < wanted && error == nil {
                    var made = 0
                    error = soxr_process(resampler, nil, 0, nil, output.baseAddress! + produced, wanted - produced, &made)
                    if made == 0 { break }
                    produced += made
                }
            }
        }
        if error != nil {
            throw EarshotError(.environment, "cannot resample \(sampleRate) Hz to \(STOIConstants.sampleRateHz) Hz (libsoxr)")
        }
        if produced < wanted { out.removeLast(wanted - produced) }
        return out
    }
}

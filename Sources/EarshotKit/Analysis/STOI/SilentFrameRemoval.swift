import Foundation

/// Removal of silent frames before STOI is computed (Taal et al. 2011, section II-A; the
/// reference MATLAB code `removeSilentFrames`, as ported by pystoi 0.4.1).
///
/// Both signals are cut into Hann-windowed 256-sample frames with a hop of 128. A frame is kept
/// when the reference frame's energy is within 40 dB of the loudest reference frame; the same
/// frames are kept in the degraded signal. The kept windowed frames are overlap-added back into
/// two shorter signals. Details the reference code has, and this follows:
/// - frames start at 0, 128, ... strictly before `count − 256`, so a frame that would end exactly
///   at the last sample is not used;
/// - a frame is kept when its energy is strictly above (loudest − 40 dB), energies being
///   20·log10(‖windowed frame‖ + ε);
/// - the overlap-add is not normalized by the window sum (the analysis window is applied again,
///   at the STFT that follows).
struct SilentFrameRemoval {
    /// Indices of the reference frames kept as speech-active, ascending.
    var keptFrames: [Int]
    /// Frames examined.
    var totalFrames: Int
    /// Energy of the loudest reference frame, dB re a unit-norm frame; −∞ for digital silence.
    var loudestFrameDB: Double

    /// Number of analysis frames the reference code takes from `count` samples.
    static func frameCount(samples count: Int) -> Int {
        let n = STOIConstants.frameLength, hop = STOIConstants.hop
        return count > n ? (count - n + hop - 1) / hop : 0
    }

    /// Decides which frames are speech-active from the reference signal alone.
    init(reference x: [Float]) {
        let hop = STOIConstants.hop
        let frames = Self.frameCount(samples: x.count)
        var norms = [Double](repeating: 0, count: frames)
        x.withUnsafeBufferPointer { xp in
            for f in 0..<frames { norms[f] = Self.windowedNorm(xp.baseAddress! + f * hop) }
        }
        self.init(frameNorms: norms)
    }

    /// Decides from the norms of the Hann-windowed reference frames, in order (as
    /// `windowedNorm` gives them).
    init(frameNorms norms: [Double]) {
        totalFrames = norms.count
        let maxNorm = norms.max() ?? 0
        loudestFrameDB = maxNorm > 0 ? 20 * log10(maxNorm) : -.infinity
        let energiesDB = norms.map { 20 * log10($0 + STOIConstants.epsilon) }
        let threshold = (energiesDB.max() ?? 0) - STOIConstants.dynamicRangeDB
        keptFrames = (0..<norms.count).filter { energiesDB[$0] > threshold }
    }

    /// ‖w · x[0..<256]‖ of the frame starting at `frame`, w the analysis window.
    @inline(__always)
    static func windowedNorm(_ frame: UnsafePointer<Float>) -> Double {
        let n = STOIConstants.frameLength
        return STOIConstants.windowCoefficients.withUnsafeBufferPointer { w in
            let wRaw = UnsafeRawPointer(w.baseAddress!)
            let samples = UnsafeRawPointer(frame)
            // Sum of squares in four interleaved partial sums (vectorized).
            var partial = SIMD4<Double>.zero
            for i in Swift.stride(from: 0, to: n, by: 4) {
                let x = SIMD4<Double>(samples.loadUnaligned(fromByteOffset: i * 4, as: SIMD4<Float>.self))
                let v = wRaw.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self) * x
                partial += v * v
            }
            return partial.sum().squareRoot()
        }
    }

    /// The kept windowed frames of `signal` overlap-added with the analysis hop:
    /// `(kept − 1)·128 + 256` samples (empty when nothing was kept).
    func overlapAdd(_ signal: [Float]) -> [Double] {
        let n = STOIConstants.frameLength, hop = STOIConstants.hop
        let outCount = keptFrames.isEmpty ? 0 : (keptFrames.count - 1) * hop + n
        var out = [Double](repeating: 0, count: outCount)
        STOIConstants.windowCoefficients.withUnsafeBufferPointer { w in
            signal.withUnsafeBufferPointer { sp in
                out.withUnsafeMutableBufferPointer { op in
                    for (k, f) in keptFrames.enumerated() {
                        let src = sp.baseAddress! + f * hop, dst = op.baseAddress! + k * hop
                        for i in 0..<n { dst[i] += w[i] * Double(src[i]) }
                    }
                }
            }
        }
        return out
    }
}

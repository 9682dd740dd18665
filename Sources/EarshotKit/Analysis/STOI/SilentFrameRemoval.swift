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
/// - the overlap-add is not normalized by the window sum (the analysis window is applied again,
///   at the STFT that follows).
struct SilentFrameRemoval {
    /// The overlap-added reference and degraded signals, `(kept − 1)·128 + 256` samples each
    /// (empty when nothing was kept).
    var reference: [Double]
    var degraded: [Double]
    /// Frames examined, and frames kept as speech-active.
    var totalFrames: Int
    var keptFrames: Int
    /// Energy of the loudest reference frame, dB re a unit-norm frame; −∞ for digital silence.
    var loudestFrameDB: Double

    /// Number of analysis frames the reference code takes from `count` samples.
    static func frameCount(samples count: Int) -> Int {
        let n = STOIConstants.frameLength, hop = STOIConstants.hop
        return count > n ? (count - n + hop - 1) / hop : 0
    }

    init(reference x: [Float], degraded y: [Float]) {
        precondition(x.count == y.count)
        let n = STOIConstants.frameLength, hop = STOIConstants.hop
        let w = STOIConstants.windowCoefficients
        let frames = Self.frameCount(samples: x.count)
        totalFrames = frames

        // Reference frame energies (norm of the windowed frame), in dB as the reference code
        // computes them: 20·log10(norm + eps).
        var energiesDB = [Double](repeating: 0, count: frames)
        var maxNorm = 0.0
        x.withUnsafeBufferPointer { xp in
            for f in 0..<frames {
                let start = f * hop
                var sum = 0.0
                for i in 0..<n {
                    let v = w[i] * Double(xp[start + i])
                    sum += v * v
                }
                let norm = sum.squareRoot()
                maxNorm = max(maxNorm, norm)
                energiesDB[f] = 20 * log10(norm + STOIConstants.epsilon)
            }
        }
        loudestFrameDB = maxNorm > 0 ? 20 * log10(maxNorm) : -.infinity
        let threshold = (energiesDB.max() ?? 0) - STOIConstants.dynamicRangeDB
        let kept = (0..<frames).filter { energiesDB[$0] > threshold }
        keptFrames = kept.count

        let outCount = kept.isEmpty ? 0 : (kept.count - 1) * hop + n
        var xs = [Double](repeating: 0, count: outCount)
        var ys = [Double](repeating: 0, count: outCount)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                for (k, f) in kept.enumerated() {
                    let src = f * hop, dst = k * hop
                    for i in 0..<n {
                        xs[dst + i] += w[i] * Double(xp[src + i])
                        ys[dst + i] += w[i] * Double(yp[src + i])
                    }
                }
            }
        }
        reference = xs
        degraded = ys
    }
}

import Foundation

/// The intermediate intelligibility measures of STOI and ESTOI, averaged over every
/// 30-frame segment (sliding by one frame) and, for STOI, every band.
enum SegmentCorrelation {
    /// Classic STOI (Taal et al. 2011, eqs. (2)–(6)): per band and segment, the degraded envelope
    /// is scaled to the reference envelope's energy, clipped to at most (1 + 10^(−β/20)) times the
    /// reference (β = −15 dB), and correlated with the reference envelope. The result is the mean
    /// correlation over all bands and segments.
    static func classic(reference x: ThirdOctaveEnvelopes, degraded y: ThirdOctaveEnvelopes, bandCount: Int) -> Double {
        let frames = x.frameCount
        let n = STOIConstants.segmentFrames
        let segments = frames - n + 1
        let eps = STOIConstants.epsilon
        let clipFactor = 1 + pow(10, -STOIConstants.clippingBetaDB / 20)
        var total = 0.0
        var yClipped = [Double](repeating: 0, count: n)
        x.values.withUnsafeBufferPointer { xv in
            y.values.withUnsafeBufferPointer { yv in
                for band in 0..<bandCount {
                    let row = band * frames
                    for s in 0..<segments {
                        let xs = xv.baseAddress! + row + s
                        let ys = yv.baseAddress! + row + s
                        var xEnergy = 0.0, yEnergy = 0.0
                        for i in 0..<n { xEnergy += xs[i] * xs[i]; yEnergy += ys[i] * ys[i] }
                        let alpha = xEnergy.squareRoot() / (yEnergy.squareRoot() + eps)
                        var xMean = 0.0, yMean = 0.0
                        for i in 0..<n {
                            let v = min(alpha * ys[i], clipFactor * xs[i])
                            yClipped[i] = v
                            yMean += v
                            xMean += xs[i]
                        }
                        xMean /= Double(n); yMean /= Double(n)
                        var xx = 0.0, yy = 0.0, xy = 0.0
                        for i in 0..<n {
                            let a = xs[i] - xMean, b = yClipped[i] - yMean
                            xx += a * a; yy += b * b; xy += a * b
                        }
                        total += xy / ((xx.squareRoot() + eps) * (yy.squareRoot() + eps))
                    }
                }
            }
        }
        return total / Double(segments * bandCount)
    }

    /// ESTOI (Jensen & Taal 2016, eqs. (3)–(6)): each 15 × 30 segment of envelopes is normalized
    /// to zero mean and unit norm along time in every band, then along frequency in every frame;
    /// the segment score is the mean over its frames of the inner product of the normalized
    /// reference and degraded spectral columns. The result is the mean over segments.
    ///
    /// The reference code adds machine-epsilon Gaussian noise before each normalization so that an
    /// all-zero row or column does not divide by zero; here such a row or column is left at zero
    /// instead (deterministic, and it contributes 0, the expected value of the noisy version).
    static func extended(reference x: ThirdOctaveEnvelopes, degraded y: ThirdOctaveEnvelopes, bandCount: Int) -> Double {
        let frames = x.frameCount
        let n = STOIConstants.segmentFrames
        let segments = frames - n + 1
        var total = 0.0
        var xm = [Double](repeating: 0, count: bandCount * n)
        var ym = [Double](repeating: 0, count: bandCount * n)
        for s in 0..<segments {
            for band in 0..<bandCount {
                for i in 0..<n {
                    xm[band * n + i] = x.values[band * frames + s + i]
                    ym[band * n + i] = y.values[band * frames + s + i]
                }
            }
            normalizeRowsThenColumns(&xm, rows: bandCount, columns: n)
            normalizeRowsThenColumns(&ym, rows: bandCount, columns: n)
            var sum = 0.0
            for i in 0..<(bandCount * n) { sum += xm[i] * ym[i] }
            total += sum / Double(n)
        }
        return total / Double(segments)
    }

    /// Zero-mean, unit-norm normalization of each row, then of each column, of a row-major matrix.
    static func normalizeRowsThenColumns(_ m: inout [Double], rows: Int, columns: Int) {
        m.withUnsafeMutableBufferPointer { p in
            for r in 0..<rows {
                let base = r * columns
                var mean = 0.0
                for c in 0..<columns { mean += p[base + c] }
                mean /= Double(columns)
                var energy = 0.0
                for c in 0..<columns { p[base + c] -= mean; energy += p[base + c] * p[base + c] }
                let scale = energy > 0 ? 1 / energy.squareRoot() : 0
                for c in 0..<columns { p[base + c] *= scale }
            }
            for c in 0..<columns {
                var mean = 0.0
                for r in 0..<rows { mean += p[r * columns + c] }
                mean /= Double(rows)
                var energy = 0.0
                for r in 0..<rows { p[r * columns + c] -= mean; energy += p[r * columns + c] * p[r * columns + c] }
                let scale = energy > 0 ? 1 / energy.squareRoot() : 0
                for r in 0..<rows { p[r * columns + c] *= scale }
            }
        }
    }
}

import Foundation

/// The intermediate intelligibility measures of STOI and ESTOI, averaged over every
/// 30-frame segment (sliding by one frame) and, for STOI, every band.
///
/// Four consecutive segments are computed together, one per SIMD lane: lane k of a vector loaded
/// at frame m holds frame m + k, so each lane runs exactly the scalar computation of its segment.
enum SegmentCorrelation {
    typealias Lanes = SIMD4<Double>
    static let laneCount = Lanes.scalarCount

    @inline(__always)
    static func load(_ p: UnsafePointer<Double>) -> Lanes {
        UnsafeRawPointer(p).loadUnaligned(as: Lanes.self)
    }

    /// Classic STOI (Taal et al. 2011, eqs. (2)–(6)): per band and segment, the degraded envelope
    /// is scaled to the reference envelope's energy, clipped to at most (1 + 10^(−β/20)) times the
    /// reference (β = −15 dB), and correlated with the reference envelope. The result is the mean
    /// correlation over all bands and segments.
    static func classic(reference x: ThirdOctaveEnvelopes, degraded y: ThirdOctaveEnvelopes, bandCount: Int) -> Double {
        let segments = x.frameCount - STOIConstants.segmentFrames + 1
        let half = bandCount / 2
        let sums = inParallel(0..<half, half..<bandCount) { classicSum(reference: x, degraded: y, bands: $0) }
        return (sums[0] + sums[1]) / Double(segments * bandCount)
    }

    /// Sum of the classic STOI correlations of every segment in `bands`.
    static func classicSum(reference x: ThirdOctaveEnvelopes, degraded y: ThirdOctaveEnvelopes, bands: Range<Int>) -> Double {
        let n = STOIConstants.segmentFrames
        let segments = x.frameCount - n + 1
        let stride = x.rowStride
        let eps = Lanes(repeating: STOIConstants.epsilon)
        let clipFactor = Lanes(repeating: 1 + pow(10, -STOIConstants.clippingBetaDB / 20))
        let count = Lanes(repeating: Double(n))
        var total = 0.0
        var clipped = [Lanes](repeating: .zero, count: n)
        x.values.withUnsafeBufferPointer { xv in
            y.values.withUnsafeBufferPointer { yv in
                clipped.withUnsafeMutableBufferPointer { yc in
                    for band in bands {
                        var s = 0
                        while s < segments {
                            let xs = xv.baseAddress! + band * stride + s
                            let ys = yv.baseAddress! + band * stride + s
                            var xEnergy = Lanes.zero, yEnergy = Lanes.zero
                            for i in 0..<n {
                                let a = load(xs + i), b = load(ys + i)
                                xEnergy += a * a
                                yEnergy += b * b
                            }
                            let alpha = xEnergy.squareRoot() / (yEnergy.squareRoot() + eps)
                            var xMean = Lanes.zero, yMean = Lanes.zero
                            for i in 0..<n {
                                let a = load(xs + i)
                                let v = pointwiseMin(alpha * load(ys + i), clipFactor * a)
                                yc[i] = v
                                yMean += v
                                xMean += a
                            }
                            xMean /= count
                            yMean /= count
                            var xx = Lanes.zero, yy = Lanes.zero, xy = Lanes.zero
                            for i in 0..<n {
                                let a = load(xs + i) - xMean, b = yc[i] - yMean
                                xx += a * a
                                yy += b * b
                                xy += a * b
                            }
                            let r = xy / ((xx.squareRoot() + eps) * (yy.squareRoot() + eps))
                            for k in 0..<min(laneCount, segments - s) { total += r[k] }
                            s += laneCount
                        }
                    }
                }
            }
        }
        return total
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
        let segments = x.frameCount - STOIConstants.segmentFrames + 1
        let groups = (segments + laneCount - 1) / laneCount
        let middle = groups / 2 * laneCount
        let sums = inParallel(0..<middle, middle..<segments) {
            extendedSum(reference: x, degraded: y, bandCount: bandCount, segments: $0)
        }
        return (sums[0] + sums[1]) / Double(segments)
    }

    /// Sum of the ESTOI segment scores of the segments starting at `segments` (a range whose
    /// lower bound is a multiple of `laneCount`).
    static func extendedSum(reference x: ThirdOctaveEnvelopes, degraded y: ThirdOctaveEnvelopes, bandCount: Int,
                            segments: Range<Int>) -> Double {
        let n = STOIConstants.segmentFrames
        let stride = x.rowStride
        var total = 0.0
        // Row-normalized segments, row-major (band, frame), four segments per element.
        var xRows = [Lanes](repeating: .zero, count: bandCount * n)
        var yRows = [Lanes](repeating: .zero, count: bandCount * n)
        x.values.withUnsafeBufferPointer { xv in
            y.values.withUnsafeBufferPointer { yv in
                xRows.withUnsafeMutableBufferPointer { xr in
                    yRows.withUnsafeMutableBufferPointer { yr in
                        var s = segments.lowerBound
                        while s < segments.upperBound {
                            normalizeRows(xv.baseAddress! + s, stride: stride, bands: bandCount, into: xr.baseAddress!)
                            normalizeRows(yv.baseAddress! + s, stride: stride, bands: bandCount, into: yr.baseAddress!)
                            var sum = Lanes.zero
                            for i in 0..<n {
                                sum += normalizedColumnProduct(xr.baseAddress! + i, yr.baseAddress! + i,
                                                               stride: n, bands: bandCount)
                            }
                            let score = sum / Lanes(repeating: Double(n))
                            for k in 0..<min(laneCount, segments.upperBound - s) { total += score[k] }
                            s += laneCount
                        }
                    }
                }
            }
        }
        return total
    }

    /// Runs `body` on two inputs concurrently and returns both results in order.
    static func inParallel<T>(_ first: T, _ second: T, _ body: (T) -> Double) -> [Double] {
        var results = [0.0, 0.0]
        results.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: 2) { i in out[i] = body(i == 0 ? first : second) }
        }
        return results
    }

    /// Zero-mean, unit-norm rows (along time) of the `bands` × 30 segments starting at `first`.
    @inline(__always)
    static func normalizeRows(_ first: UnsafePointer<Double>, stride: Int, bands: Int, into out: UnsafeMutablePointer<Lanes>) {
        let n = STOIConstants.segmentFrames
        for b in 0..<bands {
            let row = first + b * stride
            let dst = out + b * n
            var mean = Lanes.zero
            for i in 0..<n { mean += load(row + i) }
            mean /= Lanes(repeating: Double(n))
            var energy = Lanes.zero
            for i in 0..<n {
                let c = load(row + i) - mean
                dst[i] = c
                energy += c * c
            }
            let scale = inverseNorm(energy)
            for i in 0..<n { dst[i] *= scale }
        }
    }

    /// Inner product of one column (all bands at one frame) of the two row-normalized segments,
    /// after normalizing each column to zero mean and unit norm.
    @inline(__always)
    static func normalizedColumnProduct(_ x: UnsafePointer<Lanes>, _ y: UnsafePointer<Lanes>, stride: Int, bands: Int) -> Lanes {
        var xMean = Lanes.zero, yMean = Lanes.zero
        for b in 0..<bands { xMean += x[b * stride]; yMean += y[b * stride] }
        let count = Lanes(repeating: Double(bands))
        xMean /= count
        yMean /= count
        var xx = Lanes.zero, yy = Lanes.zero, xy = Lanes.zero
        for b in 0..<bands {
            let a = x[b * stride] - xMean, c = y[b * stride] - yMean
            xx += a * a
            yy += c * c
            xy += a * c
        }
        return xy * inverseNorm(xx) * inverseNorm(yy)
    }

    /// 1/sqrt(energy), or 0 where the energy is 0 (an all-zero vector stays zero).
    @inline(__always)
    static func inverseNorm(_ energy: Lanes) -> Lanes {
        let inverse = 1 / energy.squareRoot()
        return inverse.replacing(with: 0, where: energy .<= 0)
    }
}

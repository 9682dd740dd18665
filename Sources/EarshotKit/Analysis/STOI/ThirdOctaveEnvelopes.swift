/// Short-time one-third-octave band envelopes of a 10 kHz signal (Taal et al. 2011, eq. (1)):
/// for each Hann-windowed 256-sample frame (hop 128, zero-padded 512-point DFT) and each band j,
/// X_j(m) = sqrt(Σ_k |X(k, m)|²) over the band's bins.
///
/// As in the reference code, frames start at 0, 128, ... strictly before `count − 256`, so after
/// silent-frame removal of K frames there are K − 1 STFT frames (the last one is dropped).
struct ThirdOctaveEnvelopes {
    /// Zero values after the last frame of each band, so that vector loads of
    /// `SegmentCorrelation.Lanes` starting at any frame stay inside the row.
    static let rowPadding = SegmentCorrelation.laneCount - 1

    /// Number of STFT frames (time index m).
    let frameCount: Int
    /// Distance between the starts of consecutive bands in `values` (frameCount + rowPadding).
    let rowStride: Int
    /// Band-major envelope values: `values[band * rowStride + frame]`, padded with zeros.
    let values: [Double]

    init(signal: [Double], bands: ThirdOctaveBandMatrix = .stoi, fft: RealFFT) {
        let n = STOIConstants.frameLength, hop = STOIConstants.hop
        precondition(fft.size == STOIConstants.fftSize)
        let frames = SilentFrameRemoval.frameCount(samples: signal.count)
        let stride = frames + Self.rowPadding
        frameCount = frames
        rowStride = stride
        var out = [Double](repeating: 0, count: bands.binRanges.count * stride)
        let real = fft.real
        for i in n..<fft.size { real[i] = 0 }
        let spectrum = fft.spectrumFloats
        let ranges = bands.binRanges
        STOIConstants.windowCoefficients.withUnsafeBufferPointer { w in
            signal.withUnsafeBufferPointer { sp in
                out.withUnsafeMutableBufferPointer { op in
                    for m in 0..<frames {
                        let frame = sp.baseAddress! + m * hop
                        for i in 0..<n { real[i] = Float(w[i] * frame[i]) }
                        fft.forward()
                        for j in 0..<ranges.count {
                            var energy = 0.0
                            for k in ranges[j] {
                                let re = Double(spectrum[2 * k]), im = Double(spectrum[2 * k + 1])
                                energy += re * re + im * im
                            }
                            op[j * stride + m] = energy.squareRoot()
                        }
                    }
                }
            }
        }
        values = out
    }
}

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
        let hop = STOIConstants.hop
        precondition(fft.size == STOIConstants.fftSize)
        let frames = SilentFrameRemoval.frameCount(samples: signal.count)
        let stride = frames + Self.rowPadding
        var out = [Double](repeating: 0, count: bands.binRanges.count * stride)
        signal.withUnsafeBufferPointer { sp in
            out.withUnsafeMutableBufferPointer { op in
                for m in 0..<frames {
                    Self.bandEnvelopes(of: sp.baseAddress! + m * hop, bands: bands, fft: fft, into: op.baseAddress! + m, stride: stride)
                }
            }
        }
        self.init(frameCount: frames, rowStride: stride, values: out)
    }

    /// Envelopes already computed, band-major with `rowStride` (at least `frameCount + rowPadding`).
    init(frameCount: Int, rowStride: Int, values: [Double]) {
        precondition(rowStride >= frameCount + Self.rowPadding && values.count >= rowStride * STOIConstants.bandCount)
        self.frameCount = frameCount
        self.rowStride = rowStride
        self.values = values
    }

    /// The band envelopes of one 256-sample frame starting at `frame`: Hann window, zero-padded
    /// 512-point DFT, root of the energy in each band, written to `out[band * stride]`.
    @inline(__always)
    static func bandEnvelopes(of frame: UnsafePointer<Double>, bands: ThirdOctaveBandMatrix, fft: RealFFT,
                              into out: UnsafeMutablePointer<Double>, stride: Int) {
        let n = STOIConstants.frameLength
        let real = fft.real
        for i in n..<fft.size { real[i] = 0 }
        STOIConstants.windowCoefficients.withUnsafeBufferPointer { w in
            for i in 0..<n { real[i] = Float(w[i] * frame[i]) }
        }
        fft.forward()
        let spectrum = fft.spectrumFloats
        let ranges = bands.binRanges
        for j in 0..<ranges.count {
            var energy = 0.0
            for k in ranges[j] {
                let re = Double(spectrum[2 * k]), im = Double(spectrum[2 * k + 1])
                energy += re * re + im * im
            }
            out[j * stride] = energy.squareRoot()
        }
    }
}

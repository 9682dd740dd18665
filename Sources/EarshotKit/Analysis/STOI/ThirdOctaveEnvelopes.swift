/// Short-time one-third-octave band envelopes of a 10 kHz signal (Taal et al. 2011, eq. (1)):
/// for each Hann-windowed 256-sample frame (hop 128, zero-padded 512-point DFT) and each band j,
/// X_j(m) = sqrt(Σ_k |X(k, m)|²) over the band's bins.
///
/// As in the reference code, frames start at 0, 128, ... strictly before `count − 256`, so after
/// silent-frame removal of K frames there are K − 1 STFT frames (the last one is dropped).
struct ThirdOctaveEnvelopes {
    /// Number of STFT frames (time index m).
    let frameCount: Int
    /// Band-major envelope values: `values[band * frameCount + frame]`.
    let values: [Double]

    init(signal: [Double], bands: ThirdOctaveBandMatrix = .stoi, fft: RealFFT) {
        let n = STOIConstants.frameLength, hop = STOIConstants.hop
        precondition(fft.size == STOIConstants.fftSize)
        let w = STOIConstants.windowCoefficients
        let frames = SilentFrameRemoval.frameCount(samples: signal.count)
        frameCount = frames
        let bandCount = bands.binRanges.count
        var out = [Double](repeating: 0, count: bandCount * frames)
        let real = fft.real
        for i in n..<fft.size { real[i] = 0 }
        let spectrum = fft.spectrumFloats
        signal.withUnsafeBufferPointer { sp in
            for m in 0..<frames {
                let start = m * hop
                for i in 0..<n { real[i] = Float(w[i] * sp[start + i]) }
                fft.forward()
                for (j, range) in bands.binRanges.enumerated() {
                    var energy = 0.0
                    for k in range {
                        let re = Double(spectrum[2 * k]), im = Double(spectrum[2 * k + 1])
                        energy += re * re + im * im
                    }
                    out[j * frames + m] = energy.squareRoot()
                }
            }
        }
        values = out
    }
}

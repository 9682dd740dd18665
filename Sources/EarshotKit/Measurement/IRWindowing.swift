import Foundation

/// A stretch of a deconvolved sweep response cut out around one arrival (the linear impulse
/// response, or one harmonic's), with raised-cosine fades at both ends (Farina 2000,
/// section 3: each impulse response is windowed out of the deconvolution on its own).
struct WindowedResponse: Sendable, Equatable {
    /// The windowed samples; the arrival is at `centreIndex`.
    public var samples: [Float]
    public var centreIndex: Int

    /// |H(f)| on the bins of an FFT of `fftSize`, the arrival moved to time zero (so the phase of
    /// where it was cut does not matter; the magnitude does not depend on it anyway).
    public func magnitude(fftSize: Int) -> [Double] {
        let fft = RealFFT(size: fftSize)
        for i in 0..<fftSize { fft.real[i] = 0 }
        for (i, v) in samples.enumerated() {
            let t = i - centreIndex
            let slot = ((t % fftSize) + fftSize) % fftSize
            fft.real[slot] += v
        }
        fft.forward()
        let s = fft.spectrumFloats
        return (0..<fft.binCount).map { b in
            let re = Double(s[2 * b]), im = Double(s[2 * b + 1])
            return (re * re + im * im).squareRoot()
        }
    }

    /// The samples from the arrival's onset on: a short lead before the peak is kept (the part
    /// above −60 dB of the peak, and at least `minimumLeadSamples`), the silence before it dropped.
    public func trimmedToOnset(minimumLeadSamples: Int = 16) -> [Float] {
        guard let peak = samples.map(abs).max(), peak > 0 else { return samples }
        let threshold = peak * 0.001
        let first = samples.firstIndex { abs($0) >= threshold } ?? centreIndex
        return Array(samples[max(0, min(first, centreIndex) - minimumLeadSamples)...])
    }
}

/// How a response is cut out of a deconvolution: `preSamples` before the arrival and
/// `postSamples` from it, fading in over the first `fadeInFraction` of the part before and out
/// over the last `fadeOutFraction` of the part after.
struct IRWindow: Sendable, Equatable {
    public var preSamples: Int
    public var postSamples: Int
    public var fadeInFraction: Double
    public var fadeOutFraction: Double

    public init(preSamples: Int, postSamples: Int, fadeInFraction: Double = 0.5, fadeOutFraction: Double = 0.5) {
        self.preSamples = max(0, preSamples)
        self.postSamples = max(1, postSamples)
        self.fadeInFraction = min(max(fadeInFraction, 0), 1)
        self.fadeOutFraction = min(max(fadeOutFraction, 0), 1)
    }

    /// The window around `arrival` in `signal`; samples outside the signal count as zero.
    public func cut(_ signal: [Float], at arrival: Int) -> WindowedResponse {
        let length = preSamples + postSamples
        var out = [Float](repeating: 0, count: length)
        let fadeIn = Int((Double(preSamples) * fadeInFraction).rounded())
        let fadeOut = Int((Double(postSamples) * fadeOutFraction).rounded())
        for i in 0..<length {
            let source = arrival - preSamples + i
            guard source >= 0 && source < signal.count else { continue }
            var gain = 1.0
            if i < fadeIn { gain = 0.5 - 0.5 * cos(Double.pi * Double(i) / Double(fadeIn)) }
            let fromEnd = length - 1 - i
            if fromEnd < fadeOut { gain *= 0.5 - 0.5 * cos(Double.pi * Double(fromEnd + 1) / Double(fadeOut + 1)) }
            out[i] = signal[source] * Float(gain)
        }
        return WindowedResponse(samples: out, centreIndex: preSamples)
    }
}

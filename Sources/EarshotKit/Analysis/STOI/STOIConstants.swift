/// The fixed parameters of STOI (Taal et al., IEEE TASLP 19(7), 2011, section II) and ESTOI
/// (Jensen & Taal, IEEE/ACM TASLP 24(11), 2016, section III), with the values of the reference
/// MATLAB code and its Python port pystoi 0.4.1.
enum STOIConstants {
    /// Both signals are analysed at 10 kHz (Taal 2011, section II-A).
    static let sampleRateHz = 10_000
    /// Analysis frame: 256 samples (25.6 ms), Hann-windowed, 50 % overlap.
    static let frameLength = 256
    static let hop = 128
    /// Frames are zero-padded to 512 points before the DFT.
    static let fftSize = 512
    /// 15 one-third-octave bands, the lowest centred on 150 Hz (highest about 4.3 kHz).
    static let bandCount = 15
    static let lowestCentreFrequencyHz = 150.0
    /// Short-time segments of N = 30 frames (384 ms) over which envelopes are correlated.
    static let segmentFrames = 30
    /// Lower signal-to-distortion bound β = −15 dB used to clip the normalized degraded envelope.
    static let clippingBetaDB = -15.0
    /// Frames more than 40 dB below the loudest reference frame are removed.
    static let dynamicRangeDB = 40.0
    /// numpy's float64 machine epsilon, which the reference code adds to norms.
    static let epsilon = Double.ulpOfOne
}

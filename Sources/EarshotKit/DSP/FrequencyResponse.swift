import Foundation

/// The magnitude response of a filter, evaluated from its impulse response with FFTW.
struct FrequencyResponse: Sendable {
    public let sampleRate: Int
    public let fftSize: Int
    /// Power |H(f)|² on the FFT bins.
    public let power: [Double]

    public init(impulseResponse: [Float], sampleRate: Int, fftSize: Int? = nil) {
        let n = fftSize ?? max(65536, (2 * impulseResponse.count).nextPowerOfTwo)
        let fft = RealFFT(size: n)
        let (re, im) = fft.forward(impulseResponse)
        power = (0..<re.count).map { Double(re[$0]) * Double(re[$0]) + Double(im[$0]) * Double(im[$0]) }
        self.sampleRate = sampleRate
        self.fftSize = n
    }

    /// Level in dB at one frequency (nearest bin).
    public func levelDB(atHz frequencyHz: Double) -> Double {
        let k = Int((frequencyHz * Double(fftSize) / Double(sampleRate)).rounded())
        return 10 * log10(max(power[min(max(k, 0), power.count - 1)], 1e-30))
    }

    /// Mean power level over a band [lowHz, highHz) in dB (a flat-spectrum band level).
    public func bandLevelDB(lowHz: Double, highHz: Double) -> Double {
        let lo = max(1, Int((lowHz * Double(fftSize) / Double(sampleRate)).rounded(.up)))
        let hi = min(power.count - 1, Int((highHz * Double(fftSize) / Double(sampleRate)).rounded(.down)))
        guard hi >= lo else { return levelDB(atHz: (lowHz + highHz) / 2) }
        var sum = 0.0
        for k in lo...hi { sum += power[k] }
        return 10 * log10(max(sum / Double(hi - lo + 1), 1e-30))
    }

    /// Third-octave band levels (mean power in each band, dB) at the nominal centres given.
    public func thirdOctaveLevelsDB(centresHz: [Double] = ThirdOctave.nominalCentresHz) -> [Double] {
        centresHz.map { f in
            let (lo, hi) = ThirdOctave.bandEdgesHz(centreHz: f)
            return bandLevelDB(lowHz: lo, highHz: hi)
        }
    }
}

/// One-third-octave bands (IEC 61260 base-10: exact centres 1000·10^(k/10), edges at ±1/20 decade).
public enum ThirdOctave {
    /// Nominal centres from 25 Hz to 16 kHz.
    public static let nominalCentresHz: [Double] = [
        25, 31.5, 40, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600,
        2000, 2500, 3150, 4000, 5000, 6300, 8000, 10000, 12500, 16000,
    ]

    /// The exact (base-10) centre for a nominal centre.
    public static func exactCentreHz(nominal: Double) -> Double {
        let k = (10 * log10(nominal / 1000)).rounded()
        return 1000 * pow(10, k / 10)
    }

    public static func bandEdgesHz(centreHz nominal: Double) -> (lowHz: Double, highHz: Double) {
        let c = exactCentreHz(nominal: nominal)
        return (c * pow(10, -0.05), c * pow(10, 0.05))
    }

    /// A-weighting as a power ratio (IEC 61672-1), without logarithms: for per-bin loops.
    public static func aWeightingPower(frequencyHz f: Double) -> Double {
        let f2 = f * f
        let r = 12194.0 * 12194.0 * f2 * f2 / ((f2 + 20.6 * 20.6) * ((f2 + 107.7 * 107.7) * (f2 + 737.9 * 737.9)).squareRoot() * (f2 + 12194.0 * 12194.0))
        return r * r * 1.5848931924611136  // +2.0 dB normalises 1 kHz to 0 dB
    }

    /// A-weighting in dB (IEC 61672-1) at a frequency.
    public static func aWeightingDB(frequencyHz f: Double) -> Double {
        let f2 = f * f
        let num = 12194.0 * 12194.0 * f2 * f2
        let den = (f2 + 20.6 * 20.6) * sqrt((f2 + 107.7 * 107.7) * (f2 + 737.9 * 737.9)) * (f2 + 12194.0 * 12194.0)
        return 20 * log10(num / den) + 2.0
    }
}

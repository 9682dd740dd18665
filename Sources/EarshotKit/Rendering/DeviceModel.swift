import Foundation

/// A device profile made ready for rendering at 48 kHz: its impulse response (measured, or
/// minimum-phase from a frequency response, with any adjustment EQ) normalised to 0 dB in the
/// 1 kHz third-octave band, and the scale from full-scale samples to pascals at the ear.
public struct DeviceModel: Sendable {
    public let profile: DeviceProfile
    public let sampleRate: Int
    public let impulseResponse: [Float]
    /// Dialogue's A-weighted level at the ear re sensitivity + loudness, dB
    /// (`SpeechLevelAtEar.offsetDB`), from this response.
    public let speechOffsetDB: Double

    /// Taps of a minimum-phase IR made from a frequency response.
    public static let minimumPhaseLength = 8192

    public init(profile: DeviceProfile, sampleRate: Int = AudioSource.processingRate) throws {
        self.profile = profile
        self.sampleRate = sampleRate
        let folder = profile.folder
        var ir: [Float]
        if let file = profile.response.impulseResponse {
            ir = try ResponseData.readImpulseResponse(path: try ProfileLoader.resolve(file, in: folder), sampleRate: sampleRate)
        } else if let file = profile.response.frequencyResponse {
            let curve = try ResponseData.readCurve(path: try ProfileLoader.resolve(file, in: folder))
            ir = MinimumPhase.impulseResponse(points: curve, sampleRate: sampleRate, length: DeviceModel.minimumPhaseLength)
        } else {
            throw EarshotError.badInput(file: folder, "profile has no response")
        }
        if let file = profile.response.adjustment {
            let curve = try ResponseData.readCurve(path: try ProfileLoader.resolve(file, in: folder))
            let eq = MinimumPhase.impulseResponse(points: curve, sampleRate: sampleRate, length: 4096)
            ir = DeviceModel.convolve(ir, eq)
        }
        let response = FrequencyResponse(impulseResponse: ir, sampleRate: sampleRate)
        let (lo, hi) = ThirdOctave.bandEdgesHz(centreHz: 1000)
        let levelAt1k = response.bandLevelDB(lowHz: lo, highHz: hi)
        let gain = Float(pow(10, -levelAt1k / 20))
        impulseResponse = ir.map { $0 * gain }
        speechOffsetDB = SpeechLevelAtEar.offsetDB(responseDB: SIIBandTable.oneThirdOctave.centerFrequenciesHz.map {
            let (lo, hi) = ThirdOctave.bandEdgesHz(centreHz: $0)
            return response.bandLevelDB(lowHz: lo, highHz: hi) - levelAt1k
        })
    }

    /// Pascals at the ear per full-scale unit of drive after the device's response: a full-scale
    /// 1 kHz sine (RMS 1/√2) at 100 % volume gives `sensitivityDBSPL`.
    public var pascalsPerFullScale: Float {
        Float(2.0.squareRoot() * 20e-6 * pow(10, profile.level.sensitivityDBSPL / 20))
    }

    /// Third-octave levels of the response, dB re the 1 kHz band.
    public func thirdOctaveResponseDB() -> [(centreHz: Double, levelDB: Double)] {
        let r = FrequencyResponse(impulseResponse: impulseResponse, sampleRate: sampleRate)
        return zip(ThirdOctave.nominalCentresHz, r.thirdOctaveLevelsDB()).map { ($0, $1) }
    }

    /// Full linear convolution of two short filters (FFT multiply).
    static func convolve(_ a: [Float], _ b: [Float]) -> [Float] {
        let n = (a.count + b.count).nextPowerOfTwo
        let fft = RealFFT(size: n)
        let (ar, ai) = fft.forward(a)
        let (br, bi) = fft.forward(b)
        var re = [Float](repeating: 0, count: ar.count), im = re
        for k in 0..<ar.count {
            re[k] = ar[k] * br[k] - ai[k] * bi[k]
            im[k] = ar[k] * bi[k] + ai[k] * br[k]
        }
        return Array(fft.inverse(re: re, im: im)[0..<(a.count + b.count - 1)])
    }
}

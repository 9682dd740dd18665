import Foundation

/// The K-weighting of ITU-R BS.1770-4 (section 2.1, Tables 1 and 2) as a power gain at one
/// frequency: the pre-filter (a high shelf of about +4 dB above 2 kHz, modelling the head) and
/// the RLB high-pass, evaluated from the standard's 48 kHz biquad coefficients. libebur128
/// measures loudness with the same filter; this gives its response where a spectrum, not a
/// signal, is at hand (`SpeechLevelAtEar`).
enum KWeighting {
    /// |H(f)|² of both stages at 48 kHz.
    static func powerGain(frequencyHz f: Double) -> Double {
        let w = 2 * Double.pi * f / 48000
        func biquadPower(_ b: [Double], _ a: [Double]) -> Double {
            // H(e^jw) = (b0 + b1 e^-jw + b2 e^-2jw) / (1 + a1 e^-jw + a2 e^-2jw)
            func power(_ c: [Double]) -> Double {
                let re = c[0] + c[1] * cos(w) + c[2] * cos(2 * w)
                let im = -(c[1] * sin(w) + c[2] * sin(2 * w))
                return re * re + im * im
            }
            return power(b) / power(a)
        }
        let shelf = biquadPower([1.53512485958697, -2.69169618940638, 1.19839281085285],
                                [1.0, -1.69065929318241, 0.73248077421585])
        let highPass = biquadPower([1.0, -2.0, 1.0], [1.0, -1.99004745483398, 0.99007225036621])
        return shelf * highPass
    }
}

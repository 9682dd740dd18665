import Foundation
@testable import EarshotKit

/// A speech-like talker made in code, so behavioural tests know exactly where every word, vowel
/// and sibilant is. Not a speech synthesiser: just enough of speech's structure for the analyses
/// to see what they see in real dialogue.
///
/// - **Vowels**: a harmonic tone complex (harmonics up to 8 kHz) on an f0 falling from 125 to
///   105 Hz over each word, with a slight 5 Hz vibrato; each harmonic is weighted by a formant
///   envelope (four resonance peaks at an adult male's formant frequencies over a −20 dB floor)
///   times a −6 dB/octave tilt above 500 Hz, so the long-term spectrum falls above 500 Hz as
///   running speech does. A raised-cosine syllable envelope (40 ms rise, 60 ms fall) gives
///   the 3–5 Hz syllabic modulation of running speech.
/// - **Sibilant /s/** (90 ms): Gaussian noise shaped in the frequency domain to the broad
///   high-frequency peak of an adult's /s/ — flat from 4 to 6.3 kHz, −10 dB at 10 kHz, about
///   12 dB per octave down below 4 kHz — quieter than the vowels overall but far above them from
///   4 kHz up (25–35 dB above the talker's vowel balance). Played flat its DIN 45692 sharpness is
///   3.2–3.7 acum, an ordinary /s/ (espeak-ng's /s/ reads 2.8–3.3 acum through the same analysis;
///   a plain 4–10 kHz band of noise, 4.2 acum, is sharper than most talkers). A boosted /s/ has
///   `boostDB` more from 6 to 10 kHz and nothing else changed (a harsh microphone or a missing
///   de-esser on one word).
/// - **Fricative /f/**: weak noise 1.5–8 kHz; **plosive /t/**: a 10 ms burst of noise 2–9 kHz
///   and 25 ms of weaker aspiration.
enum SyntheticTalker {
    static let sampleRate = 48000

    enum Vowel {
        case a, e, i, o, u
        /// Formant frequencies (Hz) of an adult male talker (Peterson & Barney 1952, rounded).
        var formantsHz: [Double] {
            switch self {
            case .a: return [730, 1090, 2440, 3400]
            case .e: return [530, 1840, 2480, 3500]
            case .i: return [270, 2290, 3010, 3700]
            case .o: return [570, 840, 2410, 3400]
            case .u: return [300, 870, 2240, 3400]
            }
        }
    }

    enum Consonant: Equatable {
        /// /s/, with `boostDB` more in its 6–10 kHz part.
        case s(boostDB: Double)
        case f, t
        static let s = Consonant.s(boostDB: 0)

        var seconds: Double {
            switch self {
            case .s: return 0.09
            case .f: return 0.07
            case .t: return 0.035
            }
        }

        var isSibilant: Bool { if case .s = self { return true } else { return false } }
    }

    /// One word: an optional onset consonant, one or two vowels, an optional final consonant,
    /// spread over `seconds`, at `levelDB` relative to the talker's normal level (−20: a
    /// whispered line).
    struct Word {
        var text: String
        var onset: Consonant?
        var vowels: [Vowel]
        var coda: Consonant?
        var seconds: Double
        var levelDB: Double
        /// Set by `layout`.
        var startSeconds = 0.0
        var endSeconds: Double { startSeconds + seconds }

        init(_ text: String, _ onset: Consonant?, _ vowels: [Vowel], _ coda: Consonant? = nil, seconds: Double = 0.3, levelDB: Double = 0) {
            self.text = text
            self.onset = onset
            self.vowels = vowels
            self.coda = coda
            self.seconds = seconds
            self.levelDB = levelDB
        }

        var hasSibilant: Bool { (onset?.isSibilant ?? false) || (coda?.isSibilant ?? false) }
    }

    /// Lines of words placed in time: each line starts at its given time and its words follow
    /// one another with `gapSeconds` of silence.
    static func layout(_ lines: [(startSeconds: Double, words: [Word])], gapSeconds: Double = 0.07) -> [Word] {
        var placed: [Word] = []
        for (start, words) in lines {
            var t = start
            for var w in words {
                w.startSeconds = t
                placed.append(w)
                t = w.endSeconds + gapSeconds
            }
        }
        return placed
    }

    /// The talker's voice for `words` in a mono signal of `seconds` (arbitrary scale: set the
    /// level with `SceneFiles.scale(_:toLUFS:)`).
    static func render(_ words: [Word], seconds: Double, seed: UInt64 = 11) -> [Float] {
        var out = [Float](repeating: 0, count: Int(seconds * Double(sampleRate)))
        var random = SeededRandom(seed: seed)
        for word in words {
            let gain = pow(10, word.levelDB / 20)
            var t = word.startSeconds
            var vowelEnd = word.endSeconds
            if let onset = word.onset {
                add(consonant(onset, random: &random), into: &out, at: t, gain: gain)
                t += onset.seconds * 0.8   // the vowel starts under the consonant's tail
            }
            if let coda = word.coda {
                vowelEnd -= coda.seconds * 0.8
                add(consonant(coda, random: &random), into: &out, at: word.endSeconds - coda.seconds, gain: gain)
            }
            let syllable = (vowelEnd - t) / Double(word.vowels.count)
            for vowel in word.vowels {
                let progress = (t - word.startSeconds) / word.seconds
                let f0Start = 125 - 20 * progress, f0End = 125 - 20 * (progress + syllable / word.seconds)
                add(self.vowel(vowel, seconds: syllable, f0StartHz: f0Start, f0EndHz: f0End), into: &out, at: t, gain: gain)
                t += syllable
            }
        }
        return out
    }

    private static func add(_ x: [Float], into out: inout [Float], at seconds: Double, gain: Double) {
        let start = Int((seconds * Double(sampleRate)).rounded())
        for i in 0..<x.count where start + i >= 0 && start + i < out.count { out[start + i] += x[i] * Float(gain) }
    }

    /// A syllable's vowel: harmonics of a gliding f0 weighted by the formant envelope.
    static func vowel(_ vowel: Vowel, seconds: Double, f0StartHz: Double, f0EndHz: Double) -> [Float] {
        let n = Int(seconds * Double(sampleRate))
        let rate = Double(sampleRate)
        var out = [Float](repeating: 0, count: n)
        let block = 240   // the harmonic weights follow f0 every 5 ms
        var phase = 0.0
        var start = 0
        out.withUnsafeMutableBufferPointer { y in
            while start < n {
                let end = min(n, start + block)
                let f0 = f0StartHz + (f0EndHz - f0StartHz) * Double(start) / Double(n)
                let weights = (1...Int(8000 / f0)).map { envelope(frequencyHz: Double($0) * f0, formantsHz: vowel.formantsHz) }
                weights.withUnsafeBufferPointer { w in
                    for i in start..<end {
                        let f = f0 + 1.5 * sin(2 * .pi * 5 * Double(i) / rate)
                        phase += 2 * .pi * f / rate
                        if phase > 2 * .pi { phase -= 2 * .pi }
                        // sin(kθ) by the Chebyshev recursion: one sin and one cos per sample.
                        let c2 = 2 * cos(phase)
                        var previous = 0.0, current = sin(phase), sum = 0.0
                        for k in 0..<w.count {
                            sum += w[k] * current
                            let next = c2 * current - previous
                            previous = current
                            current = next
                        }
                        y[i] = Float(sum * syllableEnvelope(i, n))
                    }
                }
                start = end
            }
        }
        return out
    }

    /// Formant envelope: four resonance peaks (bandwidths 80, 100, 150, 250 Hz) over a floor of
    /// −20 dB, times a −6 dB/octave tilt above 500 Hz.
    static func envelope(frequencyHz f: Double, formantsHz: [Double]) -> Double {
        let bandwidths = [80.0, 100, 150, 250]
        var peaks = 0.1
        for (formant, bandwidth) in zip(formantsHz, bandwidths) {
            let x = (f * f - formant * formant) / (f * bandwidth)
            peaks += 1 / (1 + x * x).squareRoot()
        }
        return peaks / (1 + (f / 500) * (f / 500)).squareRoot()
    }

    /// Raised-cosine rise (40 ms) and fall (60 ms).
    static func syllableEnvelope(_ i: Int, _ n: Int) -> Double {
        let rise = Int(0.04 * Double(sampleRate)), fall = Int(0.06 * Double(sampleRate))
        if i < rise { return 0.5 - 0.5 * cos(.pi * Double(i) / Double(rise)) }
        if i >= n - fall { return 0.5 - 0.5 * cos(.pi * Double(n - i) / Double(fall)) }
        return 1
    }

    /// The /s/ spectrum (spectral density, dB, relative): flat 4–6.3 kHz, −4 dB at 8 kHz,
    /// −10 dB at 10 kHz, −9 dB at 3 kHz and −20 dB at 2 kHz.
    static let sibilantSpectrumDB: [(Double, Double)] = [
        (1000, -40), (2000, -20), (3000, -9), (4000, 0), (6300, 0), (8000, -4), (10000, -10), (12500, -18), (16000, -28), (24000, -40),
    ]

    /// The /s/ spectrum with `boostDB` more from 6 to 10 kHz (ramping in from 5 kHz and out to
    /// 12 kHz).
    static func boostedSibilantSpectrumDB(_ boostDB: Double) -> [(Double, Double)] {
        let boost: [(Double, Double)] = [(20, 0), (5000, 0), (6000, boostDB), (10000, boostDB), (12000, 0), (24000, 0)]
        let grid = Set(sibilantSpectrumDB.map(\.0) + boost.map(\.0)).sorted()
        return grid.map { f in (f, SceneFiles.interpolatedDB(sibilantSpectrumDB, at: f) + SceneFiles.interpolatedDB(boost, at: f)) }
    }

    /// A consonant's noise, on the scale of `vowel` (whose formant peaks have amplitude about 1).
    static func consonant(_ c: Consonant, random: inout SeededRandom) -> [Float] {
        let n = Int(c.seconds * Double(sampleRate))
        let ramp = min(Int(0.015 * Double(sampleRate)), n / 3)
        func envelope(_ i: Int) -> Double {
            if i < ramp { return Double(i) / Double(ramp) }
            if i >= n - ramp { return Double(n - i) / Double(ramp) }
            return 1
        }
        switch c {
        case .s(let boostDB):
            let x = shaped(noise(n, &random), spectrumDB: boostDB == 0 ? sibilantSpectrumDB : boostedSibilantSpectrumDB(boostDB))
            return (0..<n).map { Float(Double(x[$0]) * 0.3 * envelope($0)) }
        case .f:
            let x = shaped(noise(n, &random), spectrumDB: [(1000, -20), (1500, 0), (8000, 0), (12000, -20)])
            return (0..<n).map { Float(Double(x[$0]) * 0.08 * envelope($0)) }
        case .t:
            let x = shaped(noise(n, &random), spectrumDB: [(1000, -20), (2000, 0), (9000, 0), (14000, -20)])
            let burst = Int(0.01 * Double(sampleRate))
            return (0..<n).map { Float(Double(x[$0]) * ($0 < burst ? 0.5 : 0.12) * (1 - Double($0) / Double(n))) }
        }
    }

    static func noise(_ n: Int, _ random: inout SeededRandom) -> [Float] {
        (0..<n).map { _ in Float(random.nextGaussian()) }
    }

    /// `x` shaped in the frequency domain to `spectrumDB` (levels interpolated in log
    /// frequency; zero below 20 Hz).
    static func shaped(_ x: [Float], spectrumDB: [(Double, Double)]) -> [Float] {
        let size = x.count.nextPowerOfTwo
        let fft = RealFFT(size: size)
        var (re, im) = fft.forward(x + [Float](repeating: 0, count: size - x.count))
        for k in 0..<re.count {
            let f = Double(k) * Double(sampleRate) / Double(size)
            let g = Float(f < 20 ? 0 : pow(10, SceneFiles.interpolatedDB(spectrumDB, at: f) / 20))
            re[k] *= g; im[k] *= g
        }
        return Array(fft.inverse(re: re, im: im)[0..<x.count])
    }
}

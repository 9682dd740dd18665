import Foundation
import XCTest
@testable import EarshotKit

/// Speech-in-noise conditions of the listening tests the per-word verdict is calibrated against,
/// built in code: running speech (natural sentences tiled, or the synthetic talker with exact
/// word times) at a fixed level at the ear, a masker at a chosen SNR, delivered flat (the studio
/// reference in a quiet room: nothing else reaches the ear), and the share of words the
/// `WordMaskingAnalyzer` flags.
///
/// SNR is the speech's level over its sentences (pauses between sentences excluded, as the
/// speech material of HINT and the matrix tests is calibrated) against the masker's long-term
/// level over the whole programme.
struct SpeechInNoise {
    static let rate = AudioSource.processingRate
    /// The speech level at the ear, dB SPL: the matrix tests' 65 dB SPL.
    static let speechLevelDBSPL = 65.0

    /// The maskers of the calibration.
    enum Masker: String, CaseIterable {
        /// Stationary noise with the speech's own long-term spectrum (random-phase spectrum of
        /// the whole speech signal).
        case stationary
        /// That noise switched on and off by a 10 Hz square wave, 50 % duty, 100 % depth
        /// (Bacon, Opie & Montoya 1998's interrupted noise), rescaled to the same long-term level.
        case interrupted
        /// That noise multiplied by the broadband envelope (10 ms RMS) of an eight-talker babble
        /// made from the same speech, rescaled to the same long-term level.
        case babbleEnvelope = "babble-envelope"
    }

    /// Names the speech in the cache of results.
    let id: String
    let speech: [Float]
    let words: [WordTiming]
    /// Sample ranges of the sentences (for the speech level).
    let sentences: [Range<Int>]

    // MARK: Speech

    /// Natural sentences (CMU ARCTIC SLT a0007 and a0009, the pystoi sample, the torchmetrics
    /// sample) tiled with 0.4 s pauses to about `seconds`; words are the speech units Earshot
    /// finds without a timing file.
    static func natural(seconds: Double = 40) throws -> SpeechInNoise {
        let names = ["speech/cmu-arctic-slt-a0007.wav", "stoi/pystoi-clean.wav", "speech/cmu-arctic-slt-a0009.wav", "stoi/speech-48k.wav"]
        var clips: [[Float]] = []
        for name in names {
            // The unit tier's committed fixtures, read from the checkout.
            let url = TestPackage.root.appendingPathComponent("Tests/EarshotKitTests/Fixtures/" + name)
            let (samples, fileRate) = try AudioFile.readMono(path: url.path)
            clips.append(trimmed(try AudioFile.resample(samples, from: fileRate, to: rate)))
        }
        // Each clip to unit RMS, so the talkers are equally loud.
        clips = clips.map { c in let r = rms(c[...]); return c.map { $0 / r } }
        var out = [Float](repeating: 0, count: Int(0.4 * Double(rate)))
        var sentences: [Range<Int>] = []
        var k = 0
        while Double(out.count) < seconds * Double(rate) {
            let clip = clips[k % clips.count]
            sentences.append(out.count..<(out.count + clip.count))
            out += clip + [Float](repeating: 0, count: Int(0.4 * Double(rate)))
            k += 1
        }
        let timings = SpeechUnits.find(in: SpeechEnvelope(samples: out, sampleRate: rate)).words
        return SpeechInNoise(id: "natural", speech: out, words: timings, sentences: sentences)
    }

    /// The synthetic talker: lines of six words, 0.4 s between lines, exact word times.
    static func synthetic(lines: Int = 12) -> SpeechInNoise {
        typealias W = SyntheticTalker.Word
        let pool: [W] = [W("where", nil, [.e]), W("were", nil, [.o]), W("you", nil, [.u]), W("last", nil, [.a], .s),
                         W("night", nil, [.a, .i], .t), W("told", .t, [.o]), W("not", nil, [.o], .t), W("go", nil, [.o]),
                         W("never", nil, [.e, .a], seconds: 0.35), W("listen", nil, [.i, .e], seconds: 0.35), W("fit", .f, [.i], .t)]
        var layout: [(startSeconds: Double, words: [W])] = []
        var t = 0.4
        for line in 0..<lines {
            let words = (0..<6).map { pool[(line * 5 + $0 * 3) % pool.count] }
            layout.append((t, words))
            t += words.reduce(0) { $0 + $1.seconds + 0.07 } + 0.4
        }
        let placed = SyntheticTalker.layout(layout)
        let speech = SyntheticTalker.render(placed, seconds: t + 0.2)
        let timings = placed.enumerated().map { i, w in
            WordTiming(index: i, text: w.text, startSeconds: w.startSeconds, endSeconds: w.endSeconds, estimated: false)
        }
        let sentences = layout.map { line -> Range<Int> in
            let last = placed.last { $0.startSeconds < line.startSeconds + 10 && $0.startSeconds >= line.startSeconds }!
            return Int(line.startSeconds * Double(rate))..<Int(last.endSeconds * Double(rate))
        }
        return SpeechInNoise(id: "synthetic", speech: speech, words: timings, sentences: sentences)
    }

    // MARK: Maskers

    /// The masker at unit RMS over the programme, from `seed`.
    func masker(_ kind: Masker, seed: UInt64) -> [Float] {
        let n = speech.count
        let size = n.nextPowerOfTwo
        let fft = RealFFT(size: size)
        var (re, im) = fft.forward(speech + [Float](repeating: 0, count: size - n))
        var random = SeededRandom(seed: seed)
        for k in 1..<(re.count - 1) {
            let magnitude = (re[k] * re[k] + im[k] * im[k]).squareRoot()
            let phase = Float(2 * Double.pi * random.nextUniform())
            re[k] = magnitude * cos(phase); im[k] = magnitude * sin(phase)
        }
        re[0] = 0; im[0] = 0; re[re.count - 1] = 0; im[im.count - 1] = 0
        var noise = Array(fft.inverse(re: re, im: im)[0..<n])
        switch kind {
        case .stationary: break
        case .interrupted:
            let half = Self.rate / 20   // 50 ms on, 50 ms off: 10 Hz
            for i in 0..<n where (i / half) % 2 == 1 { noise[i] = 0 }
        case .babbleEnvelope:
            var babble = [Float](repeating: 0, count: n)
            for talker in 0..<8 {
                let shift = (talker * 7919 * Self.rate / 1000) % n
                for i in 0..<n { babble[i] += speech[(i + shift) % n] }
            }
            let window = Self.rate / 100
            for start in stride(from: 0, to: n, by: window) {
                let end = min(n, start + window)
                let e = Self.rms(babble[start..<end])
                for i in start..<end { noise[i] *= e }
            }
        }
        let r = Self.rms(noise[...])
        return noise.map { $0 / r }
    }

    // MARK: Verdict

    /// The words judged at `snrDB` in `masker`: every judged word's verdict.
    func verdicts(masker kind: Masker, snrDB: Double, seed: UInt64 = 1) throws -> [WordMasking] {
        try scenario(masker: kind, snrDB: snrDB, seed: seed).words
    }

    /// Every judged word's verdict and the long-term SII (`WordMaskingAnalyzer.overallSII`,
    /// the scenario's SII in report.json) at `snrDB` in `masker`.
    func scenario(masker kind: Masker, snrDB: Double, seed: UInt64 = 1) throws -> (words: [WordMasking], sii: Double) {
        let key = "\(id)|\(kind.rawValue)|\(snrDB)|\(seed)"
        if let known = Self.cache[key] { return known }
        let result = try measure(masker: kind, snrDB: snrDB, seed: seed)
        Self.cache[key] = result
        return result
    }

    /// Results already measured in this test run (the tests share conditions).
    nonisolated(unsafe) private static var cache: [String: (words: [WordMasking], sii: Double)] = [:]

    private func measure(masker kind: Masker, snrDB: Double, seed: UInt64) throws -> (words: [WordMasking], sii: Double) {
        let speechRMS = sentences.map { Self.meanSquare(speech[$0]) }.reduce(0, +) / Double(sentences.count)
        let speechGain = Float(2e-5 * pow(10, Self.speechLevelDBSPL / 20) / speechRMS.squareRoot())
        let maskerGain = Float(2e-5 * pow(10, (Self.speechLevelDBSPL - snrDB) / 20))
        let dialogue = speech.map { $0 * speechGain }
        let noise = masker(kind, seed: seed).map { $0 * maskerGain }
        let bands = try BandFrameAnalyzer()
        let analyzer = WordMaskingAnalyzer(words: words)
        let block = 8192
        for start in stride(from: 0, to: dialogue.count, by: block) {
            let end = min(dialogue.count, start + block)
            let d = Array(dialogue[start..<end]), m = Array(noise[start..<end])
            try bands.consume(dialogue: StereoBlock(left: d, right: d), maskers: [.me: StereoBlock(left: m, right: m)],
                              deviceGain: [Float](repeating: 1, count: end - start)) { try analyzer.consume($0) }
        }
        let judged = try analyzer.finish().filter { !$0.tooShortToJudge }
        return (judged, try XCTUnwrap(analyzer.overallSII()))
    }

    /// The share of judged words flagged masked at `snrDB`.
    func flaggedFraction(masker kind: Masker, snrDB: Double) throws -> Double {
        let judged = try verdicts(masker: kind, snrDB: snrDB)
        return Double(judged.filter(\.masked).count) / Double(max(1, judged.count))
    }

    /// The SNR at which half the words are flagged, by linear interpolation on a grid from
    /// `highDB` down in `stepDB` steps; nil when the fraction never reaches one half above `lowDB`.
    func halfFlaggedSNR(masker kind: Masker, highDB: Double = 0, lowDB: Double = -40, stepDB: Double = 1) throws -> Double? {
        var previous: (snr: Double, fraction: Double)?
        var snr = highDB
        while snr >= lowDB {
            let f = try flaggedFraction(masker: kind, snrDB: snr)
            if f >= 0.5 {
                guard let p = previous else { return snr }
                return p.snr + (snr - p.snr) * (0.5 - p.fraction) / (f - p.fraction)
            }
            previous = (snr, f)
            snr -= stepDB
        }
        return nil
    }

    // MARK: Helpers

    static func meanSquare(_ x: ArraySlice<Float>) -> Double {
        x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(1, x.count))
    }

    static func rms(_ x: ArraySlice<Float>) -> Float { Float(meanSquare(x).squareRoot()) }

    /// `x` without its leading and trailing stretches quieter than 40 dB below its loudest 10 ms.
    static func trimmed(_ x: [Float]) -> [Float] {
        let window = rate / 100
        let levels = stride(from: 0, to: x.count, by: window).map { meanSquare(x[$0..<min(x.count, $0 + window)]) }
        let floor = (levels.max() ?? 0) * 1e-4
        guard let first = levels.firstIndex(where: { $0 > floor }), let last = levels.lastIndex(where: { $0 > floor }) else { return x }
        return Array(x[(first * window)..<min(x.count, (last + 1) * window)])
    }
}

import Foundation

/// Short-Time Objective Intelligibility: STOI (C. H. Taal, R. C. Hendriks, R. Heusdens,
/// J. Jensen, "An Algorithm for Intelligibility Prediction of Time–Frequency Weighted Noisy
/// Speech", IEEE TASLP 19(7), 2011) and extended STOI, ESTOI (J. Jensen, C. H. Taal, "An Algorithm
/// for Predicting the Intelligibility of Speech Masked by Modulated Noise Maskers", IEEE/ACM
/// TASLP 24(11), 2016).
///
/// Computes what the reference port pystoi 0.4.1 computes: both signals resampled to 10 kHz,
/// silent frames (40 dB below the loudest reference frame) removed, one-third-octave envelopes
/// of 25.6 ms frames, correlated over 384 ms segments. Differences from pystoi, on purpose:
/// - other sample rates are resampled with libsoxr, not pystoi's Kaiser-windowed polyphase filter;
///   on speech at 16 and 48 kHz the values differ by under 1e-5 (at 10 kHz, where nothing is
///   resampled, by under 1e-8);
/// - where pystoi returns 1e-5 with a warning (less than one 30-frame segment of speech left),
///   or computes a meaningless number (a silent reference), this throws `EarshotError`;
/// - ESTOI is deterministic: pystoi adds machine-epsilon random noise before normalizing, which
///   only matters when an envelope row is exactly zero (a digital dropout in the degraded
///   signal); such rows contribute 0 here.
public enum STOI {
    /// Sample rate at which STOI analyses the signals.
    public static let analysisSampleRateHz = STOIConstants.sampleRateHz
    /// Frames per segment, and the segment length in seconds (30 × 12.8 ms = 384 ms).
    public static let segmentFrames = STOIConstants.segmentFrames
    public static let segmentSeconds = Double(STOIConstants.segmentFrames * STOIConstants.hop) / Double(STOIConstants.sampleRateHz)

    /// STOI (`extended == false`) or ESTOI (`extended == true`) of `degraded` against the clean
    /// `reference`, both mono at `sampleRate`, the same length and time-aligned. Higher is more
    /// intelligible. The value is a mean correlation: at most 1 (identical signals), near 0 for
    /// unintelligible speech; ESTOI runs lower than STOI for the same pair.
    ///
    /// `referenceName` and `degradedName` (file names, stem names) are used in error messages.
    public static func compute(reference: [Float], degraded: [Float], sampleRate: Int, extended: Bool = false,
                               referenceName: String? = nil, degradedName: String? = nil) throws -> STOIResult {
        let prepared = try prepare(reference: reference, degraded: degraded, sampleRate: sampleRate,
                                   referenceName: referenceName, degradedName: degradedName)
        return prepared.result(extended: extended)
    }

    /// Both STOI and ESTOI from one pass of resampling, silent-frame removal and STFT.
    public static func computeBoth(reference: [Float], degraded: [Float], sampleRate: Int,
                                   referenceName: String? = nil, degradedName: String? = nil) throws -> STOIScores {
        let prepared = try prepare(reference: reference, degraded: degraded, sampleRate: sampleRate,
                                   referenceName: referenceName, degradedName: degradedName)
        return STOIScores(stoi: prepared.result(extended: false), estoi: prepared.result(extended: true))
    }

    /// The band envelopes of both signals after resampling and silent-frame removal.
    struct Prepared {
        var reference: ThirdOctaveEnvelopes
        var degraded: ThirdOctaveEnvelopes
        var removal: (total: Int, kept: Int)

        func result(extended: Bool) -> STOIResult {
            let bands = STOIConstants.bandCount
            let value = extended
                ? SegmentCorrelation.extended(reference: reference, degraded: degraded, bandCount: bands)
                : SegmentCorrelation.classic(reference: reference, degraded: degraded, bandCount: bands)
            return STOIResult(value: value, extended: extended, analysedFrames: removal.total,
                              speechActiveFrames: removal.kept,
                              segments: reference.frameCount - STOIConstants.segmentFrames + 1)
        }
    }

    static func prepare(reference: [Float], degraded: [Float], sampleRate: Int,
                        referenceName: String?, degradedName: String?) throws -> Prepared {
        let refLabel = referenceName ?? "reference"
        let degLabel = degradedName ?? "degraded"
        guard sampleRate > 0 else {
            throw EarshotError.badInput("sample rate must be positive, got \(sampleRate) Hz")
        }
        guard reference.count == degraded.count else {
            throw EarshotError.badInput(
                "\(refLabel) has \(reference.count) samples but \(degLabel) has \(degraded.count); "
                + "STOI compares time-aligned signals of the same length (trim or pad one of them)")
        }
        // One thread per signal: convert to 10 kHz and check for NaN/Inf; the reference's thread
        // then finds the speech-active frames, which both threads need before they overlap-add
        // the kept frames and compute their band envelopes.
        let needsResampling = sampleRate != STOIConstants.sampleRateHz
        var failures: [Error?] = [nil, nil]
        var removal: SilentFrameRemoval?
        var envelopes: [ThirdOctaveEnvelopes?] = [nil, nil]
        let lock = NSLock()
        let decided = DispatchSemaphore(value: 0)
        envelopes.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                let input = i == 0 ? reference : degraded
                var signal10k: [Float] = []
                do {
                    // A NaN or infinity survives resampling (every output sample it reaches is
                    // non-finite), so the shorter 10 kHz signal is searched, and the input only
                    // to name the sample.
                    signal10k = needsResampling ? try ResampleTo10kHz.convert(input, from: sampleRate) : input
                    if NonFiniteSearch.firstIndex(in: signal10k) != nil {
                        let label = i == 0 ? refLabel : degLabel
                        guard let bad = NonFiniteSearch.firstIndex(in: input) else {
                            throw EarshotError.badInput(file: label, "has samples too large to resample (they overflow to infinity); samples must be finite and within ±1e30")
                        }
                        throw EarshotError.badInput(file: label, location: "sample \(bad)", "is \(input[bad]); samples must be finite")
                    }
                } catch {
                    lock.lock(); failures[i] = error; lock.unlock()
                    if i == 0 { decided.signal() }
                    return
                }
                if i == 0 {
                    let r = SilentFrameRemoval(reference: signal10k)
                    lock.lock(); removal = r; lock.unlock()
                    decided.signal()
                } else {
                    decided.wait()
                }
                lock.lock()
                let kept = removal
                let failed = failures[0] != nil || failures[1] != nil
                lock.unlock()
                guard let kept, !failed, (try? checkEnoughSpeech(kept, referenceSamples: reference.count, sampleRate: sampleRate,
                                                                   referenceName: referenceName)) != nil else { return }
                out[i] = ThirdOctaveEnvelopes(signal: kept.overlapAdd(signal10k), fft: RealFFT(size: STOIConstants.fftSize))
            }
        }
        if let failure = failures[0] ?? failures[1] { throw failure }
        guard let removal else { preconditionFailure("speech-activity pass did not run") }
        try checkEnoughSpeech(removal, referenceSamples: reference.count, sampleRate: sampleRate, referenceName: referenceName)
        guard envelopes[0] != nil, envelopes[1] != nil,
              envelopes[0]!.frameCount == envelopes[1]!.frameCount else {
            preconditionFailure("libsoxr gave different lengths for equal-length inputs")
        }
        return Prepared(reference: envelopes[0]!, degraded: envelopes[1]!,
                        removal: (removal.totalFrames, removal.keptFrames.count))
    }

    /// Length of the overlap-added speech-active signal that gives exactly one 30-frame segment:
    /// 31 kept frames, 30 × 12.8 ms + 25.6 ms = 0.4096 s.
    static let minimumSpeechSeconds = Double(STOIConstants.segmentFrames * STOIConstants.hop
                                             + STOIConstants.frameLength) / Double(STOIConstants.sampleRateHz)

    static func checkEnoughSpeech(_ removal: SilentFrameRemoval, referenceSamples: Int, sampleRate: Int,
                                  referenceName: String?) throws {
        let subject = "reference "
        let needed = String(format: "%.4f", minimumSpeechSeconds)
        if removal.totalFrames == 0 {
            let seconds = String(format: "%.4f", Double(referenceSamples) / Double(sampleRate))
            throw EarshotError.badInput(file: referenceName,
                "\(subject)is only \(seconds) s long; STOI needs at least \(needed) s of speech "
                + "(one 384 ms segment of \(STOIConstants.segmentFrames) analysis frames)")
        }
        if removal.loudestFrameDB == -.infinity {
            throw EarshotError.badInput(file: referenceName,
                "\(subject)is silent (every sample is zero); STOI needs clean speech as the reference")
        }
        let stftFrames = max(removal.keptFrames.count - 1, 0)
        if stftFrames < STOIConstants.segmentFrames {
            let range = Int(STOIConstants.dynamicRangeDB)
            throw EarshotError.badInput(file: referenceName,
                "\(subject)has only \(removal.keptFrames.count) speech-active frames (within \(range) dB of its loudest frame) "
                + "after silent-frame removal, giving \(stftFrames) analysis frames; STOI needs at least "
                + "\(STOIConstants.segmentFrames) (one 384 ms segment, about \(needed) s of speech)")
        }
    }
}

/// The outcome of one STOI or ESTOI computation.
public struct STOIResult: Sendable, Equatable, Codable {
    /// The STOI or ESTOI value (mean correlation, at most 1).
    public var value: Double
    /// True for ESTOI (Jensen & Taal 2016), false for classic STOI (Taal et al. 2011).
    public var extended: Bool
    /// 25.6 ms frames (hop 12.8 ms) examined at 10 kHz, and how many of them were speech-active
    /// (within 40 dB of the loudest reference frame) and kept.
    public var analysedFrames: Int
    public var speechActiveFrames: Int
    /// Number of 384 ms segments the value is averaged over.
    public var segments: Int

    public init(value: Double, extended: Bool, analysedFrames: Int, speechActiveFrames: Int, segments: Int) {
        self.value = value
        self.extended = extended
        self.analysedFrames = analysedFrames
        self.speechActiveFrames = speechActiveFrames
        self.segments = segments
    }
}

/// STOI and ESTOI of the same pair.
public struct STOIScores: Sendable, Equatable, Codable {
    public var stoi: STOIResult
    public var estoi: STOIResult

    public init(stoi: STOIResult, estoi: STOIResult) {
        self.stoi = stoi
        self.estoi = estoi
    }
}

/// STOI and ESTOI of a programme that streams past in pieces, in memory that does not grow with
/// its length: the same computation as `STOI.computeBoth` on the whole 10 kHz signals (Taal et
/// al. 2011; Jensen & Taal 2016; see `STOI`), given the speech-active frames in advance.
///
/// Which frames are speech-active depends on the loudest frame of the whole reference, so the
/// caller decides it first (`SilentFrameRemoval.Scan` over the reference). Then both signals are
/// appended as they arrive; each kept frame pair is overlap-added, each finished 256-sample
/// stretch of the overlap-added signals becomes one envelope frame, and envelope frames are
/// correlated in chunks of segments with the batch code (`SegmentCorrelation`), so every
/// segment's value is the one the batch computation gives.
final class StreamingSTOI {
    private let kept: [Bool]
    private let removal: SilentFrameRemoval
    private var reference = AnalysisFrameQueue()
    private var degraded = AnalysisFrameQueue()
    /// Overlap-add of the kept frames, positions (k − 1)·128 ..< (k + 2)·128 before kept frame k
    /// is added; reference then degraded.
    private var overlap: [[Double]] = [[Double](repeating: 0, count: 3 * STOIConstants.hop), [Double](repeating: 0, count: 3 * STOIConstants.hop)]
    private var keptSoFar = 0
    /// Envelope frames not yet correlated (the last 29 of a chunk start the next one).
    private var chunk: [[Double]]
    private var chunkFrames = 0
    private var segments = 0
    private var classicTotal = 0.0, extendedTotal = 0.0
    private let fft = RealFFT(size: STOIConstants.fftSize)
    private let bands = ThirdOctaveBandMatrix.stoi

    /// Envelope frames per correlation chunk.
    static let chunkCapacity = 512
    private static var rowStride: Int { chunkCapacity + ThirdOctaveEnvelopes.rowPadding }

    /// `activity` is the speech-activity decision over the whole reference.
    init(activity: SilentFrameRemoval) {
        removal = activity
        var kept = [Bool](repeating: false, count: activity.totalFrames)
        for f in activity.keptFrames { kept[f] = true }
        self.kept = kept
        let empty = [Double](repeating: 0, count: STOIConstants.bandCount * Self.rowStride)
        chunk = [empty, empty]
    }

    /// Appends the next samples of the clean reference (10 kHz).
    func append(reference samples: [Float]) {
        reference.append(samples)
        advance()
    }

    /// Appends the next samples of the degraded signal (10 kHz).
    func append(degraded samples: [Float]) {
        degraded.append(samples)
        advance()
    }

    private func advance() {
        while reference.hasFrame && degraded.hasFrame {
            let f = reference.framesTaken
            let keep = f < kept.count && kept[f]
            reference.takeFrame { if keep { addToOverlap(0, $0) } }
            degraded.takeFrame { if keep { addToOverlap(1, $0) } }
            if keep { keptFrameAdded() }
        }
    }

    private func addToOverlap(_ signal: Int, _ frame: UnsafePointer<Float>) {
        let hop = STOIConstants.hop
        STOIConstants.windowCoefficients.withUnsafeBufferPointer { w in
            overlap[signal].withUnsafeMutableBufferPointer { o in
                for i in 0..<STOIConstants.frameLength { o[hop + i] += w[i] * Double(frame[i]) }
            }
        }
    }

    /// After kept frame k: positions (k − 1)·128 ..< (k + 1)·128 are final, which is envelope
    /// frame k − 1; then the overlap window moves on by one hop.
    private func keptFrameAdded() {
        let hop = STOIConstants.hop
        if keptSoFar >= 1 {
            for signal in 0..<2 {
                overlap[signal].withUnsafeBufferPointer { o in
                    chunk[signal].withUnsafeMutableBufferPointer { c in
                        ThirdOctaveEnvelopes.bandEnvelopes(of: o.baseAddress!, bands: bands, fft: fft,
                                                           into: c.baseAddress! + chunkFrames, stride: Self.rowStride)
                    }
                }
            }
            chunkFrames += 1
            if chunkFrames == Self.chunkCapacity { correlateChunk() }
        }
        for signal in 0..<2 {
            overlap[signal].withUnsafeMutableBufferPointer { o in
                for i in 0..<(2 * hop) { o[i] = o[i + hop] }
                for i in (2 * hop)..<(3 * hop) { o[i] = 0 }
            }
        }
        keptSoFar += 1
    }

    /// Correlates every segment that lies wholly in the chunk and keeps its last 29 frames.
    private func correlateChunk() {
        let n = STOIConstants.segmentFrames
        guard chunkFrames >= n else { return }
        let stride = Self.rowStride
        let x = ThirdOctaveEnvelopes(frameCount: chunkFrames, rowStride: stride, values: chunk[0])
        let y = ThirdOctaveEnvelopes(frameCount: chunkFrames, rowStride: stride, values: chunk[1])
        let count = chunkFrames - n + 1
        classicTotal += SegmentCorrelation.classicSum(reference: x, degraded: y, bands: 0..<STOIConstants.bandCount)
        extendedTotal += SegmentCorrelation.extendedSum(reference: x, degraded: y, bandCount: STOIConstants.bandCount, segments: 0..<count)
        segments += count
        for signal in 0..<2 {
            chunk[signal].withUnsafeMutableBufferPointer { c in
                for band in 0..<STOIConstants.bandCount {
                    let row = c.baseAddress! + band * stride
                    for i in 0..<(n - 1) { row[i] = row[count + i] }
                }
            }
        }
        chunkFrames = n - 1
    }

    /// STOI and ESTOI over everything appended. Throws, as `STOI.compute` does, when the
    /// reference has too little speech for one segment. `referenceName` is used in messages.
    func finish(referenceName: String?) throws -> STOIScores {
        try STOI.checkEnoughSpeech(removal, referenceSamples: reference.samplesAppended, sampleRate: STOIConstants.sampleRateHz,
                                   referenceName: referenceName)
        correlateChunk()
        guard segments > 0 else {
            throw EarshotError.badInput(file: referenceName, "the degraded signal ended before one \(STOIConstants.segmentFrames)-frame segment of speech; STOI needs at least one")
        }
        let bandCount = Double(STOIConstants.bandCount)
        let total = reference.framesTaken, active = removal.keptFrames.filter { $0 < total }.count
        return STOIScores(
            stoi: STOIResult(value: classicTotal / (Double(segments) * bandCount), extended: false,
                             analysedFrames: total, speechActiveFrames: active, segments: segments),
            estoi: STOIResult(value: extendedTotal / Double(segments), extended: true,
                              analysedFrames: total, speechActiveFrames: active, segments: segments))
    }
}

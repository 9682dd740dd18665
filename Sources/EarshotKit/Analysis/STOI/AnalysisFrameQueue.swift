/// The 256-sample analysis frames (hop 128) of a 10 kHz signal that arrives in pieces, handed
/// out in order by the reference code's rule: a frame is used only when at least one sample
/// follows it (frames start strictly before `count − 256`), so the frames taken from a stream
/// are exactly those `SilentFrameRemoval.frameCount` gives for the whole signal. Holds only the
/// samples not yet consumed.
struct AnalysisFrameQueue {
    private var samples: [Float] = []
    /// Index in `samples` where the next frame starts.
    private var start = 0
    /// Frames handed out so far.
    private(set) var framesTaken = 0
    /// Samples appended so far.
    private(set) var samplesAppended = 0

    mutating func append(_ chunk: [Float]) {
        samplesAppended += chunk.count
        if start >= 16_384 {
            samples.removeFirst(start)
            start = 0
        }
        samples += chunk
    }

    /// True when the next frame is complete and followed by at least one more sample.
    var hasFrame: Bool { samples.count - start > STOIConstants.frameLength }

    /// Calls `body` with the next frame's first sample, then moves on by one hop.
    mutating func takeFrame<R>(_ body: (UnsafePointer<Float>) -> R) -> R {
        precondition(hasFrame)
        let result = samples.withUnsafeBufferPointer { body($0.baseAddress! + start) }
        start += STOIConstants.hop
        framesTaken += 1
        return result
    }
}

extension SilentFrameRemoval {
    /// The speech-activity decision of `SilentFrameRemoval(reference:)` made on a reference that
    /// arrives in pieces: only one norm per frame is kept, so a long programme needs a few MB.
    struct Scan {
        private var queue = AnalysisFrameQueue()
        private var norms: [Double] = []
        var samples: Int { queue.samplesAppended }

        mutating func append(_ chunk: [Float]) {
            queue.append(chunk)
            while queue.hasFrame { norms.append(queue.takeFrame(SilentFrameRemoval.windowedNorm)) }
        }

        func finish() -> SilentFrameRemoval { SilentFrameRemoval(frameNorms: norms) }
    }
}

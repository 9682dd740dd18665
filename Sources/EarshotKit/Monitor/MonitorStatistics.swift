import Synchronization

/// Counters the audio thread updates and any thread reads (atomics, no lock).
public final class MonitorStatistics: @unchecked Sendable {
    /// Frames captured and processed.
    let framesProcessed = Atomic<Int>(0)
    /// Time spent processing on the audio thread, nanoseconds (monotonic clock).
    let processingNanoseconds = Atomic<Int>(0)
    /// The longest single callback's processing, nanoseconds.
    let longestCallbackNanoseconds = Atomic<Int>(0)
    /// Per scenario: time in its chain, nanoseconds.
    let scenarioNanoseconds: [ScenarioCounter]
    /// The playback stream ran dry (the sink played silence we did not mean).
    let underruns = Atomic<Int>(0)
    /// Captured audio the server dropped before we read it (holes), or playback data that did
    /// not fit the stream.
    let overruns = Atomic<Int>(0)

    final class ScenarioCounter: @unchecked Sendable {
        let nanoseconds = Atomic<Int>(0)
    }

    init(scenarioCount: Int) {
        scenarioNanoseconds = (0..<scenarioCount).map { _ in ScenarioCounter() }
    }

    /// A consistent-enough copy for printing.
    public struct Snapshot: Sendable {
        public var framesProcessed: Int
        public var processingSeconds: Double
        public var longestCallbackSeconds: Double
        public var scenarioSeconds: [Double]
        public var underruns: Int
        public var overruns: Int

        /// Processing time over audio time: the share of one core the monitor takes.
        public func coreShare(sampleRate: Int = AudioSource.processingRate) -> Double {
            framesProcessed > 0 ? processingSeconds / (Double(framesProcessed) / Double(sampleRate)) : 0
        }

        /// The same for one scenario's chain.
        public func coreShare(scenario: Int, sampleRate: Int = AudioSource.processingRate) -> Double {
            framesProcessed > 0 ? scenarioSeconds[scenario] / (Double(framesProcessed) / Double(sampleRate)) : 0
        }
    }

    public var snapshot: Snapshot {
        Snapshot(framesProcessed: framesProcessed.load(ordering: .relaxed),
                 processingSeconds: Double(processingNanoseconds.load(ordering: .relaxed)) / 1e9,
                 longestCallbackSeconds: Double(longestCallbackNanoseconds.load(ordering: .relaxed)) / 1e9,
                 scenarioSeconds: scenarioNanoseconds.map { Double($0.nanoseconds.load(ordering: .relaxed)) / 1e9 },
                 underruns: underruns.load(ordering: .relaxed), overruns: overruns.load(ordering: .relaxed))
    }
}

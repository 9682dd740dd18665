/// Removes a known processing latency from a stream, so that offline renders line up
/// sample-for-sample with their input: the first `latency` output samples are dropped, and at
/// the end the caller feeds `latency` samples of silence through the chain to flush its tail.
struct LatencyCompensator: Sendable {
    public let latency: Int
    private var toDrop: Int

    public init(latency: Int) {
        self.latency = latency
        toDrop = latency
    }

    /// The part of a processed block that belongs to the aligned output.
    public mutating func aligned(_ block: [Float]) -> ArraySlice<Float> {
        if toDrop == 0 { return block[...] }
        let drop = min(toDrop, block.count)
        toDrop -= drop
        return block[drop...]
    }

    /// Number of samples still being dropped (for keeping several channels in step).
    public var pendingDrop: Int { toDrop }
}

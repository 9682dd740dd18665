import Synchronization

/// A single-producer, single-consumer ring of float samples, lock-free: the producer only
/// advances `written`, the consumer only advances `read` (release stores, acquire loads), so the
/// audio thread can hand samples to another thread without locking or allocating
/// (Lamport, "Specifying concurrent program modules", ACM TOPLAS 5(2), 1983: the wait-free
/// bounded queue). Capacity is a power of two; counters run freely and are masked.
public final class SampleRing: @unchecked Sendable {
    public let capacity: Int
    private let mask: Int
    private let storage: UnsafeMutablePointer<Float>
    private let writeCount = Atomic<Int>(0)
    private let readCount = Atomic<Int>(0)
    /// Samples the producer could not store (the consumer fell behind).
    private let dropped = Atomic<Int>(0)

    public init(minimumCapacity: Int) {
        capacity = max(minimumCapacity, 2).nextPowerOfTwo
        mask = capacity - 1
        storage = .allocate(capacity: capacity)
        storage.initialize(repeating: 0, count: capacity)
    }

    deinit { storage.deallocate() }

    /// Samples waiting to be read.
    public var available: Int { writeCount.load(ordering: .acquiring) - readCount.load(ordering: .acquiring) }

    public var droppedSamples: Int { dropped.load(ordering: .relaxed) }

    /// Producer: stores all `count` samples, or none when they do not fit (counted as dropped).
    @discardableResult
    public func write(_ source: UnsafePointer<Float>, count: Int) -> Bool {
        let w = writeCount.load(ordering: .relaxed)
        let r = readCount.load(ordering: .acquiring)
        guard capacity - (w - r) >= count else {
            dropped.add(count, ordering: .relaxed)
            return false
        }
        var i = 0
        while i < count {
            let at = (w + i) & mask
            let n = min(count - i, capacity - at)
            (storage + at).update(from: source + i, count: n)
            i += n
        }
        writeCount.store(w + count, ordering: .releasing)
        return true
    }

    /// Consumer: reads up to `count` samples; returns how many.
    public func read(into destination: UnsafeMutablePointer<Float>, count: Int) -> Int {
        let r = readCount.load(ordering: .relaxed)
        let w = writeCount.load(ordering: .acquiring)
        let take = min(count, w - r)
        var i = 0
        while i < take {
            let at = (r + i) & mask
            let n = min(take - i, capacity - at)
            destination.advanced(by: i).update(from: storage + at, count: n)
            i += n
        }
        readCount.store(r + take, ordering: .releasing)
        return take
    }
}

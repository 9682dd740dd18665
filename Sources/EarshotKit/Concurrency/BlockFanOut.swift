import Foundation

/// Reads a stream of blocks once and hands every block, in order, to several consumers, each
/// on its own thread, so that fast consumers run ahead of slow ones and the cores stay busy. At
/// most `capacity` blocks are held: memory is bounded whatever the programme's length. The first
/// error (from reading or any consumer) stops everything and is rethrown.
enum BlockFanOut {
    static func run<Block>(blockCount: Int, capacity: Int = 8, read: (Int) throws -> Block,
                           consumers: [(Block) throws -> Void]) throws {
        let state = State<Block>(consumers: consumers.count)
        let condition = state.condition

        for (c, consume) in consumers.enumerated() {
            let thread = Thread {
                var k = 0
                while true {
                    condition.lock()
                    while k >= state.produced && state.failure == nil && k < blockCount { condition.wait() }
                    if state.failure != nil || k >= blockCount {
                        state.finished += 1
                        condition.broadcast()
                        condition.unlock()
                        return
                    }
                    let block = state.buffer[k]!
                    condition.unlock()
                    do {
                        try consume(block)
                    } catch {
                        condition.lock()
                        if state.failure == nil { state.failure = error }
                        state.finished += 1
                        condition.broadcast()
                        condition.unlock()
                        return
                    }
                    k += 1
                    condition.lock()
                    state.consumedUpTo[c] = k
                    // Drop blocks every consumer is done with.
                    let oldest = state.consumedUpTo.min() ?? k
                    for old in state.buffer.keys where old < oldest { state.buffer[old] = nil }
                    condition.broadcast()
                    condition.unlock()
                }
            }
            thread.stackSize = 4 << 20
            thread.start()
        }

        var readError: Error?
        for k in 0..<blockCount {
            condition.lock()
            while k - (state.consumedUpTo.min() ?? k) >= capacity && state.failure == nil { condition.wait() }
            let stop = state.failure != nil
            condition.unlock()
            if stop { break }
            do {
                let block = try read(k)
                condition.lock()
                state.buffer[k] = block
                state.produced = k + 1
                condition.broadcast()
                condition.unlock()
            } catch {
                readError = error
                condition.lock()
                if state.failure == nil { state.failure = error }
                condition.broadcast()
                condition.unlock()
                break
            }
        }
        condition.lock()
        while state.finished < consumers.count { condition.wait() }
        let error = state.failure
        condition.unlock()
        if let error = readError ?? error { throw error }
    }

    /// What the reader and the consumers share; every field is read and written only while
    /// `condition` is locked.
    private final class State<Block>: @unchecked Sendable {
        let condition = NSCondition()
        var buffer: [Int: Block] = [:]
        var produced = 0
        var consumedUpTo: [Int]
        var failure: Error?
        var finished = 0

        init(consumers: Int) { consumedUpTo = [Int](repeating: 0, count: consumers) }
    }
}

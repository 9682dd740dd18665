import Foundation

/// Reads a stream of blocks once and hands every block, in order, to several consumers, each
/// on its own thread, so that fast consumers run ahead of slow ones and the cores stay busy. At
/// most `capacity` blocks are held: memory is bounded whatever the programme's length. The first
/// error (from reading or any consumer) stops everything and is rethrown.
enum BlockFanOut {
    static func run<Block>(blockCount: Int, capacity: Int = 8, read: (Int) throws -> Block,
                           consumers: [(Block) throws -> Void]) throws {
        let condition = NSCondition()
        var buffer: [Int: Block] = [:]
        var produced = 0
        var consumedUpTo = [Int](repeating: 0, count: consumers.count)
        var failure: Error?
        var finished = 0

        for (c, consume) in consumers.enumerated() {
            let thread = Thread {
                var k = 0
                while true {
                    condition.lock()
                    while k >= produced && failure == nil && k < blockCount { condition.wait() }
                    if failure != nil || k >= blockCount {
                        finished += 1
                        condition.broadcast()
                        condition.unlock()
                        return
                    }
                    let block = buffer[k]!
                    condition.unlock()
                    do {
                        try consume(block)
                    } catch {
                        condition.lock()
                        if failure == nil { failure = error }
                        finished += 1
                        condition.broadcast()
                        condition.unlock()
                        return
                    }
                    k += 1
                    condition.lock()
                    consumedUpTo[c] = k
                    // Drop blocks every consumer is done with.
                    let oldest = consumedUpTo.min() ?? k
                    for old in buffer.keys where old < oldest { buffer[old] = nil }
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
            while k - (consumedUpTo.min() ?? k) >= capacity && failure == nil { condition.wait() }
            let stop = failure != nil
            condition.unlock()
            if stop { break }
            do {
                let block = try read(k)
                condition.lock()
                buffer[k] = block
                produced = k + 1
                condition.broadcast()
                condition.unlock()
            } catch {
                readError = error
                condition.lock()
                if failure == nil { failure = error }
                condition.broadcast()
                condition.unlock()
                break
            }
        }
        condition.lock()
        while finished < consumers.count { condition.wait() }
        let error = failure
        condition.unlock()
        if let error = readError ?? error { throw error }
    }
}

/// Finds the first NaN or infinite sample of a signal quickly: blocks are screened with SIMD
/// arithmetic (v − v is 0 for finite values and NaN otherwise) and only a flagged block is
/// searched sample by sample.
enum NonFiniteSearch {
    static func firstIndex(in samples: [Float]) -> Int? {
        typealias V = SIMD16<Float>
        let width = V.scalarCount, block = 64 * width
        return samples.withUnsafeBufferPointer { p -> Int? in
            let count = p.count
            var start = 0
            while start < count {
                let end = min(start + block, count)
                var flagged = false
                if end - start == block {
                    var acc = V.zero
                    let raw = UnsafeRawPointer(p.baseAddress! + start)
                    for j in 0..<64 {
                        let v = raw.loadUnaligned(fromByteOffset: j * width * 4, as: V.self)
                        acc += v - v
                    }
                    flagged = acc != acc
                } else {
                    flagged = true
                }
                if flagged, let i = (start..<end).first(where: { !p[$0].isFinite }) { return i }
                start = end
            }
            return nil
        }
    }
}

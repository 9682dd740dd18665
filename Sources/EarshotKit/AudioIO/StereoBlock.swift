/// A block of planar stereo samples. At-ear blocks hold pascals; input blocks hold full-scale
/// units (±1.0).
public struct StereoBlock: Sendable, Equatable {
    public var left: [Float]
    public var right: [Float]

    public init(left: [Float], right: [Float]) {
        precondition(left.count == right.count)
        self.left = left
        self.right = right
    }

    public init(frames: Int) {
        left = [Float](repeating: 0, count: frames)
        right = [Float](repeating: 0, count: frames)
    }

    public var frames: Int { left.count }

    /// The per-sample mean of the two channels: what a mono device plays.
    public var monoSum: [Float] {
        var out = [Float](repeating: 0, count: frames)
        for i in 0..<frames { out[i] = 0.5 * (left[i] + right[i]) }
        return out
    }

    public static func + (a: StereoBlock, b: StereoBlock) -> StereoBlock {
        var out = a
        out.add(b)
        return out
    }

    public mutating func add(_ other: StereoBlock) {
        precondition(other.frames == frames)
        Self.accumulate(other.left, into: &left)
        Self.accumulate(other.right, into: &right)
    }

    public mutating func scale(by gain: Float) {
        left.withUnsafeMutableBufferPointer { l in for i in 0..<l.count { l[i] *= gain } }
        right.withUnsafeMutableBufferPointer { r in for i in 0..<r.count { r[i] *= gain } }
    }

    /// `sum[i] += x[i]` over the first `x.count` samples (vectorized).
    @inline(__always)
    public static func accumulate(_ x: [Float], into sum: inout [Float]) {
        precondition(x.count <= sum.count)
        x.withUnsafeBufferPointer { a in
            sum.withUnsafeMutableBufferPointer { s in for i in 0..<a.count { s[i] += a[i] } }
        }
    }
}

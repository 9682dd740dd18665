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
        for i in 0..<frames { left[i] += other.left[i]; right[i] += other.right[i] }
    }

    public mutating func scale(by gain: Float) {
        for i in 0..<frames { left[i] *= gain; right[i] *= gain }
    }
}

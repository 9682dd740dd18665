/// Summary of a frame series (loudness in sone, sharpness in acum) over the frames from a
/// starting frame on: mean, maximum, and the value exceeded in 5 % of the frames (the 95th
/// percentile, linearly interpolated between the sorted frames as numpy's default does;
/// for loudness this is N5).
public struct TimeSeriesSummary: Sendable, Equatable {
    public var mean: Double
    public var maximum: Double
    /// Value exceeded in 5 % of the frames (N5 for loudness, S5 for sharpness).
    public var exceeded5Percent: Double
    /// Frames summarised.
    public var frames: Int

    public init(mean: Double, maximum: Double, exceeded5Percent: Double, frames: Int) {
        self.mean = mean
        self.maximum = maximum
        self.exceeded5Percent = exceeded5Percent
        self.frames = frames
    }

    /// Summarises `values[first...]`; all zero when that is empty.
    public init(_ values: [Double], from first: Int = 0) {
        let start = min(max(first, 0), values.count)
        let tail = values[start...]
        guard !tail.isEmpty else {
            self.init(mean: 0, maximum: 0, exceeded5Percent: 0, frames: 0)
            return
        }
        let sorted = tail.sorted()
        let position = 0.95 * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        let p95 = sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
        self.init(mean: tail.reduce(0, +) / Double(tail.count), maximum: sorted[sorted.count - 1],
                  exceeded5Percent: p95, frames: tail.count)
    }

    /// The first frame at or after `skipSeconds` (frame k is at k·frameSeconds; the nearest
    /// frame to the skip time, as MoSQITo's `skip` takes it).
    public static func firstFrame(skipSeconds: Double, frameSeconds: Double) -> Int {
        max(0, Int((skipSeconds / frameSeconds).rounded()))
    }
}

import Foundation

/// One share of a series for running on several machines: shard K of N (K counted from 1).
/// With the episodes sorted by name and counted from 0, episode i belongs to shard
/// (i mod N) + 1, so every episode is in exactly one shard and the shards differ in size by
/// at most one episode.
public struct BatchShard: Sendable, Equatable, CustomStringConvertible {
    /// 1…count.
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1 else { throw EarshotError.usage("--shard K/N needs N ≥ 1, not \(count)") }
        guard (1...count).contains(index) else {
            throw EarshotError.usage("--shard K/N needs 1 ≤ K ≤ N (K counts from 1), not \(index)/\(count)")
        }
        self.index = index
        self.count = count
    }

    /// "K/N" as given on the command line; also accepts "K-of-N".
    public init(parsing text: String) throws {
        let parts = text.replacingOccurrences(of: "-of-", with: "/").split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
            throw EarshotError.usage("--shard must be K/N (e.g. 2/4, K counting from 1), not '\(text)'")
        }
        try self.init(index: k, count: n)
    }

    public var description: String { "\(index)/\(count)" }
    /// The file a shard's summary is written to, under the output folder.
    public var summaryFileName: String { "shard-\(index)-of-\(count).json" }

    /// This shard's episodes out of the whole, name-sorted list.
    public func select(_ episodes: [BatchEpisode]) -> [BatchEpisode] {
        episodes.sorted { $0.name < $1.name }.enumerated().filter { $0.offset % count == index - 1 }.map(\.element)
    }
}

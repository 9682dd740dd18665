import Foundation

/// What one shard of a batch did: which episodes it had, what became of each, and the
/// settings it ran with. Written as `shard-K-of-N.json` in the output folder; `earshot batch
/// --merge` reads these to build the series report.
public struct ShardSummary: Sendable, Equatable {
    public var shard: BatchShard
    /// Episodes in the whole series (all shards).
    public var seriesEpisodeCount: Int
    public var settings: JSONValue
    public var outcomes: [EpisodeOutcome]

    public init(shard: BatchShard, seriesEpisodeCount: Int, settings: JSONValue, outcomes: [EpisodeOutcome]) {
        self.shard = shard
        self.seriesEpisodeCount = seriesEpisodeCount
        self.settings = settings
        self.outcomes = outcomes
    }

    public func json() -> JSONValue {
        .object([
            ("schemaVersion", .string("1")),
            ("shard", .object([("index", .integer(shard.index)), ("count", .integer(shard.count))])),
            ("seriesEpisodeCount", .integer(seriesEpisodeCount)),
            ("settings", settings),
            ("episodes", .array(outcomes.map { o in
                .object([("name", .string(o.name)), ("status", .string(o.status.rawValue)), ("error", .str(o.error)),
                         ("seconds", .num(o.seconds))])
            })),
        ])
    }

    public static func read(path: String) throws -> ShardSummary {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EarshotError.badInput(file: path, "cannot read the shard summary")
        }
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw EarshotError.badInput(file: path, "not a JSON object (a shard summary written by earshot batch --shard)")
        }
        guard let shard = root["shard"] as? [String: Any], let k = shard["index"] as? Int, let n = shard["count"] as? Int,
              let total = root["seriesEpisodeCount"] as? Int, let settings = root["settings"], let list = root["episodes"] as? [[String: Any]] else {
            throw EarshotError.badInput(file: path, location: "fields 'shard', 'seriesEpisodeCount', 'settings', 'episodes'",
                                        "missing or of the wrong type; is this a shard summary written by earshot batch --shard?")
        }
        let outcomes: [EpisodeOutcome] = try list.enumerated().map { i, e in
            guard let name = e["name"] as? String, let statusText = e["status"] as? String, let status = EpisodeOutcome.Status(rawValue: statusText) else {
                throw EarshotError.badInput(file: path, location: "episodes[\(i)]", "expected a name and a status (checked, up to date, failed)")
            }
            return EpisodeOutcome(name: name, status: status, error: e["error"] as? String, seconds: (e["seconds"] as? NSNumber)?.doubleValue ?? 0)
        }
        return ShardSummary(shard: try BatchShard(index: k, count: n), seriesEpisodeCount: total,
                            settings: try CheckSettings(fingerprint: settings, file: path).fingerprint, outcomes: outcomes)
    }
}

extension CheckSettings {
    /// Settings read back from a `fingerprint` (in a shard summary).
    init(fingerprint value: Any, file: String) throws {
        guard let object = value as? [String: Any], let ids = object["scenarios"] as? [String],
              let masked = (object["maskedBelowHeardProbability"] as? NSNumber)?.doubleValue else {
            throw EarshotError.badInput(file: file, location: "field 'settings'", "expected scenarios and maskedBelowHeardProbability")
        }
        let pairs: [(device: String, environment: String)] = try ids.map { id in
            let parts = id.split(separator: "@", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2 else { throw EarshotError.badInput(file: file, location: "field 'settings.scenarios'", "'\(id)' is not DEVICE@ENVIRONMENT") }
            return (parts[0], parts[1])
        }
        self.init(scenarios: pairs, volumePercent: (object["volumePercent"] as? NSNumber)?.doubleValue)
        masking.maskedBelowHeardProbability = masked
    }
}

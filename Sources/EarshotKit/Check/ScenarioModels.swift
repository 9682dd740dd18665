import Foundation

/// The parts of a check's scenarios that depend only on the profiles, not on the programme:
/// each device's model (its impulse response) and each scenario's environment noise loops at
/// the device's ears. `earshot check` makes them for its scenarios; `earshot batch` makes them
/// once and shares them with every episode of the series.
public final class ScenarioModels: Sendable {
    /// The scenarios, in report order, as "device@environment" ids.
    public let ids: [String]
    /// Per scenario: the device model and its environment's loops.
    let devices: [DeviceModel]
    let loops: [EnvironmentLoops]

    /// Resolves every scenario against the catalog (a device or environment that is not there
    /// fails at once, the first in report order), then makes the environment loops, side by side.
    public convenience init(scenarios: [(device: String, environment: String)], catalog: ProfileCatalog) throws {
        try self.init(try Resolved(scenarios: scenarios, catalog: catalog))
    }

    /// Makes the environment loops of resolved scenarios, side by side.
    init(_ resolved: Resolved) throws {
        let pairs = resolved.pairs
        var made = [Result<EnvironmentLoops, Error>?](repeating: nil, count: pairs.count)
        made.withUnsafeMutableBufferPointer { slots in
            DispatchQueue.concurrentPerform(iterations: pairs.count) { i in
                let (device, environment) = pairs[i]
                slots[i] = Result { try EnvironmentLoops(profile: environment, isolation: device.profile.passiveIsolation) }
            }
        }
        ids = resolved.ids
        devices = pairs.map(\.0)
        loops = try made.map { try $0!.get() }
    }

    /// Scenarios looked up in the catalog, with their device models: the quick part, done
    /// before a check's long work so that a typo fails at once.
    struct Resolved {
        let ids: [String]
        let pairs: [(DeviceModel, EnvironmentProfile)]

        init(scenarios: [(device: String, environment: String)], catalog: ProfileCatalog) throws {
            var models: [String: DeviceModel] = [:]
            var pairs: [(DeviceModel, EnvironmentProfile)] = []
            for (deviceID, environmentID) in scenarios {
                if models[deviceID] == nil { models[deviceID] = try DeviceModel(profile: try catalog.device(deviceID)) }
                pairs.append((models[deviceID]!, try catalog.environment(environmentID)))
            }
            ids = scenarios.map { "\($0.device)@\($0.environment)" }
            self.pairs = pairs
        }
    }

    /// Whether these are the models of exactly these scenarios, in this order.
    public func matches(_ scenarios: [(device: String, environment: String)]) -> Bool {
        ids == scenarios.map { "\($0.device)@\($0.environment)" }
    }

    /// Scenario `index` at a playback volume.
    func scenario(_ index: Int, volumePercent: Double) -> Scenario {
        Scenario(device: devices[index], environment: loops[index].profile, volumePercent: volumePercent, environmentLoops: loops[index])
    }
}

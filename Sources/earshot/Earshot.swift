import ArgumentParser
import EarshotKit

struct Earshot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "earshot",
        abstract: "Will this line survive a cheap phone on a bus? Device-and-environment checks for dialogue mixes.",
        version: VersionText.line,
        subcommands: [Check.self, Compare.self, Batch.self, Render.self, Audition.self, Monitor.self, Measure.self, Devices.self, Metrics.self, Bench.self])
}

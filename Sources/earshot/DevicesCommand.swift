import ArgumentParser
import EarshotKit
import Foundation

/// `earshot devices list | show ID | validate DIR | import FILE`.
struct Devices: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, inspect and validate device and environment profiles.",
        subcommands: [DevicesList.self, DevicesShow.self, DevicesValidate.self, DevicesImport.self])
}

struct DevicesList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List every device and environment profile with its provenance.")
    @OptionGroup var profiles: ProfileOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try runReportingErrors {
            let catalog = try profiles.catalog()
            let devices = catalog.devices.values.sorted { $0.id < $1.id }
            let environments = catalog.environments.values.sorted { $0.id < $1.id }
            if json {
                printJSON([
                    "devices": devices.map { ["id": $0.id, "name": $0.name, "category": $0.category.rawValue,
                                              "provenance": $0.provenance.kind.rawValue, "confidence": $0.provenance.confidence.rawValue,
                                              "folder": $0.folder] },
                    "environments": environments.map { ["id": $0.id, "name": $0.name, "levelDBA": $0.levelDBA,
                                                        "provenance": $0.provenance.kind.rawValue, "confidence": $0.provenance.confidence.rawValue,
                                                        "folder": $0.folder] },
                ])
                return
            }
            print("Devices")
            for d in devices {
                print("  " + pad(d.id, 26) + pad(d.category.rawValue, 10) + pad("\(d.provenance.kind.rawValue), \(d.provenance.confidence.rawValue)", 20) + d.name)
            }
            print("Environments")
            for e in environments {
                print("  " + pad(e.id, 26) + pad(String(format: "%.0f dB(A)", e.levelDBA), 10) + pad("\(e.provenance.kind.rawValue), \(e.provenance.confidence.rawValue)", 20) + e.name)
            }
        }
    }
}

struct DevicesShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one profile: its settings, provenance and third-octave response.")
    @Argument(help: "Profile id.") var id: String
    @OptionGroup var profiles: ProfileOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try runReportingErrors {
            let catalog = try profiles.catalog()
            if let env = catalog.environments[id] {
                try showEnvironment(env)
                return
            }
            let device = try catalog.device(id)
            let model = try DeviceModel(profile: device)
            let response = model.thirdOctaveResponseDB()
            if json {
                printJSON([
                    "id": device.id, "name": device.name, "category": device.category.rawValue,
                    "channelMode": device.channelMode.rawValue,
                    "sensitivityDBSPL": device.level.sensitivityDBSPL,
                    "volumeGainDBAt60Percent": device.volumeGainDB(percent: 60),
                    "provenance": provenanceJSON(device.provenance),
                    "thirdOctaveResponseDB": response.map { ["centreHz": $0.centreHz, "levelDB": ($0.levelDB * 10).rounded() / 10] },
                ])
                return
            }
            print("\(device.id): \(device.name)")
            print("  category \(device.category.rawValue), \(device.channelMode.rawValue), folder \(device.folder)")
            print(String(format: "  sensitivity %.1f dB SPL (full-scale 1 kHz sine at 100 %%); 60 %% volume = %.1f dB", device.level.sensitivityDBSPL, device.volumeGainDB(percent: 60)))
            if let d = device.level.listeningDistanceMeters { print(String(format: "  listening distance %.2f m", d)) }
            let e = device.excursion
            print(String(format: "  excursion: resonance %.0f Hz, Q %.2f, limit %.1f dBFS drive; usable from %.0f Hz", e.resonanceHz, e.q, e.limitDBFS, e.usableLowCutHz))
            if let l = device.limiter { print(String(format: "  limiter: %.1f dBFS, attack %.1f ms, release %.0f ms, lookahead %.1f ms", l.thresholdDBFS, l.attackMs, l.releaseMs, l.lookaheadMs)) }
            if let b = device.bassCompressor { print(String(format: "  bass compressor: below %.0f Hz, %.1f dBFS, %.1f:1", b.splitHz, b.thresholdDBFS, b.ratio)) }
            printProvenance(device.provenance)
            print("  third-octave response (dB re 1 kHz):")
            for row in stride(from: 0, to: response.count, by: 8) {
                print("   " + response[row..<min(row + 8, response.count)].map { String(format: "%7@ %6.1f", freqLabel($0.centreHz), $0.levelDB) }.joined(separator: " "))
            }
        }
    }

    func showEnvironment(_ env: EnvironmentProfile) throws {
        if json {
            printJSON(["id": env.id, "name": env.name, "levelDBA": env.levelDBA, "recording": env.recording ?? NSNull(),
                           "provenance": provenanceJSON(env.provenance),
                           "spectrum": env.spectrum.map { ["centreHz": $0.frequencyHz, "levelDB": $0.levelDB] }])
            return
        }
        print("\(env.id): \(env.name)")
        print(String(format: "  level %.1f dB(A) at the listener; %@", env.levelDBA, env.recording.map { "recording \($0), looped" } ?? "synthesized from its band spectrum"))
        if let m = env.modulation { print(String(format: "  level fluctuation %.1f dB at %.2f Hz", m.depthDB, m.rateHz)) }
        printProvenance(env.provenance)
    }
}

struct DevicesValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a profile folder (or a folder of profile folders): manifest, data files, and that the model builds.")
    @Argument(help: "A profile folder, or a folder holding profile folders.") var dir: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try runReportingErrors {
            var folders: [String] = []
            if FileManager.default.fileExists(atPath: dir + "/" + ProfileLoader.manifestName) {
                folders = [dir]
            } else {
                let entries = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
                folders = entries.sorted().map { dir + "/" + $0 }.filter { FileManager.default.fileExists(atPath: $0 + "/" + ProfileLoader.manifestName) }
                if folders.isEmpty { throw EarshotError.badInput(file: dir, "no profile.json here or in its subfolders") }
            }
            var results: [[String: Any]] = []
            var failures = 0
            for folder in folders {
                do {
                    switch try ProfileLoader.load(folder: folder) {
                    case .device(let d): _ = try DeviceModel(profile: d)
                    case .environment(let e): _ = try EnvironmentNoise(profile: e)
                    }
                    results.append(["folder": folder, "valid": true])
                    if !json { print("ok       \(folder)") }
                } catch let error as EarshotError {
                    failures += 1
                    results.append(["folder": folder, "valid": false, "error": error.description])
                    if !json { FileHandle.standardError.write(Data("invalid  \(error)\n".utf8)) }
                }
            }
            if json { printJSON(["profiles": results, "valid": failures == 0]) }
            if failures > 0 { throw ExitCode(ExitStatus.failed) }
        }
    }
}

func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count) }

func freqLabel(_ f: Double) -> String { f >= 1000 ? String(format: "%gk", f / 1000) : String(format: "%g", f) }

func provenanceJSON(_ p: Provenance) -> [String: Any] {
    var o: [String: Any] = ["kind": p.kind.rawValue, "summary": p.summary, "confidence": p.confidence.rawValue]
    if let v = p.measuredBy { o["measuredBy"] = v }
    if let v = p.source { o["source"] = v }
    if let v = p.derivedFrom { o["derivedFrom"] = v }
    if let v = p.publishedFigures { o["publishedFigures"] = v }
    if let v = p.licence { o["licence"] = v }
    if let v = p.credit { o["credit"] = v }
    if let v = p.confidenceNote { o["confidenceNote"] = v }
    return o
}

func printProvenance(_ p: Provenance) {
    print("  provenance: \(p.kind.rawValue) (confidence \(p.confidence.rawValue)) — \(p.summary)")
    if let v = p.measuredBy { print("    measured by: \(v)") }
    if let v = p.derivedFrom { print("    derived from: \(v)") }
    for f in p.publishedFigures ?? [] { print("    figure: \(f)") }
    if let v = p.credit { print("    credit: \(v)") }
    if let v = p.licence { print("    licence: \(v)") }
}

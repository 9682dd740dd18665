import Foundation

/// The profiles Earshot can use: the stock `DeviceProfiles/` folder plus any extra folders the
/// user names (`--profiles DIR`, `EARSHOT_PROFILES=dir1:dir2`). Each folder holds profile
/// folders; a user folder's profile with the same id as a stock one takes its place.
public struct ProfileCatalog: Sendable {
    public private(set) var devices: [String: DeviceProfile] = [:]
    public private(set) var environments: [String: EnvironmentProfile] = [:]
    /// The roots searched, in order of precedence (first wins).
    public let roots: [String]

    /// Loads every profile under `roots` (first root wins on duplicate ids).
    public init(roots: [String]) throws {
        self.roots = roots
        for root in roots.reversed() {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else {
                throw EarshotError.badInput(file: root, "profile folder does not exist")
            }
            let entries = try FileManager.default.contentsOfDirectory(atPath: root).sorted()
            for entry in entries where !entry.hasPrefix(".") {
                let folder = root + "/" + entry
                guard FileManager.default.fileExists(atPath: folder + "/" + ProfileLoader.manifestName) else { continue }
                switch try ProfileLoader.load(folder: folder) {
                case .device(let d): devices[d.id] = d
                case .environment(let e): environments[e.id] = e
                }
            }
        }
    }

    /// The stock profiles plus user folders from `extraRoots` and `EARSHOT_PROFILES`.
    public static func standard(extraRoots: [String] = [], environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ProfileCatalog {
        var roots = extraRoots
        if let env = environment["EARSHOT_PROFILES"] {
            roots += env.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        roots.append(try stockProfilesFolder(environment: environment))
        return try ProfileCatalog(roots: roots)
    }

    /// The stock `DeviceProfiles/` folder: `EARSHOT_STOCK_PROFILES` if set, else the one beside
    /// the executable or the working directory (or a parent of either), else the source tree's.
    public static func stockProfilesFolder(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let explicit = environment["EARSHOT_STOCK_PROFILES"] { return explicit }
        return try EarshotResources.folder(named: "DeviceProfiles")
    }

    public func device(_ id: String) throws -> DeviceProfile {
        if let d = devices[id] { return d }
        if environments[id] != nil { throw EarshotError.badInput("'\(id)' is an environment, not a device") }
        throw EarshotError.badInput("unknown device '\(id)'; known devices: \(devices.keys.sorted().joined(separator: ", "))")
    }

    public func environment(_ id: String) throws -> EnvironmentProfile {
        if let e = environments[id] { return e }
        if devices[id] != nil { throw EarshotError.badInput("'\(id)' is a device, not an environment") }
        throw EarshotError.badInput("unknown environment '\(id)'; known environments: \(environments.keys.sorted().joined(separator: ", "))")
    }
}

/// Finds the project's bundled folders (DeviceProfiles, Examples, Reports) at run time: in the
/// checkout the running `earshot` was built in (found from the executable's real path, so a
/// symlink on the PATH such as /usr/local/bin/earshot works from any folder), else above the
/// current folder, else in the source tree the library was compiled from. A folder counts only
/// when it holds its marker file, so a user's own `Reports/` folder is never taken for Earshot's.
public enum EarshotResources {
    /// The file that marks each bundled folder as Earshot's.
    static let markers = ["DeviceProfiles": "profile.schema.json", "Reports": "platforms.json", "Examples": "demo-scene"]

    /// The running executable with every symlink resolved (Linux: /proc/self/exe).
    static var executableFolder: URL? {
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: target).deletingLastPathComponent()
        }
        guard let argument = CommandLine.arguments.first, argument.contains("/") else { return nil }
        return URL(fileURLWithPath: argument).resolvingSymlinksInPath().deletingLastPathComponent()
    }

    public static func folder(named name: String) throws -> String {
        var candidates: [URL] = []
        if let executable = executableFolder { candidates.append(executable) }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        // The source tree this library was built from (Sources/EarshotKit/Devices/ → root).
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent())
        for start in candidates {
            var dir = start.standardizedFileURL
            for _ in 0..<8 {
                let candidate = dir.appendingPathComponent(name)
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDir), isDir.boolValue,
                   markers[name].map({ FileManager.default.fileExists(atPath: candidate.appendingPathComponent($0).path) }) ?? true {
                    return candidate.path
                }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        throw EarshotError(.environment, "cannot find Earshot's \(name)/ folder; set EARSHOT_STOCK_PROFILES or run from the Earshot checkout")
    }
}

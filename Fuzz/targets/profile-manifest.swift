import EarshotKit
import Foundation

/// Profile manifests (`profile.json`): `ManifestFields` over Foundation's JSON reader, the
/// device and environment checks, path resolution inside the profile folder, and the volume
/// curve and listener-volume arithmetic on what loads. The folder holds the data files a
/// manifest may name: flat.csv, ir.wav, noise.wav and data/flat.csv, and a file beside it
/// (outside.csv) that manifests must not reach.
let profileFolder: String = {
    let root = NSTemporaryDirectory() + "earshot-fuzz-profile-\(getpid())"
    let folder = root + "/p"
    try! FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
    let csv = "frequencyHz,levelDB\n20,0\n20000,0\n"
    for path in [folder + "/flat.csv", folder + "/data/flat.csv", root + "/outside.csv"] {
        try! csv.write(toFile: path, atomically: true, encoding: .utf8)
    }
    let click = [Float](repeating: 0, count: 63) + [1]
    try! AudioFile.write(path: folder + "/ir.wav", channels: [click], sampleRate: 48000)
    try! AudioFile.write(path: folder + "/noise.wav", channels: [click, click], sampleRate: 48000)
    atexit { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "earshot-fuzz-profile-\(getpid())") }
    return folder
}()

/// A quiet room for the listener-volume arithmetic, loaded through the same loader.
let quietRoom: EnvironmentProfile = {
    let manifest = """
    {"schemaVersion": 1, "id": "quiet", "name": "Quiet", "category": "environment", "levelDBA": 30,
     "spectrum": [[250, 0], [1000, -3], [4000, -9]],
     "provenance": {"kind": "modelled", "summary": "fuzzing", "method": "fixed", "confidence": "low"}}
    """
    guard case .environment(let e) = try! ProfileLoader.load(manifest: Data(manifest.utf8), folder: profileFolder) else {
        fatalError("the quiet room is not an environment")
    }
    return e
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let manifest = Data(bytes: data, count: size)
    let profile: Profile
    do {
        profile = try ProfileLoader.load(manifest: manifest, folder: profileFolder)
    } catch let error as EarshotError {
        precondition(error.kind == .badInput, "not a bad-input error: \(error)")
        precondition(error.file?.hasPrefix(profileFolder) == true, "the error does not name the profile: \(error)")
        return 0
    } catch {
        fatalError("unexpected error type: \(error)")
    }
    switch profile {
    case .device(let device):
        for percent in stride(from: 0.0, through: 100, by: 12.5) {
            let gain = device.volumeGainDB(percent: percent)
            precondition(gain.isFinite, "volume gain \(gain) at \(percent) %")
            let back = device.volumePercent(forGainDB: gain)
            precondition(back.isFinite && back >= 0 && back <= 100, "volume \(back) % for \(gain) dB")
        }
        let target = ListenerVolume.targetDialogueDBA(device: device, environment: quietRoom)
        precondition(target.isFinite, "listener's level \(target) dB(A)")
        // The volume needs the device's response; a manifest whose files are not there is refused
        // when the model is made, and then there is nothing to set.
        if let model = try? DeviceModel(profile: device) {
            precondition(model.speechOffsetDB.isFinite, "speech offset \(model.speechOffsetDB) dB")
            for lufs in [-40.0, -23, -10] {
                let v = ListenerVolume.percent(device: model, environment: quietRoom, programmeLUFS: lufs)
                precondition(v.isFinite && v >= 0 && v <= 100, "listener volume \(v) %")
            }
        }
    case .environment(let environment):
        precondition(environment.levelDBA.isFinite && !environment.spectrum.isEmpty)
    }
    return 0
}

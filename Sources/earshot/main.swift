import ArgumentParser
import EarshotKit
import Foundation

// Usage errors exit with 2 (ArgumentParser's default is 64), as documented in every --help.
do {
    var command = try Earshot.parseAsRoot()
    try command.run()
} catch {
    let code = Earshot.exitCode(for: error)
    if code == .validationFailure {
        FileHandle.standardError.write(Data((Earshot.fullMessage(for: error) + "\n").utf8))
        exit(2)
    }
    Earshot.exit(withError: error)
}

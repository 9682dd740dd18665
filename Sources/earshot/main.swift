import ArgumentParser
import EarshotKit
import Foundation

// Exit codes are those of `ExitStatus`; usage errors exit with 2 (ArgumentParser's default is 64).
do {
    var command = try Earshot.parseAsRoot()
    try command.run()
} catch let error as EarshotError {
    exit(ExitStatus.report(error).rawValue)
} catch {
    let code = Earshot.exitCode(for: error)
    if code == .validationFailure {
        FileHandle.standardError.write(Data((Earshot.fullMessage(for: error) + "\n").utf8))
        exit(ExitStatus.usage)
    }
    Earshot.exit(withError: error)
}

import ArgumentParser
import CairnDemo
import CairnRunner
import Foundation

/// `app-boot`: the demo application starting up, through `Cairn.boot` as a real application calls it.
///
/// It applies the pending migrations with the boot trigger and the boot log shape,
/// and exits 1 when the boot fails (as an application would refuse to start), so a
/// failed boot can be read afterwards in `cairn runs`, `cairn log` and the console.
/// The console tests and the issue notes use it to have a real failed boot.
struct AppBootCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "app-boot", shouldDisplay: false)

    @Option(help: "The database file.") var db: String
    @Option(help: "The seeds folder.") var seeds: String

    func run() throws {
        do {
            try Cairn.boot(DemoApplication.application, database: db, seeds: seeds)
        } catch {
            FileHandle.standardError.write(Data("app-boot: the application does not start: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

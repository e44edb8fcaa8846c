import CairnRunner
import CairnStore
import Foundation
import LibraryLoans

// The library application: it applies pending seeds at start-up, then does its own work
// through its own handlers. `library-app [--db PATH] [--seeds DIR] [--sample]`.
let arguments = CommandLine.arguments
func option(_ name: String, default value: String) -> String {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return value }
    return arguments[index + 1]
}
let database = option("--db", default: "data/library.sqlite")
let seeds = option("--seeds", default: "seeds")
let application = LibraryApplication.application

do {
    if arguments.contains("--sample") {
        // Only for trying the example: a new store gets the desk's history before its first
        // boot, so the seeds find work. A real application boots first.
        try await LibrarySample.fill(try Cairn.open(application, database: database))
    }
    // Boot: creates the file, its folder and Cairn's tables when missing; applies what is pending.
    try await Cairn.boot(application, database: database, seeds: seeds)
    // The application's own commands go through the same store and handlers.
    let store = try Cairn.open(application, database: database)
    let out = try await store.query { model in
        try model.scalar("SELECT count(*) FROM loans")?.int ?? 0
    }
    print("library: \(out) books out")
} catch RunnerError.migrationFailed(let failure, _) where failure.cause is HandlerRejection {
    // A seed's row was refused by a handler: the run and its log are in the database.
    FileHandle.standardError.write(Data("library: boot failed: \(failure.error)\n".utf8))
    exit(failure.exitCode)
} catch let error as any ExplainedError {
    // Every Cairn error says what, where and what to do, and carries its exit code.
    FileHandle.standardError.write(Data("library: \(error)\n".utf8))
    exit(error.exitCode)
} catch {
    // Anything else (your own errors): still a clean exit, never a crash.
    FileHandle.standardError.write(Data("library: \(error)\n".utf8))
    exit(1)
}

import CairnRunner
import CairnStore
import Foundation
import LibraryLoans

// library-app [--db PATH] [--seeds DIR] [--sample] [--lend BOOK MEMBER]
let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: String) -> String {
    arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil } ?? fallback
}
let database = option("--db", "data/library.sqlite")
let application = LibraryApplication.application

do {
    if arguments.contains("--sample") {
        // For trying the example: the desk's history before the first boot, so the seeds find work.
        try await LibrarySample.fill(try Cairn.open(application, database: database))
    }
    // Creates the file, its folder and Cairn's tables when missing; applies what is pending.
    try await Cairn.boot(application, database: database, seeds: option("--seeds", "seeds"))
    let store = try Cairn.open(application, database: database)
    if let index = arguments.firstIndex(of: "--lend"), index + 2 < arguments.count {
        try await store.execute(Command(
            QualifiedName(validated: "library:write:lend-book"),
            payload: ["bookId": .string(arguments[index + 1]), "memberId": .string(arguments[index + 2]),
                      "dueOn": "2027-01-15"],
            actor: Actor(role: LibraryApplication.librarian, id: "desk-1")))
    }
    let out = try await store.query { model in try model.scalar("SELECT count(*) FROM loans")?.int ?? 0 }
    print("library: \(out) books out")
} catch RunnerError.migrationFailed(let failure, let run) where failure.cause is HandlerRejection {
    // The typed cause: a HandlerRejection, a VersionConflict, your own error.
    FileHandle.standardError.write(Data(
        "library: boot failed in \(failure.migrationId): \(failure.error); `library-cairn log \(run)` has the run\n".utf8))
    exit(failure.exitCode)
} catch let error as any ExplainedError {
    // Every Cairn error says what, where and what to do, and carries its exit code;
    // a failed run and its log are in the database for `library-cairn log`.
    FileHandle.standardError.write(Data("library: \(error)\n".utf8))
    exit(error.exitCode)
} catch {
    // Anything else (your own errors): a message and a non-zero exit, never a crash.
    FileHandle.standardError.write(Data("library: \(error)\n".utf8))
    exit(1)
}

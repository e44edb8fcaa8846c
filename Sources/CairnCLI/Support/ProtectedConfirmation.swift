import Foundation

/// The confirmation a recovery verb needs before it writes to a protected environment.
///
/// `--confirm NAME` repeats the environment's name, for scripts; without it, on a terminal,
/// the command asks for the name to be typed; with neither, it is refused (exit 2) and writes
/// nothing. A `--confirm` that names another environment is refused everywhere: it shows the
/// command is aimed at the wrong database.
enum ProtectedConfirmation {
    /// Checks the confirmation of `action` (a phrase such as "repair ID") on `target`.
    ///
    /// - Throws: `CLIUsageError` (exit 2) when the name does not match, or none can be asked for.
    static func check(_ target: Target, confirm: String?, action: String, isTerminal: Bool = isatty(0) != 0 && isatty(2) != 0) throws {
        let name = target.name
        if let confirm {
            guard confirm == name else {
                throw CLIUsageError(
                    "--confirm \(Output.safe(confirm)) does not name this environment, \(Output.safe(name))",
                    remedy: "check --env/--db; to \(action) in \(Output.safe(name)), pass --confirm \(Output.safe(name)); nothing was written")
            }
            return
        }
        guard target.protected else { return }
        guard isTerminal else {
            throw CLIUsageError(
                "\(Output.safe(name)) is protected: to \(action) there, confirm its name; there is no terminal to ask on",
                remedy: "pass --confirm \(Output.safe(name)); nothing was written")
        }
        Output.prompt("\(Output.safe(name)) is protected. Type its name to \(action) there: ")
        let answer = readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces)
        guard answer == name else {
            throw CLIUsageError(
                answer == nil || answer?.isEmpty == true
                    ? "no name typed: \(action) in \(Output.safe(name)) is not confirmed"
                    : "'\(Output.safe(answer ?? ""))' is not \(Output.safe(name)): \(action) is not confirmed",
                remedy: "nothing was written; type \(Output.safe(name)) exactly, or pass --confirm \(Output.safe(name))")
        }
    }
}

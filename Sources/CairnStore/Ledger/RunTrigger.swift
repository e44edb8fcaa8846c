/// What started a run: an application's boot, the command line or the console.
public enum RunTrigger: String, Sendable, CaseIterable, Codable {
    case boot, cli, console
}

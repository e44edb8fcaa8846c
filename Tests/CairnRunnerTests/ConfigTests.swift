@testable import CairnRunner
import Foundation
import Testing

@Suite("cairn.toml")
struct ConfigTests {
    @Test("reads seeds, theme and environments, resolving relative paths against the file's folder")
    func readsEverything() throws {
        let config = try CairnConfig.parse("""
            seeds = "db/seeds"
            theme = "light"
            default_environment = "staging"

            [environments.staging]
            database = "data/staging.sqlite"

            [environments.production]
            database = "/srv/app/events.sqlite"
            protected = true
            """, path: "/work/app/cairn.toml")
        #expect(config.seeds == "/work/app/db/seeds")
        #expect(config.theme == "light")
        #expect(try config.environment(named: "staging").database == "/work/app/data/staging.sqlite")
        #expect(try config.environment(named: "production").protected)
        #expect(config.implicitEnvironment?.name == "staging")
    }

    @Test("errors name the file and say what is wrong", arguments: [
        ("seeds = ", "is not valid TOML"),
        ("seed = \"x\"", "unknown key 'seed'"),
        ("theme = 3", "'theme' must be a string"),
        ("[environments.a]\nprotected = true", "needs `database"),
        ("[environments.a]\ndatabase = \"x\"\nprotect = true", "unknown key 'protect' in [environments.a]"),
        ("[environments.a]\ndatabase = \"x\"\nprotected = \"yes\"", "'protected' in [environments.a] must be true or false"),
        ("default_environment = \"b\"\n[environments.a]\ndatabase = \"x\"", "default_environment 'b' is not one of"),
    ])
    func errors(text: String, message: String) {
        #expect {
            try CairnConfig.parse(text, path: "/w/cairn.toml")
        } throws: { error in
            let config = error as? ConfigError
            return config?.summary.hasPrefix("/w/cairn.toml: ") == true && config?.summary.contains(message) == true
        }
    }

    @Test("an unknown environment lists the known ones")
    func unknownEnvironment() throws {
        let config = try CairnConfig.parse("[environments.a]\ndatabase = \"x\"", path: "/w/cairn.toml")
        #expect {
            try config.environment(named: "prod")
        } throws: { error in
            (error as? ConfigError)?.remedy == "known: a"
        }
    }

    @Test("without a file the defaults are ./seeds and no environments")
    func defaults() throws {
        let directory = try TemporaryDirectory()
        let config = try CairnConfig.load(from: directory.url.path)
        #expect(config.path == nil)
        #expect(config.seeds == directory.path("seeds"))
        #expect(config.environments.isEmpty)
    }
}

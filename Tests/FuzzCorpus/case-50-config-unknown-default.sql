default_environment = "staging"
[environments.local]
database = "events.sqlite"

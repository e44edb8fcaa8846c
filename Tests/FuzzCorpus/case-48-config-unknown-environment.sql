[environments.local]
database = "events.sqlite"

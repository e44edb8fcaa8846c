seed = "seeds"
[environments.local]
database = "events.sqlite"

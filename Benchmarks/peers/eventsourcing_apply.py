#!/usr/bin/env python3
"""The bench's apply workload in Python's `eventsourcing` (9.5.6) on SQLite, for `cairn-bench --peer`.

`build` writes a store of N membership aggregates with three events of history each;
`apply` copies nothing and changes that store: it loads every aggregate, gives it one
more role (one event) and saves, in batches of `--batch` aggregates per save (one
transaction each), and prints the seconds that took as JSON. `cairn-bench --peer`
runs `build` once, then `apply` on a fresh copy per repetition in both of the
library's modes — one save per aggregate and 256 aggregates per save — alternately
with Cairn's own apply, and compares Cairn with the faster mode.

    pip install eventsourcing==9.5.6
    python3 Benchmarks/peers/eventsourcing_apply.py build --store /tmp/peer.sqlite --aggregates 10000
    python3 Benchmarks/peers/eventsourcing_apply.py apply --store /tmp/peer.sqlite --batch 256
"""
import argparse
from importlib import metadata
import json
import sys
import time

try:
    import eventsourcing
    from eventsourcing.application import Application
    from eventsourcing.domain import Aggregate, event
except ImportError:
    sys.stderr.write(
        "the peer needs Python's eventsourcing library: pip install eventsourcing==9.5.6\n")
    sys.exit(3)


class Membership(Aggregate):
    """A tenant membership: a user's roles in a tenant."""

    @event("Added")
    def __init__(self, user_id: str, tenant_id: str, roles: list):
        self.user_id = user_id
        self.tenant_id = tenant_id
        self.roles = list(roles)

    @event("Updated")
    def update_roles(self, roles: list):
        self.roles = list(roles)


class Memberships(Application):
    """The application around the aggregates; no snapshots, as Cairn's bench store has none."""

    is_snapshotting_enabled = False


def open_application(store: str) -> Memberships:
    return Memberships(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": store})


def build(store: str, aggregates: int) -> None:
    app = open_application(store)
    ids, pending = [], []
    for index in range(aggregates):
        membership = Membership(f"user-{index}", f"tenant-{index % 100}", ["Member", "Owner"])
        membership.update_roles(["Member", "Owner", "Admin"])
        membership.update_roles(["Member"])
        pending.append(membership)
        ids.append(str(membership.id))
        if len(pending) == 256:
            app.save(*pending)
            pending = []
    if pending:
        app.save(*pending)
    app.close()
    with open(store + ".ids.json", "w") as file:
        json.dump(ids, file)


def apply(store: str, batch: int) -> None:
    from uuid import UUID

    with open(store.rsplit(".copy", 1)[0] + ".ids.json") as file:
        ids = [UUID(text) for text in json.load(file)]
    app = open_application(store)
    start = time.perf_counter()
    for offset in range(0, len(ids), batch):
        chunk = [app.repository.get(aggregate_id) for aggregate_id in ids[offset:offset + batch]]
        for membership in chunk:
            membership.update_roles(membership.roles + ["Viewer"])
        app.save(*chunk)
    seconds = time.perf_counter() - start
    app.close()
    json.dump({"aggregates": len(ids), "batch": batch, "seconds": seconds,
               "version": metadata.version("eventsourcing")},
              sys.stdout)
    sys.stdout.write("\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    built = commands.add_parser("build")
    built.add_argument("--store", required=True)
    built.add_argument("--aggregates", type=int, required=True)
    applied = commands.add_parser("apply")
    applied.add_argument("--store", required=True)
    applied.add_argument("--batch", type=int, default=256)
    arguments = parser.parse_args()
    if arguments.command == "build":
        build(arguments.store, arguments.aggregates)
    else:
        apply(arguments.store, arguments.batch)


if __name__ == "__main__":
    main()

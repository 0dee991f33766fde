"""Migration-test helper: the newest state of every other app that does not yet
need the migrations under test, so a test can step one app back and forth while
the apps that build on it step back with it."""

from __future__ import annotations

from django.db.migrations.loader import MigrationLoader

Node = tuple[str, str]


def targets_before(loader: MigrationLoader, app: str, migration: str) -> list[Node]:
    """Targets for migrating ``app`` back to ``migration`` (every later migration of
    ``app`` unapplied, each other app at its newest migration not depending on them)."""
    graph = loader.graph
    too_new = {
        node
        for node in graph.nodes
        if node[0] == app and node not in graph.forwards_plan((app, migration))
    }
    targets = [(app, migration)]
    for leaf in graph.leaf_nodes():
        if leaf[0] == app:
            continue
        chain = [n for n in graph.forwards_plan(leaf) if n[0] == leaf[0]]
        usable = [n for n in chain if not too_new.intersection(graph.forwards_plan(n))]
        if usable:
            targets.append(usable[-1])
        else:
            targets.append((leaf[0], None))  # the whole app needs the newer migrations
    return targets

"""Default values of the cluster settings (any of them can be overridden with ``-s NAME=value``)."""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {
    "CLUSTER_KEY_PREFIX": "peatmoss",  # every Redis key of the cluster starts with this
    "CLUSTER_NODE_TTL": 15.0,  # seconds without a heartbeat before a node counts as dead (its leases are requeued)
    "CLUSTER_HEARTBEAT_INTERVAL": 2.0,
    "CLUSTER_ACK_INTERVAL": 0.5,  # store flush + acknowledgements + children pushed, this often
    "CLUSTER_POLL_INTERVAL": 0.25,  # how often an idle node looks at the shared frontier
    "CLUSTER_PROGRESS_INTERVAL": 30.0,  # the cluster-wide progress log line (0 = off)
    "CLUSTER_REDIS_TIMEOUT": 5.0,  # socket timeout of Redis calls
    "CLUSTER_SEED_LOCK_TTL": 60.0,  # a seeding node that stops heart-beating for this long is replaced
    "CLUSTER_FINISHED_TTL": 7 * 24 * 3600,  # how long a finished run's counters stay in Redis
}


def setting(settings: Any, name: str) -> Any:
    """A cluster setting, or its default."""
    value = settings.get(name)
    return DEFAULTS[name] if value is None else value

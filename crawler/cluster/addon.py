"""``ClusterAddon``: turns a node into a cluster member when (and only when) ``REDIS_URL`` is set.

Registered once in ``crawler/settings.py`` (``ADDONS``); it runs after every setting source (project, command
line, spider) is known, so ``-s REDIS_URL=...``, the environment variable and spider settings all work, for
every spider, without any spider code.
"""

from __future__ import annotations

import logging

from scrapy.settings import Settings

from crawler.cluster.defaults import DEFAULTS
from crawler.db.engine import database_url

logger = logging.getLogger(__name__)

PRIORITY = "addon"


class ClusterAddon:
    def update_settings(self, settings: Settings) -> None:
        if not settings.get("REDIS_URL"):
            return
        for name, value in DEFAULTS.items():
            if settings.get(name) is None:
                settings.set(name, value, priority="default")
        settings.set("SCHEDULER", "crawler.cluster.scheduler.ClusterScheduler", priority=PRIORITY)
        settings.set("SCHEDULER_PERSIST", True, priority=PRIORITY)
        settings.set_in_component_priority_dict("EXTENSIONS", "crawler.cluster.extension.ClusterExtension", 100)
        settings.set_in_component_priority_dict("SPIDER_MIDDLEWARES", "crawler.cluster.seeding.SeedOnceMiddleware", 10)
        settings.set_in_component_priority_dict("SPIDER_MIDDLEWARES", "crawler.cluster.lineage.LineageMiddleware", 5)
        # The rate budgets (crawler/budget) are shared: held in Redis, so a 429 stops every node, not just this one.
        settings.set("RATE_BUDGET_STORE", "crawler.cluster.budget.RedisStore", priority=PRIORITY)
        if settings.get("JOBDIR"):
            logger.warning("Cluster mode: the frontier lives in Redis; JOBDIR only keeps spider state")
        url = database_url(settings.get("DATABASE_URL"))
        if not url.startswith(("postgres", "postgresql")):
            logger.warning(
                "Cluster mode without a PostgreSQL DATABASE_URL: only nodes on this machine share the database"
            )

"""Cluster mode: several crawl nodes share one frontier, dupefilter, rate budget and database.

Switched on by the ``REDIS_URL`` setting alone (``crawler.cluster.addon.ClusterAddon``): every node then runs the
same ``scrapy crawl <spider>``. Built on scrapy-redis, with what it lacks on Scrapy 2.19 written here:

* ``run``        per-run keys, node registry and heartbeats, the clean-finish test, the database crawl_run row
* ``scheduler``  the Redis scheduler: atomic dupefilter+push, leased pops, requests held locally while Redis is down
* ``leases``     a popped request stays leased until its outcome is stored; a dead node's leases go back to the queue
* ``seeding``    the spider's ``start()`` runs once per run, however many nodes start
* ``budget``     the rate budgets of crawler/budget held in Redis: one per registry, bucket and token, shared
* ``progress``   cluster-wide counts: a periodic log line and ``scrapy progress``
"""

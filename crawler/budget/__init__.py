"""Rate budgets: one sliding-window budget per registry, bucket and token, in single-node and cluster mode alike.

* ``budget``      :class:`RateBudget`: which budget a request spends, the limits it starts from (published, or
                  ``RATE_BUDGET_LIMITS``), what a response says about the quota; the :class:`BudgetStore` interface
* ``memory``      the in-process store of a single node
* ``middleware``  the downloader middleware that makes every budgeted request wait for a grant

The cluster's store (the same budget held in Redis, shared by every node) is ``crawler.cluster.budget``; the
cluster add-on switches ``RATE_BUDGET_STORE`` to it.
"""

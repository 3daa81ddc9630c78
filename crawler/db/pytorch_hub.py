"""Our PyTorch Hub tables: the model pages of ``pytorch/hub`` and every entrypoint of the source repositories.

PeaTMOSS keeps one ``model`` row per entrypoint a page loads; the full entrypoint list of each source repository
(``torch.hub.list``, computed statically) and the pages themselves live here.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint

from crawler.db.schema import metadata

pytorch_hub_page = Table(
    "pytorch_hub_page",
    metadata,
    Column("path", String, primary_key=True),  # path in pytorch/hub, e.g. pytorch_vision_resnet.md
    Column("sha", String),  # git blob sha of the page
    Column("title", Text),
    Column("summary", Text),
    Column("category", String),
    Column("author", Text),
    Column("github_id", String),  # as written in the front matter
    Column("tags", Text),  # JSON list
    Column("front_matter", Text),  # JSON, every key, cleaned
    Column("strict_yaml", Integer),  # 0 when PyYAML refused the block and the line parser read it
    Column("loads", Text),  # JSON [{owner, repo, ref, entrypoint, line, commented}]
    Column("broken_blocks", Integer),  # python blocks that did not parse
    Column("last_seen_at", String),
    Column("last_seen_run_id", Integer, ForeignKey("crawl_run.id")),
)

pytorch_hub_entrypoint = Table(
    "pytorch_hub_entrypoint",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("repo", String, nullable=False),  # canonical owner/name of the source repository
    Column("ref", String, nullable=False),  # the ref the pages load; '' = default branch
    Column("name", String, nullable=False),
    Column("kind", String),  # function | class | imported | alias | page (loaded by a page, not found statically)
    Column("line", Integer),  # in hubconf.py
    Column("source", Text),  # module.name of an imported entrypoint, target of an alias
    Column("doc", Text),  # first docstring line (what torch.hub.help shows)
    Column("in_hubconf", Integer),  # 0/1
    Column("model_id", Integer, ForeignKey("model.id")),  # the PeaTMOSS model row, when a page loads it
    Column("hubconf_sha", String),
    Column("last_seen_at", String),
    Column("last_seen_run_id", Integer, ForeignKey("crawl_run.id")),
    UniqueConstraint("repo", "ref", "name", name="uq_pytorch_hub_entrypoint_repo_ref_name"),
    sqlite_autoincrement=True,
)

# One row per source repository and ref: what its hubconf.py declares besides entrypoints.
pytorch_hub_source = Table(
    "pytorch_hub_source",
    metadata,
    Column("repo", String, primary_key=True),
    Column("ref", String, primary_key=True),
    Column("requested", String),  # owner/name as the pages spell it (case, old names)
    Column("hubconf_sha", String),
    Column("dependencies", Text),  # JSON list of the module-level `dependencies`
    Column("star_imports", Text),  # JSON list of `from m import *` modules (their names are not listed)
    Column("error", Text),  # why hubconf.py could not be listed
    Column("last_seen_at", String),
    Column("last_seen_run_id", Integer, ForeignKey("crawl_run.id")),
)

"""Generated GitHub world of the fake registry: a pure function of (seed, number of repositories, pages).

Downstream repositories (some forks, archived, renamed, deleted or private), the ``pytorch/hub`` repository and the
source repositories of its pages, with issues, pull requests, comments, reviews, commits, files and checks.
Generation G (``POST /_fake/generation?g=G``): about 10% of repositories change per generation (one new issue or
pull request, one new comment on an older one); nothing else moves, so unchanged resources keep their ETag.
"""

from __future__ import annotations

import hashlib
import random
from typing import Any

from . import github_files as F
from . import github_pytorch as P
from .github_model import (
    EPOCH0,
    REACTIONS,
    WEEK,
    CheckRun,
    Comment,
    Issue,
    Label,
    Milestone,
    PrCommit,
    PullInfo,
    Repo,
    Review,
    User,
    node_id,
)
from .hf_vocab import USER_NAMES

START = 1514764800  # 2018-01-01: oldest generated repository
MAX_GEN = 60
CHANGE_RATE = 0.1
HF_LIBRARIES = {"transformers", "diffusers", "sentence-transformers", "timm"}
ORGS = ["deepvision-lab", "nlp-collective", "Open-Speech", "ml_foundry", "tinyml.org", "AudioWorks", "robo-ai"]
STEMS = [
    "bert-qa",
    "image-captioning",
    "sentiment_api",
    "chatbot",
    "stable-diffusion-ui",
    "semantic-search",
    "speech2text",
    "yolo_demo",
    "kaggle-solutions",
    "text-summarizer",
    "clip.retrieval",
    "medical-ner",
    "thesis-code",
    "ml_utils",
    "vision-transformer-finetune",
    "llm-eval",
    "rag-pipeline",
    "doc-classifier",
]
LICENSES = {
    "mit": ("MIT License", "MIT", "MDc6TGljZW5zZTEz"),
    "apache-2.0": ("Apache License 2.0", "Apache-2.0", "MDc6TGljZW5zZTI="),
    "bsd-3-clause": ('BSD 3-Clause "New" or "Revised" License', "BSD-3-Clause", "MDc6TGljZW5zZTU="),
    "gpl-3.0": ("GNU General Public License v3.0", "GPL-3.0", "MDc6TGljZW5zZTk="),
    "lgpl-3.0": ("GNU Lesser General Public License v3.0", "LGPL-3.0", "MDc6TGljZW5zZTEy"),
    "agpl-3.0": ("GNU Affero General Public License v3.0", "AGPL-3.0", "MDc6TGljZW5zZTE="),
    "cc0-1.0": ("Creative Commons Zero v1.0 Universal", "CC0-1.0", "MDc6TGljZW5zZTY="),
    "other": ("Other", "NOASSERTION", "MDc6TGljZW5zZTA="),
}
LABELS = [
    ("bug", "d73a4a", "Something isn't working", True),
    ("enhancement", "a2eeef", "New feature or request", True),
    ("question", "d876e3", "Further information is requested", True),
    ("documentation", "0075ca", "Improvements or additions to documentation", True),
    ("good first issue", "7057ff", "Good for newcomers", True),
    ("wontfix", "ffffff", "This will not be worked on", True),
    ("dependencies", "0366d6", "Pull requests that update a dependency file", False),
    ("model-loading", "fbca04", None, False),
]
ISSUE_TITLES = [
    "Error when loading the pretrained weights",
    "CUDA out of memory during inference",
    "Which checkpoint was used for the paper results?",
    "Add support for Apple MPS",
    "README example fails with the latest transformers",
    "Tokenizer warning: special tokens added",
    "Results differ from the reported numbers",
    "Docker image does not build",
]
PR_TITLES = [
    "Bump transformers from 4.30.0 to 4.38.0",
    "Fix typo in README",
    "Add ONNX export script",
    "Load the model once instead of per request",
    "Pin torch version",
    "Support half precision inference",
]
COMMENT_TEXTS = [
    "Thanks for the report, I can reproduce it.",
    "Could you share the full traceback?",
    "Fixed in the latest commit, please pull again.",
    "Same problem here with torch 2.1.",
    "LGTM, merging.",
    "This is a duplicate of an earlier issue.",
]
CHECK_NAMES = ["build (3.10)", "build (3.11)", "lint", "tests"]


def rng(*parts: object) -> random.Random:
    return random.Random(hashlib.sha256(":".join(map(str, parts)).encode()).digest())


def license_text(key: str | None, owner: str, year: int) -> bytes | None:
    if key is None:
        return None
    if key == "other":
        return f"Copyright (c) {year} {owner}. All rights reserved. Research use only; ask before reuse.\n".encode()
    name = LICENSES[key][0]
    return f"{name}\n\nCopyright (c) {year} {owner}\n\nSee https://spdx.org/licenses/{LICENSES[key][1]}.html\n".encode()


def _reactions(r: random.Random, busy: float = 0.3) -> dict[str, int]:
    if r.random() > busy:
        return dict.fromkeys(REACTIONS, 0)
    return {k: int(r.random() ** 3 * 6) for k in REACTIONS}


class World:
    """Every repository of the fake GitHub, looked up by id, current name or old name (case-insensitive)."""

    def __init__(
        self, seed: int, n_repos: int, n_pages: int, hf_ids: dict[str, list[str]], issues_per_repo: int | None = None
    ) -> None:
        self.seed = seed
        self.issues_per_repo = issues_per_repo
        self.generation = 0
        self.git_root: str | None = None  # folder of the bare repositories (github_git.GitStore)
        self.git_store: object | None = None
        self.users = [User(f"{name}{k or ''}", 1000 + i, "User") for i, (k, name) in enumerate(_user_names(seed))]
        self.bots = [User("dependabot[bot]", 49699333, "Bot"), User("github-actions[bot]", 41898282, "Bot")]
        self.orgs = [User(name, 9000 + i, "Organization") for i, name in enumerate(ORGS)]
        self.ghost = User("ghost", 10137, "User")
        self.repos: list[Repo] = []
        self._next_id = 0
        srcs = P.sources(n_pages) if n_pages else []
        self.pages = P.pages(n_pages, srcs, seed) if srcs else []
        torchhub = [
            (ld["repo"] + (f":{ld['ref']}" if ld["ref"] else ""), ld["entrypoint"])
            for p in self.pages
            for ld in p.loads
        ]
        self.pools = F.Pools({k: v for k, v in hf_ids.items() if v}, torchhub)
        for key in range(n_repos):
            self.repos.append(self._downstream(key))
        if self.pages:
            self.hub = self._hub_repo(n_repos, self.pages)
            self.repos.append(self.hub)
            self.sources: dict[str, Repo] = {}
            for j, src in enumerate(srcs):
                repo = self._source_repo(n_repos + 1 + j, src)
                self.sources[src.full_name] = repo
                self.repos.append(repo)
        self.by_id = {repo.id: repo for repo in self.repos}
        self.by_name = {repo.full_name.lower(): repo for repo in self.repos}
        self.by_old_name = {repo.old_full_name.lower(): repo for repo in self.repos if repo.old_full_name}

    # ------------------------------------------------------------------ lookups
    def find(self, full_name: str) -> tuple[Repo | None, bool]:
        """(repo, renamed): a repository by current or old name; renamed=True when found by its old name."""
        repo = self.by_name.get(full_name.lower())
        if repo is not None:
            return repo, False
        repo = self.by_old_name.get(full_name.lower())
        return repo, repo is not None

    def set_generation(self, generation: int) -> None:
        self.generation = max(0, min(MAX_GEN, generation))

    # ------------------------------------------------------------------ repositories
    def _repo_id(self, key: int) -> int:
        return 600_000_000 + key * 7919 + rng(self.seed, key, "id").randrange(7000)

    def _owner(self, r: random.Random) -> User:
        return r.choice(self.orgs) if r.random() < 0.3 else r.choice(self.users)

    def _downstream(self, key: int) -> Repo:
        r = rng(self.seed, key, "repo")
        owner = self._owner(r)
        stem = r.choice(STEMS)
        name = stem if r.random() < 0.4 else f"{stem}-{key}"
        if any(x.full_name.lower() == f"{owner.login}/{name}".lower() for x in self.repos):
            name = f"{stem}-{key}"
        created = int(START + (EPOCH0 - 30 * 86400 - START) * r.random())
        pushed = created + int((EPOCH0 - 86400 - created) * r.random())
        roll = r.random()
        lic = None if roll < 0.25 else "other" if roll < 0.4 else r.choice([k for k in LICENSES if k != "other"])
        repo = Repo(
            key=key,
            kind="downstream",
            id=self._repo_id(key),
            owner=owner,
            name=name,
            description=None
            if r.random() < 0.2
            else f"{stem.replace('-', ' ').replace('_', ' ')} with pre-trained models",
            created_ts=created,
            pushed_ts=pushed,
            default_branch="main" if r.random() < 0.8 else "master",
            stars=int(r.paretovariate(1.2)) - 1,
            license=lic,
            topics=r.sample(["pytorch", "transformers", "nlp", "computer-vision", "deep-learning"], k=r.randint(0, 3)),
        )
        repo.forks = int(repo.stars * r.random() * 0.3)
        repo.subscribers = 1 + int(repo.stars * 0.05)
        status = r.random()
        if status < 0.05:
            repo.status = "renamed"
            repo.old_owner, repo.old_name = (
                (owner.login if r.random() < 0.7 else r.choice(self.users).login),
                name + "-old",
            )
        elif status < 0.08:
            repo.status = "deleted"
        elif status < 0.10:
            repo.status = "private"
        repo.archived = r.random() < 0.06
        parent = self.repos[r.randrange(key)] if key > 3 and r.random() < 0.08 else None
        if parent is not None and parent.fork_of is None and parent.status == "ok":
            repo.fork_of = parent
            repo.files, repo.history = dict(parent.files), list(parent.history)
            repo.loads, repo.decoys = list(parent.loads), list(parent.decoys)
            repo.license, repo.default_branch = parent.license, parent.default_branch
        else:
            text = license_text(lic, owner.login, _year(created))
            repo.files, repo.history, repo.loads, repo.decoys = F.downstream_files(
                r, self.pools, owner.login, name, text
            )
        self._issues(repo)
        return repo

    def _hub_repo(self, key: int, pages: list[P.Page]) -> Repo:
        org = User("pytorch", 21003710, "Organization")
        repo = Repo(
            key, "hub", 123391690, org, "hub", "Submission to https://pytorch.org/hub/", 1554076800, EPOCH0 - 86400 * 40
        )
        repo.default_branch = "master"
        repo.license = "bsd-3-clause"
        repo.stars = 1400
        repo.files = P.hub_files(pages)
        repo.files["LICENSE"] = license_text("bsd-3-clause", "pytorch", 2019) or b""
        repo.history = [("Initial commit", ["README.md", "LICENSE"]), ("Add model pages", [p for p in repo.files])]
        self._issues(repo)
        return repo

    def _source_repo(self, key: int, src: P.Source) -> Repo:
        r = rng(self.seed, key, "source", src.full_name)
        owner = next((o for o in self.orgs if o.login == src.owner), None) or User(
            src.owner, 7_000_000 + key, "Organization"
        )
        lic = ["mit", "apache-2.0", "bsd-3-clause", "other", None][key % 5]
        created = int(START + (EPOCH0 - START) * 0.3 * r.random())
        repo = Repo(
            key, "source", self._repo_id(key), owner, src.name, f"{src.name} models", created, EPOCH0 - 86400 * 3
        )
        repo.default_branch, repo.license, repo.stars = src.branch, lic, 200 + int(r.random() * 5000)
        if src.old_name:
            repo.status, repo.old_owner, repo.old_name = "renamed", src.owner, src.old_name
        repo.files = P.source_files(src, r, license_text(lic, src.owner, _year(created)))
        first = ["README.md"] + (["LICENSE"] if "LICENSE" in repo.files else [])
        repo.history = [("Initial commit", first), ("Add hubconf.py", [p for p in repo.files if p not in first])]
        repo.refs = [src.ref] if src.ref else []
        self._issues(repo)
        return repo

    # ------------------------------------------------------------------ issues and pull requests
    def _issues(self, repo: Repo) -> None:
        r = rng(self.seed, repo.key, repo.kind, "issues")
        if repo.status in ("deleted", "private"):
            return
        n = self.issues_per_repo if self.issues_per_repo is not None else int(81 * r.random() ** 2)
        team = [repo.owner if repo.owner.type == "User" else r.choice(self.users), *r.sample(self.users, k=3)]
        names = r.sample(LABELS, k=r.randint(2, len(LABELS)))
        repo.labels = [Label(repo.id * 10 + i, nm, col, desc, dflt) for i, (nm, col, desc, dflt) in enumerate(names)]
        for m in range(r.choice([0, 0, 1, 2, 3])):
            due = EPOCH0 + int((m - 1) * 90 * 86400) if r.random() < 0.7 else None
            ms = Milestone(
                repo.id * 100 + m,
                m + 1,
                f"v{m + 1}.0",
                r.choice([None, f"Release {m + 1}"]),
                "closed" if due and due < EPOCH0 else "open",
                due,
                repo.created_ts + 86400 * (m + 1),
                team[0],
            )
            repo.milestones.append(ms)
        for number in range(1, n + 1):
            repo.issues.append(self._item(repo, r, number, team, 0, repo.created_ts, EPOCH0))
        # later generations: one new item and one new comment per change
        rc = rng(self.seed, repo.key, repo.kind, "changes")
        repo.change_gens = [g for g in range(1, MAX_GEN + 1) if rc.random() < CHANGE_RATE]
        for g in repo.change_gens:
            lo = EPOCH0 + (g - 1) * WEEK
            older = [i for i in repo.issues if i.born_gen < g]
            if older:
                target = rc.choice(older)
                ts = lo + rc.randrange(3600, WEEK // 2)
                target.comments.append(self._comment(repo, rc, rc.choice(team), ts, g))
            repo.issues.append(self._item(repo, rc, len(repo.issues) + 1, team, g, lo + WEEK // 2, lo + WEEK - 60))

    def _comment(self, repo: Repo, r: random.Random, who: User, ts: int, gen: int) -> Comment:
        self._next_id += 1
        assoc = "OWNER" if who == repo.owner else r.choice(["CONTRIBUTOR", "NONE", "MEMBER"])
        minimized = "outdated" if r.random() < 0.05 else None
        return Comment(
            2_000_000_000 + self._next_id, who, r.choice(COMMENT_TEXTS), ts, ts, assoc, _reactions(r), minimized, gen
        )

    def _item(self, repo: Repo, r: random.Random, number: int, team: list[User], gen: int, lo: int, hi: int) -> Issue:
        is_pr = r.random() < 0.4
        author = (
            r.choice(self.bots)
            if is_pr and r.random() < 0.2
            else (self.ghost if r.random() < 0.03 else r.choice(self.users))
        )
        created = lo + int((hi - lo) * r.random() ** 0.7)
        now = EPOCH0 + gen * WEEK
        closed = r.random() < 0.55 and gen == 0
        closed_ts = created + int((now - created) * r.random()) if closed else None
        comments: list[Comment] = []
        ts = created
        for _ in range(int(r.random() ** 2 * 9)):
            ts += int((now - ts) * r.random() * 0.3)
            comments.append(self._comment(repo, r, r.choice([*team, *r.sample(self.users, k=2)]), ts, gen))
        labels = r.sample(repo.labels, k=min(len(repo.labels), r.choice([0, 0, 1, 1, 2, 3])))
        assignees = r.sample(team, k=r.choice([0, 0, 0, 1, 2]))
        milestone = r.choice(repo.milestones) if repo.milestones and r.random() < 0.3 else None
        self._next_id += 1
        iid = 1_500_000_000 + self._next_id
        state_reason = ("not_planned" if r.random() < 0.2 else "completed") if closed and not is_pr else None
        if not closed and not is_pr and r.random() < 0.05:
            state_reason = "reopened"
        title = r.choice(PR_TITLES if is_pr else ISSUE_TITLES)
        body = None if r.random() < 0.1 else f"{title}.\n\nSteps to reproduce:\n\n```python\nimport torch\n```\n"
        assoc = "OWNER" if author == repo.owner else r.choice(["CONTRIBUTOR", "NONE", "FIRST_TIME_CONTRIBUTOR"])
        updated = max([created, closed_ts or 0, *(c.created_ts for c in comments)])
        issue = Issue(
            number,
            iid,
            node_id("PR" if is_pr else "I", repo.id, number),
            title,
            body,
            author,
            assoc,
            labels,
            assignees,
            milestone,
            "closed" if closed else "open",
            state_reason,
            created,
            updated,
            closed_ts,
            r.choice(team) if closed else None,
            r.random() < 0.03,
            _reactions(r),
            comments,
            None,
            gen,
        )
        if is_pr:
            issue.pull = self._pull(repo, r, issue, team)
        return issue

    def _pull(self, repo: Repo, r: random.Random, issue: Issue, team: list[User]) -> PullInfo:
        merged = issue.state == "closed" and r.random() < 0.7
        draft = issue.state == "open" and r.random() < 0.15
        cross = issue.user not in team and r.random() < 0.8
        head_owner = (None if r.random() < 0.1 else issue.user) if cross else repo.owner
        n_commits = 1 + int(r.random() ** 2 * 5)
        commits = []
        ts = issue.created_ts - 3600
        for k in range(n_commits):
            ts += int(r.random() * 1800)
            login = None if issue.user.type == "Bot" or r.random() < 0.1 else issue.user.login
            oid = hashlib.sha1(f"{repo.id}:{issue.number}:{k}".encode()).hexdigest()
            msg = r.choice(["Fix loading", "Update requirements", "Address review comments", "Add test"])
            commits.append(
                PrCommit(
                    oid,
                    ts,
                    ts + 60,
                    msg,
                    "" if r.random() < 0.6 else "Details in the PR.",
                    [(f"{issue.user.login}@users.noreply.github.com", issue.user.login, login)],
                )
            )
        files = []
        for path in r.sample(sorted(repo.files) or ["README.md"], k=min(len(repo.files) or 1, 1 + int(r.random() * 3))):
            files.append((path, int(r.random() * 80), int(r.random() * 30)))
        reviews = []
        for k in range(r.choice([0, 0, 1, 1, 2])):
            self._next_id += 1
            state = r.choice(["APPROVED", "COMMENTED", "CHANGES_REQUESTED"])
            reviewer = r.choice(team)
            when = issue.created_ts + int(3600 * (k + 1) * r.random() * 24)
            reviews.append(
                Review(
                    3_000_000_000 + self._next_id,
                    reviewer,
                    r.choice(["", "Looks good.", "Please add a test."]),
                    state,
                    when,
                    "OWNER" if reviewer == repo.owner else "MEMBER",
                    _reactions(r, 0.1),
                    r.random() < 0.1,
                )
            )
        decision = None
        if reviews:
            decision = (
                "APPROVED"
                if reviews[-1].state == "APPROVED"
                else "CHANGES_REQUESTED"
                if reviews[-1].state == "CHANGES_REQUESTED"
                else "REVIEW_REQUIRED"
            )
        checks = None
        if r.random() < 0.7:
            checks = []
            for name in r.sample(CHECK_NAMES, k=r.randint(1, len(CHECK_NAMES))):
                ok = r.random() < 0.8
                start = commits[-1].committed_ts + 30
                checks.append(
                    CheckRun(
                        name,
                        "COMPLETED",
                        "SUCCESS" if ok else "FAILURE",
                        start,
                        start + 120,
                        f"https://github.com/{repo.full_name}/actions/runs/{start}",
                    )
                )
        open_ = issue.state == "open"
        merge_oid = hashlib.sha1(f"merge:{repo.id}:{issue.number}".encode()).hexdigest()
        return PullInfo(
            draft=draft,
            merged_ts=issue.closed_ts if merged else None,
            merged_by=r.choice(team) if merged else None,
            additions=sum(f[1] for f in files),
            deletions=sum(f[2] for f in files),
            base_ref=repo.default_branch,
            head_ref=r.choice(["fix-loading", "patch-1", "dependabot/pip/transformers-4.38.0", "feature/onnx"]),
            head_owner=head_owner,
            head_repo=None if head_owner is None else repo.name,
            cross_repo=cross,
            maintainer_can_modify=cross and r.random() < 0.6,
            merge_state=("DRAFT" if draft else r.choice(["CLEAN", "BLOCKED", "DIRTY", "UNSTABLE"]))
            if open_
            else "UNKNOWN",
            mergeable=r.choice(["MERGEABLE", "CONFLICTING"]) if open_ else "UNKNOWN",
            review_decision=decision,
            merge_oid=merge_oid if merged else None,
            potential_oid=merge_oid if open_ else None,
            review_requests=r.sample(team, k=r.choice([0, 0, 1])) if open_ else [],
            reviews=reviews,
            commits=commits,
            files=files,
            checks=checks,
        )

    # ------------------------------------------------------------------ ground truth
    def truth(self, base: str) -> dict[str, Any]:
        """What tests compare crawls with (``GET /_fake/github/world``)."""
        g = self.generation
        repos = []
        for repo in self.repos:
            items = repo.visible_issues(g)
            repos.append(
                {
                    "id": repo.id,
                    "full_name": repo.full_name,
                    "kind": repo.kind,
                    "status": repo.status,
                    "old_full_name": repo.old_full_name,
                    "fork": repo.fork_of is not None,
                    "parent": repo.fork_of.full_name if repo.fork_of else None,
                    "archived": repo.archived,
                    "stars": repo.stars,
                    "default_branch": repo.default_branch,
                    "license": repo.license,
                    "issues": sum(1 for i in items if i.pull is None),
                    "pull_requests": sum(1 for i in items if i.pull is not None),
                    "comments": sum(len(i.visible_comments(g)) for i in items),
                    "clone_url": "file://" + repo.clone_path if repo.clone_path else None,
                    "head_sha": repo.head_sha or None,
                    "refs": repo.refs,
                    "files": sorted(repo.files),
                    "loads": repo.loads,
                    "decoys": repo.decoys,
                }
            )
        pages = [
            {
                "file": p.file,
                "title": p.title,
                "github_id": p.github_id,
                "source": p.source.full_name,
                "loads": p.loads,
                "commented": p.commented,
            }
            for p in self.pages
        ]
        sources = [
            {"full_name": s.full_name, "load_repo": s.load_repo, "ref": s.ref, "entrypoints": s.entrypoints}
            for s in {p.source.full_name: p.source for p in self.pages}.values()
        ]
        return {
            "generation": g,
            "github_api_url": base,
            "repositories": repos,
            "pytorch_pages": pages,
            "sources": sources,
        }


def _year(ts: int) -> int:
    return 1970 + ts // 31_556_952


def _user_names(seed: int) -> list[tuple[int, str]]:
    r = rng(seed, "users")
    out = []
    for k in range(4):
        for name in USER_NAMES:
            out.append((k * 10 + r.randrange(10) if k else 0, name))
    return out


def hf_pool(seed: int, models: int, limit: int = 3000) -> dict[str, list[str]]:
    """Public model ids of the fake HF hub of the same seed, grouped by library (a few hundred per library)."""
    if models <= 0:
        return {}
    from .hf_data import HubData

    hub = HubData(seed, models)
    pool: dict[str, list[str]] = {}
    for key in range(min(models, limit)):
        sk = hub.skeleton(key)
        if sk.private or sk.disabled or sk.library not in HF_LIBRARIES:
            continue
        ids = pool.setdefault(sk.library, [])
        if len(ids) < 200:
            ids.append(sk.id)
    return pool

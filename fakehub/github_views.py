"""REST JSON bodies of the fake GitHub, key for key as the real recordings in ../shared/fixtures/real/pygithub_*.txt.

API URLs (``url``, ``*_url``) live under the fake's base URL; ``html_url`` stays on https://github.com (what the
crawler stores as ``github.com/owner/name``); ``clone_url`` is a ``file://`` URL of a real bare repository.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote

from .github_data import LICENSES
from .github_model import Comment, Issue, Label, Milestone, Repo, User, git_blob_sha, iso

HTML = "https://github.com"
REPO_URL_TEMPLATES = [
    ("forks_url", "/forks"),
    ("keys_url", "/keys{/key_id}"),
    ("collaborators_url", "/collaborators{/collaborator}"),
    ("teams_url", "/teams"),
    ("hooks_url", "/hooks"),
    ("issue_events_url", "/issues/events{/number}"),
    ("events_url", "/events"),
    ("assignees_url", "/assignees{/user}"),
    ("branches_url", "/branches{/branch}"),
    ("tags_url", "/tags"),
    ("blobs_url", "/git/blobs{/sha}"),
    ("git_tags_url", "/git/tags{/sha}"),
    ("git_refs_url", "/git/refs{/sha}"),
    ("trees_url", "/git/trees{/sha}"),
    ("statuses_url", "/statuses/{sha}"),
    ("languages_url", "/languages"),
    ("stargazers_url", "/stargazers"),
    ("contributors_url", "/contributors"),
    ("subscribers_url", "/subscribers"),
    ("subscription_url", "/subscription"),
    ("commits_url", "/commits{/sha}"),
    ("git_commits_url", "/git/commits{/sha}"),
    ("comments_url", "/comments{/number}"),
    ("issue_comment_url", "/issues/comments{/number}"),
    ("contents_url", "/contents/{+path}"),
    ("compare_url", "/compare/{base}...{head}"),
    ("merges_url", "/merges"),
    ("archive_url", "/{archive_format}{/ref}"),
    ("downloads_url", "/downloads"),
    ("issues_url", "/issues{/number}"),
    ("pulls_url", "/pulls{/number}"),
    ("milestones_url", "/milestones{/number}"),
    ("notifications_url", "/notifications{?since,all,participating}"),
    ("labels_url", "/labels{/name}"),
    ("releases_url", "/releases{/id}"),
    ("deployments_url", "/deployments"),
]


def user(u: User, api: str, view_type: bool = False) -> dict[str, Any]:
    login = quote(u.login)
    out: dict[str, Any] = {
        "login": u.login,
        "id": u.id,
        "node_id": u.node_id,
        "avatar_url": f"https://avatars.githubusercontent.com/u/{u.id}?v=4",
        "gravatar_id": "",
        "url": f"{api}/users/{login}",
        "html_url": f"{HTML}/{'apps/' + u.login[:-5] if u.type == 'Bot' else u.login}",
        "followers_url": f"{api}/users/{login}/followers",
        "following_url": f"{api}/users/{login}/following{{/other_user}}",
        "gists_url": f"{api}/users/{login}/gists{{/gist_id}}",
        "starred_url": f"{api}/users/{login}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/users/{login}/subscriptions",
        "organizations_url": f"{api}/users/{login}/orgs",
        "repos_url": f"{api}/users/{login}/repos",
        "events_url": f"{api}/users/{login}/events{{/privacy}}",
        "received_events_url": f"{api}/users/{login}/received_events",
        "type": u.type,
    }
    if view_type:
        out["user_view_type"] = "public"
    out["site_admin"] = False
    return out


def license_object(key: str | None, api: str, with_node: bool = True) -> dict[str, Any] | None:
    if key is None:
        return None
    name, spdx, node = LICENSES[key]
    out: dict[str, Any] = {
        "key": key,
        "name": name,
        "spdx_id": spdx,
        "url": None if key == "other" else f"{api}/licenses/{key}",
    }
    if with_node:
        out["node_id"] = node
    return out


def minimal_repo(repo: Repo, api: str) -> dict[str, Any]:
    """The repository embedded in code-search hits: no stars, license, topics or dates."""
    url = f"{api}/repos/{repo.full_name}"
    out: dict[str, Any] = {
        "id": repo.id,
        "node_id": repo.node_id,
        "name": repo.name,
        "full_name": repo.full_name,
        "private": repo.status == "private",
        "owner": user(repo.owner, api, view_type=True),
        "html_url": f"{HTML}/{repo.full_name}",
        "description": repo.description,
        "fork": repo.fork_of is not None,
        "url": url,
    }
    for key, suffix in REPO_URL_TEMPLATES:
        out[key] = url + suffix
    return out


def repository(repo: Repo, api: str, gen: int, authenticated: bool, nested: bool = False) -> dict[str, Any]:
    """Full repository object (``GET /repos/{o}/{r}``); ``nested`` for ``parent``/``source`` of forks."""
    out = minimal_repo(repo, api)
    html = f"{HTML}/{repo.full_name}"
    open_issues = sum(1 for i in repo.visible_issues(gen) if i.state == "open")
    size = max(1, sum(len(v) for v in repo.files.values()) // 1024)
    out.update(
        {
            "created_at": iso(repo.created_ts),
            "updated_at": iso(repo.updated_ts(gen)),
            "pushed_at": iso(repo.pushed_ts),
            "git_url": f"git://github.com/{repo.full_name}.git",
            "ssh_url": f"git@github.com:{repo.full_name}.git",
            "clone_url": f"file://{repo.clone_path}" if repo.clone_path else f"{html}.git",
            "svn_url": html,
            "homepage": None,
            "size": size,
            "stargazers_count": repo.stars,
            "watchers_count": repo.stars,
            "language": "Python",
            "has_issues": True,
            "has_projects": True,
            "has_downloads": True,
            "has_wiki": repo.kind != "hub",
            "has_pages": False,
            "has_discussions": False,
            "forks_count": repo.forks,
            "mirror_url": None,
            "archived": repo.archived,
            "disabled": False,
            "open_issues_count": open_issues,
            "license": license_object(repo.license, api),
            "allow_forking": True,
            "is_template": False,
            "web_commit_signoff_required": False,
            "topics": repo.topics,
            "visibility": "private" if repo.status == "private" else "public",
            "forks": repo.forks,
            "open_issues": open_issues,
            "watchers": repo.stars,
            "default_branch": repo.default_branch,
        }
    )
    if nested:
        return out
    if authenticated:
        out["permissions"] = {"admin": False, "maintain": False, "push": False, "triage": False, "pull": True}
    out["custom_properties"] = {}
    if repo.owner.type == "Organization":
        out["organization"] = user(repo.owner, api, view_type=True)
    if repo.fork_of is not None:
        out["parent"] = repository(repo.fork_of, api, gen, authenticated, nested=True)
        out["source"] = out["parent"]
    out["network_count"] = repo.forks
    out["subscribers_count"] = repo.subscribers
    return out


def label(lb: Label, api: str, repo: Repo) -> dict[str, Any]:
    return {
        "id": lb.id,
        "node_id": f"LA_kwDO{lb.id}",
        "url": f"{api}/repos/{repo.full_name}/labels/{quote(lb.name)}",
        "name": lb.name,
        "color": lb.color,
        "default": lb.default,
        "description": lb.description,
    }


def milestone(ms: Milestone | None, api: str, repo: Repo, gen: int) -> dict[str, Any] | None:
    if ms is None:
        return None
    items = [i for i in repo.visible_issues(gen) if i.milestone is ms]
    return {
        "url": f"{api}/repos/{repo.full_name}/milestones/{ms.number}",
        "html_url": f"{HTML}/{repo.full_name}/milestone/{ms.number}",
        "labels_url": f"{api}/repos/{repo.full_name}/milestones/{ms.number}/labels",
        "id": ms.id,
        "node_id": f"MI_kwDO{ms.id}",
        "number": ms.number,
        "title": ms.title,
        "description": ms.description,
        "creator": user(ms.creator, api),
        "open_issues": sum(1 for i in items if i.state == "open"),
        "closed_issues": sum(1 for i in items if i.state == "closed"),
        "state": ms.state,
        "created_at": iso(ms.created_ts),
        "updated_at": iso(max([ms.created_ts, *(i.created_ts for i in items)])),
        "due_on": iso(ms.due_ts),
        "closed_at": iso(ms.due_ts) if ms.state == "closed" else None,
    }


def reactions(counts: dict[str, int], url: str) -> dict[str, Any]:
    return {"url": url + "/reactions", "total_count": sum(counts.values()), **counts}


def issue(item: Issue, repo: Repo, api: str, gen: int) -> dict[str, Any]:
    url = f"{api}/repos/{repo.full_name}/issues/{item.number}"
    kind = "pull" if item.pull else "issues"
    out: dict[str, Any] = {
        "url": url,
        "repository_url": f"{api}/repos/{repo.full_name}",
        "labels_url": url + "/labels{/name}",
        "comments_url": url + "/comments",
        "events_url": url + "/events",
        "html_url": f"{HTML}/{repo.full_name}/{kind}/{item.number}",
        "id": item.id,
        "node_id": item.node_id,
        "number": item.number,
        "title": item.title,
        "user": user(item.user, api),
        "labels": [label(lb, api, repo) for lb in item.labels],
        "state": item.state,
        "locked": item.locked,
        "assignee": user(item.assignees[0], api) if item.assignees else None,
        "assignees": [user(a, api) for a in item.assignees],
        "milestone": milestone(item.milestone, api, repo, gen),
        "comments": len(item.visible_comments(gen)),
        "created_at": iso(item.created_ts),
        "updated_at": iso(item.updated_ts(gen)),
        "closed_at": iso(item.closed_ts),
        "author_association": item.association,
        "active_lock_reason": "resolved" if item.locked else None,
    }
    if item.pull is not None:
        pulls = f"{api}/repos/{repo.full_name}/pulls/{item.number}"
        html = f"{HTML}/{repo.full_name}/pull/{item.number}"
        out["draft"] = item.pull.draft
        out["pull_request"] = {
            "url": pulls,
            "html_url": html,
            "diff_url": html + ".diff",
            "patch_url": html + ".patch",
            "merged_at": iso(item.pull.merged_ts),
        }
    out.update(
        {
            "body": item.body,
            "closed_by": user(item.closed_by, api) if item.closed_by else None,
            "reactions": reactions(item.reactions, url),
            "timeline_url": url + "/timeline",
            "performed_via_github_app": None,
            "state_reason": item.state_reason,
        }
    )
    return out


def comment(c: Comment, item: Issue, repo: Repo, api: str) -> dict[str, Any]:
    url = f"{api}/repos/{repo.full_name}/issues/comments/{c.id}"
    kind = "pull" if item.pull else "issues"
    return {
        "url": url,
        "html_url": f"{HTML}/{repo.full_name}/{kind}/{item.number}#issuecomment-{c.id}",
        "issue_url": f"{api}/repos/{repo.full_name}/issues/{item.number}",
        "id": c.id,
        "node_id": f"IC_kwDO{c.id}",
        "user": user(c.user, api),
        "created_at": iso(c.created_ts),
        "updated_at": iso(c.updated_ts),
        "author_association": c.association,
        "body": c.body,
        "reactions": reactions(c.reactions, url),
        "performed_via_github_app": None,
    }


def _b64_lines(data: bytes) -> str:
    """GitHub's content encoding: base64 with a newline every 60 characters."""
    raw = base64.b64encode(data).decode()
    return "".join(raw[i : i + 60] + "\n" for i in range(0, len(raw), 60))


def content_entry(repo: Repo, path: str, ref: str, api: str, kind: str, raw_base: str) -> dict[str, Any]:
    data = repo.files.get(path, b"")
    sha = git_blob_sha(data) if kind == "file" else git_blob_sha(("tree:" + path).encode())
    url = f"{api}/repos/{repo.full_name}/contents/{quote(path)}?ref={quote(ref)}"
    git_url = f"{api}/repos/{repo.full_name}/git/{'blobs' if kind == 'file' else 'trees'}/{sha}"
    html = f"{HTML}/{repo.full_name}/{'blob' if kind == 'file' else 'tree'}/{ref}/{path}"
    return {
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "sha": sha,
        "size": len(data) if kind == "file" else 0,
        "url": url,
        "html_url": html,
        "git_url": git_url,
        "download_url": f"{raw_base}/{repo.full_name}/{quote(ref)}/{quote(path)}" if kind == "file" else None,
        "type": kind,
        "_links": {"self": url, "git": git_url, "html": html},
    }


def content_file(repo: Repo, path: str, ref: str, api: str, raw_base: str) -> dict[str, Any]:
    out = content_entry(repo, path, ref, api, "file", raw_base)
    links = out.pop("_links")
    out["content"] = _b64_lines(repo.files[path])
    out["encoding"] = "base64"
    out["_links"] = links
    return out


def license_file(repo: Repo, api: str, raw_base: str) -> dict[str, Any]:
    out = content_file(repo, repo.license_path, repo.default_branch, api, raw_base)
    out["license"] = license_object(repo.license, api)
    return out


def code_item(repo: Repo, path: str, api: str) -> dict[str, Any]:
    sha = git_blob_sha(repo.files[path])
    ref = repo.head_sha or repo.default_branch
    base = f"{api}/repositories/{repo.id}"
    return {
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "sha": sha,
        "url": f"{base}/contents/{quote(path)}?ref={ref}",
        "git_url": f"{base}/git/blobs/{sha}",
        "html_url": f"{HTML}/{repo.full_name}/blob/{ref}/{quote(path)}",
        "repository": minimal_repo(repo, api),
        "score": 1.0,
    }


def repo_search_item(repo: Repo, api: str, gen: int) -> dict[str, Any]:
    out = repository(repo, api, gen, authenticated=False, nested=True)
    out["score"] = 1.0
    return out

"""The pull-request query of the GitHub contract (briefs/github_contract.md), sent verbatim.

Operation ``PeatmossPullRequests``: one page of a repository's pull requests, most recently updated first, with
every field PeaTMOSS stores (the gh CLI fields of reference/peatmoss-schema.md). Variables: owner, name,
first (<= 50), after (cursor or None).
"""

from __future__ import annotations

from typing import Any

OPERATION = "PeatmossPullRequests"
MAX_PAGE = 50

PULL_REQUESTS_QUERY = """\
query PeatmossPullRequests($owner: String!, $name: String!, $first: Int!, $after: String) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    pullRequests(first: $first, after: $after, orderBy: {field: UPDATED_AT, direction: DESC}) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id number url title body state isDraft closed closedAt createdAt updatedAt mergedAt
        additions deletions changedFiles baseRefName headRefName isCrossRepository maintainerCanModify
        mergeStateStatus mergeable reviewDecision
        author { login } mergedBy { login }
        headRepository { name } headRepositoryOwner { login }
        mergeCommit { oid } potentialMergeCommit { oid }
        milestone { number title description dueOn }
        assignees(first: 50) { nodes { login } }
        labels(first: 50) { nodes { name description color } }
        reactionGroups { content users { totalCount } }
        reviewRequests(first: 50) { nodes { requestedReviewer { ... on User { login } } } }
        comments(first: 100) { nodes { author { login } authorAssociation body createdAt includesCreatedEdit
          isMinimized minimizedReason reactionGroups { content users { totalCount } } } }
        reviews(first: 100) { nodes { author { login } authorAssociation body submittedAt includesCreatedEdit state
          reactionGroups { content users { totalCount } } } }
        commits(first: 100) { nodes { commit { oid authoredDate committedDate messageHeadline messageBody
          authors(first: 10) { nodes { email name user { login } } } } } }
        files(first: 100) { nodes { path additions deletions } }
        statusCheckRollup: commits(last: 1) { nodes { commit { statusCheckRollup { contexts(first: 100) { nodes {
          ... on CheckRun { name status conclusion startedAt completedAt detailsUrl } } } } } } }
      }
    }
  }
}
"""


def pull_request_variables(owner: str, name: str, first: int, after: str | None) -> dict[str, Any]:
    return {"owner": owner, "name": name, "first": max(1, min(first, MAX_PAGE)), "after": after}

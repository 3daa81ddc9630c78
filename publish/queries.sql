-- Researchers' queries served as Datasette canned queries by `scrapy browse` (publish/queries.py reads this file).
-- Copied from the project's compatibility set (reference/peatmoss-queries.sql of the PeaTMOSS crawler's shared
-- reference), itself copied from the PeaTMOSS README, the PeaTMOSS-Demos ORM demo and the paper's plot scripts.
-- Our README's example query (SELECT id, context_id, downloads FROM Model ORDER BY downloads DESC LIMIT 100) is
-- demo_top_downloaded_models. Format: "-- name: <id>", "-- title: <title>", then comment lines (the
-- query's description), then the SQL up to its terminating ';'.

-- name: readme_open_issues
-- title: Open GitHub issues, most recently updated first (PeaTMOSS README)
SELECT id, title FROM github_issue WHERE state = 'OPEN' ORDER BY updated_at DESC LIMIT 100;

-- name: readme_open_or_merged_prs
-- title: Open or merged pull requests, most recently updated first (PeaTMOSS README)
SELECT id, title FROM github_pull_request WHERE state = 'OPEN' OR state = 'MERGED' ORDER BY updated_at DESC LIMIT 100;

-- name: demo_top_downloaded_models
-- title: The 100 most downloaded models (PeaTMOSS demo, and this README)
-- ORM form: sqlalchemy.select(Model.id, Model.context_id, Model.downloads).limit(100).order_by(sqlalchemy.desc(Model.downloads))
-- Note: "Model" with a capital M works because SQLite table names are case-insensitive.
SELECT id, context_id, downloads FROM Model
ORDER BY downloads DESC
LIMIT 100;

-- name: demo_model_reuse_links
-- title: Reuse links of the model with id 1 (PeaTMOSS demo)
-- ORM form: sqlalchemy.select(model_to_reuse_repository.columns.model_id).where(model_to_reuse_repository.columns.model_id == model.id)
-- Placeholder {insert model id here} replaced by 1.
SELECT model_id FROM model_to_reuse_repository
WHERE model_id = 1;

-- name: fig_downstream_repos_per_tag
-- title: Downstream repositories per tag of Hugging Face models (paper figure)
-- Downstream repos per tag (the paper runs it for hub 1 and hub 2).
SELECT
    tag.name AS TagName,
    COUNT(DISTINCT model_to_reuse_repository.reuse_repository_id) AS number
FROM
    model
INNER JOIN model_to_tag ON model.id = model_to_tag.model_id
INNER JOIN tag ON model_to_tag.tag_id = tag.id
INNER JOIN model_to_reuse_repository ON model.id = model_to_reuse_repository.model_id
WHERE
    model.model_hub_id = 1
GROUP BY
    tag.name;

-- name: fig_tags_per_model
-- title: Tags of each Hugging Face model (paper figure)
-- Tags per model (fig8 form; script_plot.py uses SELECT model.id, tag.name ... without GROUP BY). {hub_id} -> 1.
SELECT
    model.id,
    GROUP_CONCAT(tag.name) AS tags
FROM
    model
INNER JOIN model_to_tag ON model.id = model_to_tag.model_id
INNER JOIN tag ON model_to_tag.tag_id = tag.id
WHERE
    model.model_hub_id = 1
GROUP BY model.id;

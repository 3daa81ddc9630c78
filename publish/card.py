"""``README.md``: a dataset card in the Hugging Face Hub's format, so the export folder uploads to the Hub as is.

The YAML front matter has one ``configs`` entry per table (``config_name`` = table name, one ``train`` split with
the table's Parquet file), so ``datasets.load_dataset(DIR, "model")`` reads the ``model`` table; the body documents
the tables, the type mapping and the citation.
"""

from __future__ import annotations

from sqlalchemy import Table

from publish import about
from publish.changes import Manifest
from publish.descriptions import table_description


def dataset_card(manifest: Manifest, tables: list[Table]) -> str:
    """The card for the files of ``manifest``; ``tables`` gives their order and schema."""
    import yaml

    listed = [table for table in tables if table.name in manifest.tables]
    front = {
        "pretty_name": about.TITLE,
        "license": about.LICENSE,
        "tags": ["pre-trained-models", "mining-software-repositories", "huggingface", "pytorch-hub", "github"],
        "configs": [
            {
                "config_name": str(table.name),
                "data_files": [{"split": "train", "path": manifest.tables[table.name].path}],
                **({"default": True} if table.name == "model" else {}),
            }
            for table in listed
        ],
    }
    rows = "\n".join(
        f"| `{t.name}` | {manifest.tables[t.name].rows:,} | {_cell(table_description(t))} |" for t in listed
    )
    return f"""---
{yaml.safe_dump(front, sort_keys=False, allow_unicode=True).rstrip()}
---

# {about.TITLE}

{about.DESCRIPTION}

Exported on {manifest.exported_at} by `scrapy export-parquet` of the {about.SOURCE}. {about.LICENSE_NOTE}

## Loading

Each table is one Parquet file (zstd) in `data/`, and one configuration of this dataset:

```python
from datasets import load_dataset
models = load_dataset("path/to/this/folder", "model", split="train")

import duckdb
duckdb.sql("SELECT context_id, downloads FROM 'data/model.parquet' ORDER BY downloads DESC LIMIT 10")
```

`croissant.json` describes every file and column in Croissant 1.0 (MLCommons): `mlcroissant` loads records from it.

## Column types

The columns keep the names and order of the PeaTMOSS database. Integers (`INTEGER`, `BIGINT`) are `int64`;
PeaTMOSS's booleans are 0/1 integers (`has_snapshot`, `closed`, `is_draft`, ...), as in the database. `FLOAT` is
`double`. Text (`VARCHAR`, `TEXT`) is `string`: timestamps are the strings the sources gave (ISO-8601, or
`str(datetime)` for Hugging Face commits) and JSON columns hold JSON text. `model.context_id` is declared `INTEGER`
in PeaTMOSS but holds text ids (`openai/whisper-base`): it is a `string`. Every column is nullable. Hub ids: 1 =
Hugging Face, 2 = PyTorch Hub.

## Tables

| table | rows | description |
|---|---|---|
{rows}

## Citation

```bibtex
{about.CITATION}
```
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")

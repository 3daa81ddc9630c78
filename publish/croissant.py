"""``croissant.json``: Croissant 1.0 JSON-LD (MLCommons) describing every exported file and column.

One ``cr:FileObject`` per Parquet file and one ``cr:RecordSet`` per table, whose fields carry the column's type,
description (:mod:`publish.descriptions`), source column, the table's key and foreign-key references.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table

from publish import about
from publish.arrow_schema import FLOAT, INT, logical_type
from publish.changes import Manifest
from publish.descriptions import column_description, table_description

CONFORMS_TO = "http://mlcommons.org/croissant/1.0"
DATA_TYPES = {INT: "sc:Integer", FLOAT: "sc:Float"}  # everything else is sc:Text

# The Croissant 1.0 context, as the specification gives it.
CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}


def croissant(manifest: Manifest, tables: list[Table], version: str) -> dict[str, Any]:
    """The JSON-LD document for the files of ``manifest`` (``tables``: their schema, in export order)."""
    exported = {table.name for table in tables if table.name in manifest.tables}
    return {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": "peatmoss",
        "alternateName": about.TITLE,
        "description": about.DESCRIPTION,
        "license": about.LICENSE,
        "usageInfo": about.LICENSE_NOTE,
        "url": about.SOURCE_URL,
        "citeAs": about.CITATION,
        "version": version,
        "datePublished": manifest.exported_at[:10],
        "creator": {"@type": "sc:Organization", "name": about.SOURCE},
        "keywords": ["pre-trained models", "Hugging Face", "PyTorch Hub", "mining software repositories"],
        "distribution": [_file_object(manifest, table) for table in tables if table.name in exported],
        "recordSet": [_record_set(table, exported) for table in tables if table.name in exported],
    }


def _file_object(manifest: Manifest, table: Table) -> dict[str, Any]:
    entry = manifest.tables[table.name]
    return {
        "@type": "cr:FileObject",
        "@id": f"{table.name}-file",
        "name": f"{table.name}-file",
        "description": f"Parquet file of the {table.name} table ({entry.rows} rows).",
        "contentUrl": entry.path,
        "contentSize": f"{entry.bytes} B",
        "encodingFormat": "application/x-parquet",
        "sha256": entry.file_sha256,
    }


def _record_set(table: Table, exported: set[str]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "@type": "cr:RecordSet",
        "@id": table.name,
        "name": table.name,
        "description": table_description(table),
        "field": [_field(table, column.name, exported) for column in table.columns],
    }
    key = [{"@id": f"{table.name}/{column.name}"} for column in table.primary_key.columns]
    if key:
        record["key"] = key[0] if len(key) == 1 else key
    return record


def _field(table: Table, name: str, exported: set[str]) -> dict[str, Any]:
    column = table.columns[name]
    field: dict[str, Any] = {
        "@type": "cr:Field",
        "@id": f"{table.name}/{name}",
        "name": f"{table.name}/{name}",
        "description": column_description(table, column),
        "dataType": DATA_TYPES.get(logical_type(column), "sc:Text"),
        "source": {"fileObject": {"@id": f"{table.name}-file"}, "extract": {"column": name}},
    }
    targets = [fk.column for fk in column.foreign_keys if fk.column.table.name in exported]
    if targets:
        field["references"] = {"field": {"@id": f"{targets[0].table.name}/{targets[0].name}"}}
    return field

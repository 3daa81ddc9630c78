# One image for every crawl node (and for the scrapy commands: progress, export-sqlite, map, enrich; report and
# export-parquet/browse need their extras: build with `.[postgres,cluster,report,publish]` for those).
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md scrapy.cfg ./
COPY crawler ./crawler
COPY spiders ./spiders
COPY pipelines ./pipelines
COPY mapping ./mapping
COPY enrich ./enrich
COPY report ./report
COPY publish ./publish
RUN pip install ".[postgres,cluster]"

# Snapshots (content-addressed files, git clones) go to a volume shared by all nodes.
ENV SNAPSHOT_STORE=/data/snapshots
RUN useradd --create-home crawler && mkdir -p /data && chown crawler /data
USER crawler

ENTRYPOINT ["scrapy"]
CMD ["crawl", "hf_models"]

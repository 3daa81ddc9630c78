"""What the page says about each figure: titles, captions, and the paper's headline license figures."""

from __future__ import annotations

TITLES = {
    "metadata_availability": "Enhanced-metadata availability (paper Fig. 7)",
    "domains_by_hub": "Models per domain and hub (paper Fig. 8)",
    "reuse_by_domain": "Reuse by domain (paper Fig. 9)",
    "created_by_domain": "Models created per month and domain (paper Fig. 10)",
    "median_parameters": "Median parameter count per month and domain (paper Fig. 11)",
    "license_flows": "License flows and compatibility (paper Fig. 12)",
    "popularity_by_run": "Popularity concentration per crawl run (paper Table 1)",
    "lineage": "Largest model families (beyond the paper)",
    "models_by_spaces": "Models by the number of Spaces that declare them (beyond the paper)",
    "downstream_by_domain": "Downstream use per domain: GitHub repositories vs Spaces (beyond the paper)",
}

CAPTIONS = {
    "metadata_availability": "For each of the 20 enhanced-metadata fields, the share of enriched models (models "
    "whose card went through scrapy enrich) for which a value was extracted.",
    "domains_by_hub": "Models per PeaTMOSS domain on each hub; share = the domain's models over the hub's models "
    "that have a domain.",
    "reuse_by_domain": "Downstream GitHub repositories whose code loads a PTM of each domain; share = over the "
    "repositories that reuse any of the hub's PTMs with a domain (a repository may reuse several domains).",
    "created_by_domain": "Hugging Face models (with a domain) by the month the Hub says they were created.",
    "median_parameters": "Median of the parameter counts extracted from model cards, per creation month and domain "
    "(models = models with a parameter count in that group).",
    "license_flows": "Each link PTM -> downstream repository gives one pair (PTM license, repository license) per "
    "license of either side. The PTM's license is inbound, the repository's outbound; the verdict comes from the "
    "OSADL matrix after normalising both to SPDX ids. unknown = the matrix has no verdict (license not covered, "
    "not an SPDX license, PTM without a license); no-license = the repository declares none.",
    "popularity_by_run": "For every crawl run holding download observations: the models observed, the top 10 % of "
    "them by downloads (rounded up) and the downloads they hold. The paper needed two datasets for this; we keep "
    "every run.",
    "lineage": "Base models with the most derived models (model_to_base_model), split by relation (finetune, "
    "adapter, quantized, merge; unknown when the Hub did not say).",
    "models_by_spaces": "Hugging Face models by how many Spaces declare them (the models list of a Space's card), "
    "0 included; share = over every Hugging Face model in the database. Declared names that match no stored model "
    "(private, disabled or nonexistent models) are counted apart.",
    "downstream_by_domain": "For each domain, the downstream repositories that use a PTM of it: GitHub repositories "
    "whose code loads it (scrapy map), and Spaces that declare it or whose files load it (scrapy map). share = over "
    "the repositories of the same kind that use any PTM with a domain, so the two populations compare despite "
    "their sizes (a repository may use several domains).",
}

# Jiang et al., MSR 2024, section on license compatibility (shares of PTM -> repository license pairs).
PAPER_HEADLINES = {"identical": 25.61, "incompatible": 0.24, "not analysed": 47.33}

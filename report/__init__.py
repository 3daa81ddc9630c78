"""``scrapy report``: the PeaTMOSS paper's analyses (and more) from any crawl, as figures, CSVs and one HTML page.

One module per job: :mod:`report.queries` (the SQL behind each figure, run in the database),
:mod:`report.licenses` (license names -> SPDX, compatibility verdicts from the OSADL matrix), :mod:`report.figures`
(matplotlib PNG/SVG), :mod:`report.sankey` (the plotly license-flow Sankey), :mod:`report.csvdata` (the CSVs),
:mod:`report.texts` (titles and captions), :mod:`report.page` (the self-contained ``index.html``) and
:mod:`report.build` (runs them in order).
The plotting and license packages are the ``report`` extra; :mod:`report.deps` checks for them.
"""

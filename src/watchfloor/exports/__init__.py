"""Exports for other tools: STIX 2.1 bundles (`stix.py`), CSV and JSON Lines (`tabular.py`).

An exporter, built in or from a plug-in (entry-point group ``watchfloor.exporters``), is a callable
``export(conn, subject, out, **options) -> int``: it reads what ``subject`` names from the store through
``conn`` (a kind such as ``posts``, or ``story:ID``), writes it as text to ``out`` and returns how many
records or objects it wrote. It raises ``InvalidInput`` for a subject it does not export.
"""

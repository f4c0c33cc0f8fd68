"""Engines: where the pipeline's stages run over the store's posts.

``local`` runs them in this process; ``dask`` on the worker processes of a Dask distributed cluster (a local
one on loopback, or an existing scheduler). Both stream batches from the store in id order, and the process
that called them (the driver) writes every batch's results and places its posts in stories, in order.
"""

__all__: list[str] = []

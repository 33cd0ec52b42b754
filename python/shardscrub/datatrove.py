"""A datatrove pipeline step that redacts ``doc.text`` with shardscrub.

A drop-in for datatrove's ``PIIFormatter`` (emails and IPs) that covers every
shardscrub label and runs batches on all cores::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from shardscrub.datatrove import PIIRedactor

    LocalPipelineExecutor(pipeline=[
        JsonlReader("data/"),
        PIIRedactor(),                 # instead of PIIFormatter()
        JsonlWriter("clean/"),
    ]).run()

Each label's findings are added to the step's stats (``EMAIL_ADDRESS``,
``IP_ADDRESS``, ...), next to datatrove's ``total`` and ``documents_with_pii``.
"""

from __future__ import annotations

from typing import Any, Iterator, Optional

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from . import Redactor


class PIIRedactor(PipelineStep):
    """Redacts ``doc.text`` of every document in batches of ``batch_size``.

    ``threads``: cores per batch (None: all). Other keyword arguments are
    :class:`shardscrub.Redactor`'s (``style``, ``labels``, ``hmac_key``, ...).
    """

    name = "🔏 shardscrub PII"
    type = "✂️ - FORMAT"

    def __init__(self, batch_size: int = 1000, threads: Optional[int] = None, **options: Any):
        super().__init__()
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.batch_size = batch_size
        self.threads = threads
        # Built here so that a bad option fails when the pipeline is made, not in a worker.
        self.redactor = Redactor(**options)

    def _flush(self, batch: list) -> Iterator:
        with self.track_time(unit="batch"):
            texts, counts = self.redactor.redact_batch_with_counts(
                [d.text for d in batch], threads=self.threads
            )
        for doc, text in zip(batch, texts):
            self.stat_update("total")
            if text != doc.text:
                self.stat_update("documents_with_pii")
            doc.text = text
        for label, c in counts.items():
            self.stat_update(label, value=c["findings"], unit="batch")
        yield from batch

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        batch: list = []
        for doc in data:
            batch.append(doc)
            if len(batch) >= self.batch_size:
                yield from self._flush(batch)
                batch = []
        if batch:
            yield from self._flush(batch)

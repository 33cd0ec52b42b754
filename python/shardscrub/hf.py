"""Hugging Face ``datasets``: redact a text column with ``Dataset.map(batched=True)``.

::

    from datasets import load_dataset
    from shardscrub.hf import redact_column

    ds = load_dataset("json", data_files="data/*.jsonl", split="train")
    ds = ds.map(redact_column("text"), batched=True, batch_size=1000)

Each batch runs on all cores without the GIL. With ``counts_column="pii"``, every row
gets its findings per label as a JSON string (``{"EMAIL_ADDRESS": 1}``).
"""

from __future__ import annotations

import json
from typing import Any, Optional

from . import Redactor


class redact_column:  # noqa: N801  (used like a function: ds.map(redact_column("text")))
    """A batched ``map`` function that redacts ``column`` in place.

    ``threads``: cores per batch (None: all); ``counts_column``: a new column with each
    row's findings per label, as JSON. Other keyword arguments are
    :class:`shardscrub.Redactor`'s. It pickles by its options, so ``num_proc`` works and
    ``datasets`` can fingerprint it for its cache.
    """

    def __init__(
        self,
        column: str = "text",
        *,
        threads: Optional[int] = None,
        counts_column: Optional[str] = None,
        **options: Any,
    ) -> None:
        self.column = column
        self.threads = threads
        self.counts_column = counts_column
        self.redactor = Redactor(**options)

    def __call__(self, batch: dict) -> dict:
        texts = batch[self.column]
        if self.counts_column is None:
            batch[self.column] = self.redactor.redact_batch(texts, threads=self.threads)
            return batch
        redacted, counts = self.redactor.redact_batch_per_document(texts, threads=self.threads)
        batch[self.column] = redacted
        batch[self.counts_column] = [json.dumps(c, sort_keys=True) for c in counts]
        return batch

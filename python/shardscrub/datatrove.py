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

With ``opt_out=["opt-out.txt"]`` the step also drops the documents that
text-and-data-mining opt-out lists name (the command line's ``--opt-out`` format:
domains, URL prefixes, ``field=value``), matching ``doc.metadata[url_field]`` (default
``"url"``, where datatrove's readers put a record's URL) and the metadata fields that
entries name; each dropped document counts in the stats as ``opted_out`` and
``opted_out_domain`` / ``_url`` / ``_field``.
"""

from __future__ import annotations

from typing import Any, Iterator, Optional, Sequence

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from . import OptOutLists, Redactor


class PIIRedactor(PipelineStep):
    """Redacts ``doc.text`` of every document in batches of ``batch_size``.

    ``threads``: cores per batch (None: all). ``opt_out``: opt-out list files; the
    documents they name are dropped before redaction. ``url_field``: the metadata key
    holding a document's URL. Other keyword arguments are :class:`shardscrub.Redactor`'s
    (``style``, ``labels``, ``hmac_key``, ...).
    """

    name = "🔏 shardscrub PII"
    type = "✂️ - FORMAT"

    def __init__(
        self,
        batch_size: int = 1000,
        threads: Optional[int] = None,
        opt_out: Optional[Sequence[str]] = None,
        url_field: str = "url",
        **options: Any,
    ):
        super().__init__()
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.batch_size = batch_size
        self.threads = threads
        self.url_field = url_field
        self.opt_out_paths = [str(p) for p in opt_out or []]
        # Loaded here so that a bad list fails when the pipeline is made; not pickled
        # with the step (executors copy steps to workers), loaded again there.
        self._lists: Optional[OptOutLists] = None
        self._load_lists()
        # Built here so that a bad option fails when the pipeline is made, not in a worker.
        self.redactor = Redactor(**options)

    def _load_lists(self) -> None:
        if self.opt_out_paths and self._lists is None:
            self._lists = OptOutLists(self.opt_out_paths)
            self._fields = self._lists.fields()

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_lists"] = None
        return state

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

    def _opted_out(self, doc: Any) -> bool:
        """True (and counted) when an opt-out list names the document."""
        meta = doc.metadata or {}
        url = _string(_get(meta, self.url_field))
        values = [_string(_get(meta, f)) for f in self._fields]
        hit = self._lists.check(url, values)
        if hit is None:
            return False
        self.stat_update("opted_out")
        self.stat_update(f"opted_out_{hit[1]}")
        return True

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        self._load_lists()
        batch: list = []
        for doc in data:
            if self._lists is not None and self._opted_out(doc):
                continue
            batch.append(doc)
            if len(batch) >= self.batch_size:
                yield from self._flush(batch)
                batch = []
        if batch:
            yield from self._flush(batch)


def _get(meta: Any, path: str) -> Any:
    """The value at a dotted path of nested dicts, or None."""
    for key in path.split("."):
        if not isinstance(meta, dict) or key not in meta:
            return None
        meta = meta[key]
    return meta


def _string(value: Any) -> Optional[str]:
    return value if isinstance(value, str) else None

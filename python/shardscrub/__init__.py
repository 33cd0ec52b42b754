"""Find personal data in text and replace it with typed placeholders.

The Rust engine of the ``shardscrub`` command line, called from Python::

    import shardscrub

    r = shardscrub.Redactor()
    r.redact("mail jane.doe@corp.eu from 81.2.69.160")
    # 'mail <EMAIL_ADDRESS> from <IP_ADDRESS>'
    r.redact_batch(texts)            # all cores, without the GIL
    shardscrub.redact_files(["data/"], "clean/", fields=["text"])   # the shard pipeline

Options are the command line's (``shardscrub redact --help``) as keyword arguments,
and errors are :class:`ShardscrubError` with the command line's messages.
"""

from __future__ import annotations

import json
import os
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from ._shardscrub import Finding, NativeRedactor, OptOutLists, ShardscrubError, __version__, run

__all__ = [
    "Finding",
    "OptOutLists",
    "Redactor",
    "ShardscrubError",
    "__version__",
    "merge_counts",
    "redact_files",
    "report_markdown",
]

PathLike = Union[str, "os.PathLike[str]"]
Key = Union[bytes, str, None]


def _list(value: Union[None, str, PathLike, Iterable[Any]]) -> list:
    """None -> [], one value -> [value], an iterable -> its items."""
    if value is None:
        return []
    if isinstance(value, (str, bytes, os.PathLike)):
        return [value]
    return list(value)


def _engine_args(
    style: str = "tag",
    placeholder: Optional[str] = None,
    labels: Union[None, str, Sequence[str]] = None,
    exclude_labels: Union[None, str, Sequence[str]] = None,
    exclude_rules: Union[None, str, Sequence[str]] = None,
    patterns: Union[None, PathLike, Sequence[PathLike]] = None,
    allow: Union[None, PathLike, Sequence[PathLike]] = None,
    deny: Union[None, PathLike, Sequence[PathLike]] = None,
    deny_label: Optional[str] = None,
    private_ips: bool = False,
    default_allow: bool = True,
    hmac_key_file: Optional[PathLike] = None,
) -> list:
    """The command line words for the redactor's options."""
    args = ["--style", style]
    if placeholder is not None:
        args += ["--placeholder", placeholder]
    if labels is not None:
        args += ["--labels", ",".join(_list(labels))]
    for label in _list(exclude_labels):
        args += ["--exclude-labels", label]
    for rule in _list(exclude_rules):
        args += ["--exclude-rules", rule]
    for flag, files in (("--patterns", patterns), ("--allow", allow), ("--deny", deny)):
        for f in _list(files):
            args += [flag, os.fspath(f)]
    if deny_label is not None:
        args += ["--deny-label", deny_label]
    if private_ips:
        args.append("--private-ips")
    if not default_allow:
        args.append("--no-default-allow")
    if hmac_key_file is not None:
        args += ["--hmac-key-file", os.fspath(hmac_key_file)]
    return args


def _key(hmac_key: Key) -> Optional[bytes]:
    if isinstance(hmac_key, str):
        return hmac_key.encode()
    return hmac_key


class Redactor(NativeRedactor):
    """The engine with its rules compiled once; safe to share between threads.

    Keyword arguments are ``shardscrub redact``'s options:

    - ``style``: ``"tag"`` (``<EMAIL_ADDRESS>``), ``"numbered"`` (``<EMAIL_ADDRESS_1>``,
      consistent within a document), ``"hmac"`` (a keyed hash, the same value gives the
      same token across a dataset) or ``"mask"``.
    - ``placeholder``: the template, default ``"<{label}>"``.
    - ``labels`` / ``exclude_labels``: report only these labels / all but these.
    - ``exclude_rules``: rule ids not to run (``"person_copyright"`` keeps the names of
      licence notices).
    - ``patterns``: extra rule files (TOML); ``allow`` / ``deny``: list files;
      ``deny_label``: the label of deny-list matches.
    - ``private_ips``: also redact private and documentation IP ranges;
      ``default_allow=False``: drop the built-in allow list (example.com, ...).
    - ``hmac_key`` (bytes or str) or ``hmac_key_file``: the key for ``style="hmac"``;
      without either, ``SHARDSCRUB_HMAC_KEY`` from the environment.

    Methods: ``redact(text)``, ``scan(text)``, ``redact_batch(texts, threads=None)`` and
    ``redact_batch_with_counts(texts, threads=None)``. A Redactor pickles (by its
    options), so it can be sent to worker processes.
    """

    def __new__(cls, hmac_key: Key = None, **options: Any) -> "Redactor":
        self = super().__new__(cls, _engine_args(**options), _key(hmac_key))
        self._options = dict(options, hmac_key=hmac_key)
        return self

    def __init__(self, hmac_key: Key = None, **options: Any) -> None:
        # Everything happened in __new__ (the native part is immutable).
        pass

    def __reduce__(self):
        return (_rebuild, (type(self), self._options))

    def __repr__(self) -> str:
        shown = {k: v for k, v in self._options.items() if k != "hmac_key" and v is not None}
        return f"Redactor({', '.join(f'{k}={v!r}' for k, v in shown.items())})"


def _rebuild(cls: type, options: Mapping[str, Any]) -> Redactor:
    return cls(**options)


def redact_files(
    inputs: Union[PathLike, Sequence[PathLike]],
    out_dir: PathLike,
    *,
    fields: Union[None, str, Sequence[str]] = None,
    format: Optional[str] = None,
    glob: Optional[str] = None,
    record: Optional[str] = None,
    on_error: Optional[str] = None,
    max_record_bytes: Union[None, int, str] = None,
    threads: Optional[int] = None,
    resume: bool = False,
    sync: bool = False,
    drop_doc_over: Optional[int] = None,
    audit_sample: Optional[int] = None,
    url_field: Optional[str] = None,
    opt_out: Union[None, PathLike, Sequence[PathLike]] = None,
    sme: bool = False,
    progress: bool = False,
    hmac_key: Key = None,
    **options: Any,
) -> dict:
    """Runs ``shardscrub redact INPUTS --out OUT_DIR`` in this process and returns the
    merged redaction report (the content of ``OUT_DIR/redaction-report.json``).

    ``inputs`` are shard files or directories (.jsonl, .txt, plain, .gz or .zst).
    Keyword arguments are the command line's options (``fields=["text", "meta.title"]``,
    ``on_error="skip"``, ``threads=8``, ``resume=True``, ``url_field="url"``,
    ``opt_out=["opt-out.txt"]``, ``sme=True``, ...) and the :class:`Redactor`'s. With
    ``url_field`` or ``opt_out``, ``OUT_DIR/training-content-summary.md`` holds the
    domain table and the opt-out lists for the AI Act training-content summary. Outputs appear under their final names only when complete.
    The GIL is released for the whole run, so Ctrl-C reaches Python when the run ends;
    a killed process leaves no partial shard, and ``resume=True`` finishes the job.
    """
    args = ["redact", *(os.fspath(p) for p in _list(inputs)), "--out", os.fspath(out_dir)]
    for f in _list(fields):
        args += ["--field", f]
    for flag, value in (
        ("--format", format),
        ("--glob", glob),
        ("--record", record),
        ("--on-error", on_error),
        ("--max-record-bytes", max_record_bytes),
        ("--threads", threads),
        ("--drop-doc-over", drop_doc_over),
        ("--audit-sample", audit_sample),
        ("--url-field", url_field),
    ):
        if value is not None:
            args += [flag, str(value)]
    for path in _list(opt_out):
        args += ["--opt-out", os.fspath(path)]
    if sme:
        args.append("--sme")
    if resume:
        args.append("--resume")
    if sync:
        args.append("--sync")
    args += _engine_args(**options)
    run(args, progress, _key(hmac_key))
    with open(os.path.join(os.fspath(out_dir), "redaction-report.json"), encoding="utf-8") as f:
        return json.load(f)


def merge_counts(parts: Iterable[Mapping[str, Mapping[str, int]]]) -> dict:
    """Sums counts per label (``{label: {"documents": n, "findings": m}}``, as
    ``redact_batch_with_counts`` gives them) from batches, partitions or workers."""
    total: dict = {}
    for part in parts:
        for label, c in part.items():
            t = total.setdefault(label, {"documents": 0, "findings": 0})
            t["documents"] += int(c["documents"])
            t["findings"] += int(c["findings"])
    return dict(sorted(total.items()))


def report_markdown(counts: Mapping[str, Mapping[str, int]], documents: int) -> str:
    """A Markdown table of counts per label (from :func:`merge_counts`, the datatrove
    step or :func:`shardscrub.spark.counts_by_label`) for a dataset card: documents with
    the label, their share of ``documents``, and findings. Counts only, never text."""
    lines = [
        f"Scanned {documents:,} documents with shardscrub {__version__}.",
        "",
        "| label | documents | share | findings |",
        "|---|---:|---:|---:|",
    ]
    for label, c in sorted(counts.items()):
        share = c["documents"] / documents if documents else 0.0
        lines.append(f"| {label} | {c['documents']:,} | {share:.2%} | {c['findings']:,} |")
    if not counts:
        lines.append("| (none) | 0 | 0.00% | 0 |")
    return "\n".join(lines) + "\n"

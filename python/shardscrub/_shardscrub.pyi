"""Type stubs of the native module (python/src/lib.rs)."""

from typing import Optional, Sequence

__version__: str

class ShardscrubError(Exception):
    """An error with the command line's message (shard, line, rule file or option;
    never document text)."""

class Finding:
    """One piece of personal data found in a text."""

    @property
    def start(self) -> int:
        """First character (a Python string index)."""
    @property
    def end(self) -> int:
        """One past the last character."""
    @property
    def byte_start(self) -> int:
        """First byte of the text's UTF-8 encoding."""
    @property
    def byte_end(self) -> int:
        """One past the last byte."""
    @property
    def label(self) -> str:
        """What kind of personal data (``EMAIL_ADDRESS``)."""
    @property
    def rule(self) -> str:
        """The rule that found it (``email``)."""

class NativeRedactor:
    """The engine, built from ``shardscrub redact`` options; see ``shardscrub.Redactor``."""

    def __new__(cls, args: Sequence[str], hmac_key: Optional[bytes] = None) -> "NativeRedactor": ...
    def redact(self, text: str) -> str:
        """``text`` with every piece of personal data replaced by its placeholder."""
    def scan(self, text: str) -> list[Finding]:
        """The findings in ``text``: sorted, non-overlapping."""
    def redact_batch(self, texts: Sequence[str], threads: Optional[int] = None) -> list[str]:
        """``texts`` redacted on ``threads`` cores (None: all), without the GIL."""
    def redact_batch_with_counts(
        self, texts: Sequence[str], threads: Optional[int] = None
    ) -> tuple[list[str], dict[str, dict[str, int]]]:
        """Like ``redact_batch``, and ``{label: {"documents": n, "findings": m}}``
        over the batch."""
    def redact_batch_per_document(
        self, texts: Sequence[str], threads: Optional[int] = None
    ) -> tuple[list[str], list[dict[str, int]]]:
        """Like ``redact_batch``, and each text's findings per label."""

class OptOutLists:
    """Opt-out lists (the command line's ``--opt-out`` files), matched as it does."""

    def __new__(cls, paths: Sequence[str]) -> "OptOutLists": ...
    def fields(self) -> list[str]:
        """The fields that ``field=value`` entries name, in order."""
    def needs_url(self) -> bool:
        """Whether some entry is a domain or a URL prefix."""
    def lists(self) -> list[tuple[str, int, str]]:
        """``(file name, entries, sha256)`` of each list."""
    def check(self, url: Optional[str], values: Sequence[Optional[str]]) -> Optional[tuple[int, str]]:
        """``(list index, "domain" | "url" | "field")`` of the list that opts a
        document out, or None; ``values`` are those of ``fields()``, in order."""

def run(args: Sequence[str], progress: bool = False, hmac_key: Optional[bytes] = None) -> int:
    """Runs a ``shardscrub`` command line in this process without the GIL; returns the
    exit code or raises ``ShardscrubError``."""

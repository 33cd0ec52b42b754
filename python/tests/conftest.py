"""Shared fixtures: the repository's sample corpus."""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_JSONL = ROOT / "corpus" / "sample.jsonl"
SAMPLE_PARQUET = ROOT / "corpus" / "sample.parquet"


@pytest.fixture(scope="session")
def sample_texts() -> list:
    """The `text` field of every line of corpus/sample.jsonl."""
    with open(SAMPLE_JSONL, encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f]

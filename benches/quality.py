"""Presidio's spans on the labeled corpus, and an independent check of the corpus.

    python benches/quality.py corpus/quality/gold.jsonl --out-dir target/bench/quality

1. Checks every gold national number, IBAN and card number (and every such value in
   the built-in rules' must_match examples) with python-stdnum, a
   library that shares no code with shardscrub's validators (the corpus generator
   completes check digits with those validators, so this is what keeps the corpus from
   agreeing with shardscrub by construction). Exits 1 if stdnum rejects any value.
2. Runs Presidio's analyzer with its pattern recognizers (no NER model: a blank spaCy
   English pipeline whose lemmas are the lowercased tokens, so that Presidio's context
   words still raise scores) over every document, and writes its spans in the form
   `shardscrub scan` prints, one file per score threshold:
   OUT/presidio-T.jsonl for T in --thresholds. Byte offsets, labels as Presidio names
   them (they are shardscrub's names).

Presidio is configured with every predefined recognizer for a label the corpus holds,
all set to English so that one analyzer call runs them all, and the phone recognizer
with the regions of the corpus's phone numbers (its default list lacks ES, IT, NL, PL).
Its recognizers for entities shardscrub has no label for (URL, DATE_TIME, UUID, US
driver licences...) are not loaded: there is nothing to score them against.
"""

import argparse
import glob
import json
import os
import sys
import time
import tomllib

LABELS = {
    "CreditCardRecognizer": {},
    "CryptoRecognizer": {},
    "EmailRecognizer": {},
    "IbanRecognizer": {},
    "IpRecognizer": {},
    "MacAddressRecognizer": {},
    "PhoneRecognizer": {"supported_regions": ("US", "GB", "DE", "FR", "ES", "IT", "NL", "PL", "IN", "BR")},
    "UsSsnRecognizer": {},
    "NhsRecognizer": {},
    "UkNinoRecognizer": {},
    "EsNifRecognizer": {},
    "EsNieRecognizer": {},
    "ItFiscalCodeRecognizer": {},
    "PlPeselRecognizer": {},
    "FiPersonalIdentityCodeRecognizer": {},
    "InAadhaarRecognizer": {},
    "InPanRecognizer": {},
    "DeTaxIdRecognizer": {},
    "SePersonnummerRecognizer": {},
}


def stdnum_check(docs):
    """Validates gold values, and the values the built-in rules' must_match examples
    redact, with python-stdnum; returns (checked, rejected per label)."""
    from stdnum import iban, luhn
    from stdnum.be import nn
    from stdnum.br import cpf
    from stdnum.de import idnr
    from stdnum.dk import cpr
    from stdnum.es import dni, nie
    from stdnum.fi import hetu
    from stdnum.fr import nir
    from stdnum.gb import nhs
    from stdnum.in_ import aadhaar, pan
    from stdnum.it import codicefiscale
    from stdnum.nl import bsn
    from stdnum.pl import pesel
    from stdnum.pt import nif
    from stdnum.se import personnummer
    from stdnum.us import ssn

    def loose(module):
        # DK CPR: stdnum also rejects dates in the future; check the number's form only.
        return lambda v: module.is_valid(v)

    check = {
        "IBAN_CODE": iban.is_valid,
        "CREDIT_CARD": lambda v: luhn.is_valid("".join(c for c in v if c.isdigit())),
        "BE_NATIONAL_NUMBER": nn.is_valid,
        "BR_CPF": cpf.is_valid,
        "DE_TAX_ID": idnr.is_valid,
        "DK_CPR": loose(cpr),
        "ES_NIF": dni.is_valid,
        "ES_NIE": nie.is_valid,
        "FI_PERSONAL_IDENTITY_CODE": hetu.is_valid,
        "FR_NIR": nir.is_valid,
        "UK_NHS": nhs.is_valid,
        "IN_AADHAAR": aadhaar.is_valid,
        "IN_PAN": pan.is_valid,
        "IT_FISCAL_CODE": codicefiscale.is_valid,
        "NL_BSN": bsn.is_valid,
        "PL_PESEL": pesel.is_valid,
        "PT_NIF": nif.is_valid,
        "SE_PERSONNUMMER": personnummer.is_valid,
        "US_SSN": ssn.is_valid,
    }
    values = []
    for d in docs:
        raw = d["text"].encode()
        values += [(s["label"], raw[s["start"]:s["end"]].decode()) for s in d["spans"]]
    for path in glob.glob("patterns/**/*.toml", recursive=True):
        with open(path, "rb") as f:
            for rule in tomllib.load(f).get("rule", []):  # words.toml holds lists only
                for ex in rule["must_match"]:
                    v = ex["redacts"] if isinstance(ex, dict) else ex
                    # stdnum reads US SSNs with dashes only; spaces are a layout.
                    values.append((rule["label"], v.replace(" ", "-") if rule["label"] == "US_SSN" else v))
    checked, rejected = 0, {}
    for label, v in values:
        f = check.get(label)
        if f is None:
            continue
        checked += 1
        if not f(v):
            rejected[label] = rejected.get(label, 0) + 1
    return checked, rejected


def analyzer():
    import spacy
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer import predefined_recognizers as pr
    from presidio_analyzer.nlp_engine import SpacyNlpEngine
    from spacy.language import Language

    @Language.component("lowercase_lemmas")
    def lowercase_lemmas(doc):
        for t in doc:
            t.lemma_ = t.lower_
        return doc

    class BlankSpacy(SpacyNlpEngine):
        """A tokenizer only: Presidio's pattern recognizers, no NER model."""

        def __init__(self):
            super().__init__(models=[{"lang_code": "en", "model_name": "blank"}])

        def load(self):
            nlp = spacy.blank("en")
            nlp.add_pipe("lowercase_lemmas")
            self.nlp = {"en": nlp}

    registry = RecognizerRegistry(supported_languages=["en"])
    for name, kwargs in LABELS.items():
        registry.add_recognizer(getattr(pr, name)(supported_language="en", **kwargs))
    return AnalyzerEngine(
        nlp_engine=BlankSpacy(), registry=registry, supported_languages=["en"]
    )


def byte_offsets(text):
    """Character index -> byte index, for every index up to len(text)."""
    out, b = [], 0
    for ch in text:
        out.append(b)
        b += len(ch.encode())
    out.append(b)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold")
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--thresholds", default="0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9")
    a = ap.parse_args()
    with open(a.gold, encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]

    checked, rejected = stdnum_check(docs)
    print(f"python-stdnum: {checked} gold and rule-example values checked, {sum(rejected.values())} rejected", file=sys.stderr)
    if rejected:
        print(f"python-stdnum rejects gold values of: {rejected}", file=sys.stderr)
        sys.exit(1)

    engine = analyzer()
    thresholds = [float(t) for t in a.thresholds.split(",")]
    os.makedirs(a.out_dir, exist_ok=True)
    outs = {t: open(os.path.join(a.out_dir, f"presidio-{t:g}.jsonl"), "w") for t in thresholds}
    started = time.perf_counter()
    for line, d in enumerate(docs, 1):
        text = d["text"]
        off = byte_offsets(text)
        results = engine.analyze(text=text, language="en", score_threshold=0)
        spans = [(off[r.start], off[r.end], r.entity_type, r.score) for r in results]
        for t, out in outs.items():
            kept = [{"start": s, "end": e, "label": l} for s, e, l, score in spans if score >= t]
            out.write(json.dumps({"line": line, "spans": kept}) + "\n")
    for out in outs.values():
        out.close()
    seconds = time.perf_counter() - started
    size = sum(len(d["text"].encode()) for d in docs)
    print(f"presidio: {len(docs)} documents, {size / 1e6:.2f} MB in {seconds:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()

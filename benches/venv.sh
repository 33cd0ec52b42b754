# Sourced by benches/compare.sh and benches/quality.sh: makes target/bench/venv once,
# with the Python peers at pinned versions, and sets $venv.
#
# dolma's package pins old dependencies that pip cannot resolve here, so it is installed
# without them, with the modules its tagger imports; if it still cannot be imported,
# compare.py says so and uses plain Python `re` with dolma's three patterns instead.
# python-stdnum checks the labeled corpus's national numbers independently of our
# validators (benches/quality.py); with phonenumbers it also gives the second labeled
# set its values (benches/second_set.py).
venv=target/bench/venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q datatrove==0.10.1 scrubadub==2.0.1 \
        presidio-analyzer==2.2.366 presidio-anonymizer==2.2.366 spacy==3.8.18
    "$venv/bin/pip" install -q --no-deps dolma==1.2.1 &&
        "$venv/bin/pip" install -q msgspec necessary fasttext-wheel platformdirs uniseg \
            zstandard omegaconf anyascii tokenizers smart-open nltk ||
        echo "dolma did not install; compare.py will use Python re with its patterns"
fi
"$venv/bin/python" -c "import stdnum, phonenumbers" 2>/dev/null ||
    "$venv/bin/pip" install -q python-stdnum==2.2 phonenumbers==9.0.43

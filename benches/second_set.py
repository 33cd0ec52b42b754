#!/usr/bin/env python3
"""A second labeled evaluation set, made apart from corpus/gen and from the rules.

Values come from references this project did not write: phonenumbers' example number
of every region for mobile and fixed lines (international, E.164 and national form),
IBAN structures of every country in python-stdnum's registry copy, and national numbers
made valid by python-stdnum's own check digit functions (formatted with its `format`).
They are placed in document shapes that corpus/quality lacks: CSV exports with numeric
neighbours, compose and .env files with upper-case keys, HR and form exports under
generic labels, chat and ticket logs, mail signatures, Chinese and Japanese text, and
code with version strings, OIDs and hex dumps as marked negatives.

    benches/second_set.py --out target/bench/second/second.jsonl [--docs 1500] [--seed 7]

The names of people the documents hold (CSV name columns, `Full name:`, mail
signatures) are labeled `PERSON`.

The output has corpus/quality's format (text, spans, negatives) so that `shardscrub
eval` and benches/quality.py read it. It is built at bench time and never committed;
it is not used to tune rules (QUALITY.md keeps it apart from corpus/quality).
"""
import argparse
import ipaddress
import json
import random

import phonenumbers
from phonenumbers import PhoneNumberFormat as PNF
from phonenumbers import PhoneNumberType as PNT
from stdnum import iban, luhn, verhoeff
from stdnum.br import cpf
from stdnum.de import idnr
from stdnum.es import dni
from stdnum.fi import hetu
from stdnum.fr import nir
from stdnum.gb import nhs
from stdnum.in_ import aadhaar
from stdnum.nl import bsn
from stdnum.pl import pesel
from stdnum.pt import nif
from stdnum.se import personnummer
from stdnum.us import ssn

R = random.Random()


# ---------------------------------------------------------------- values

def phones():
    """(international, e164, national, region) for every example number."""
    out = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (PNT.MOBILE, PNT.FIXED_LINE):
            n = phonenumbers.example_number_for_type(region, kind)
            if n is None:
                continue
            out.append((phonenumbers.format_number(n, PNF.INTERNATIONAL),
                        phonenumbers.format_number(n, PNF.E164),
                        phonenumbers.format_number(n, PNF.NATIONAL), region))
    return out


PHONES = phones()
IBAN_COUNTRIES = sorted({l[:2] for l in open(iban.__file__.replace("iban.py", "iban.dat"))
                         if l[:2].isalpha() and l[:2].isupper()})


def phone(national_ok):
    intl, e164, national, region = R.choice(PHONES)
    if national_ok and R.random() < 0.5:
        return national
    return R.choice([intl, e164])


def iban_value():
    cc = R.choice(IBAN_COUNTRIES)
    struct = iban._ibandb.info(cc)[0][1]["bban"]
    while True:
        bban = ""
        for length, kind in iban._struct_re.findall(struct):
            chars = {"n": "0123456789", "a": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                     "c": "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"}[kind]
            bban += "".join(R.choice(chars) for _ in range(int(length)))
        value = cc + iban.calc_check_digits(cc + "00" + bban) + bban
        # Some countries (BE, ES, FR, ...) have national check digits inside the BBAN.
        if iban.is_valid(value):
            return iban.format(value) if R.random() < 0.6 else value


CARD_PREFIXES = [  # (prefix, length): issuers' published ranges
    ("4", 16), ("4", 13), ("4", 19), ("51", 16), ("55", 16), ("2221", 16), ("2720", 16),
    ("34", 15), ("37", 15), ("6011", 16), ("65", 16), ("3528", 16), ("3589", 16),
    ("2131", 15), ("1800", 15), ("36", 14), ("6304", 12), ("5018", 12), ("6759", 19),
    ("62", 16), ("62", 19), ("2200", 16),
]


def card():
    prefix, length = R.choice(CARD_PREFIXES)
    body = prefix + "".join(R.choice("0123456789") for _ in range(length - len(prefix) - 1))
    value = body + luhn.calc_check_digit(body)
    if R.random() < 0.5 and length == 16:
        sep = R.choice([" ", "-"])
        value = sep.join(value[i:i + 4] for i in range(0, 16, 4))
    return value


def digits(n):
    return "".join(R.choice("0123456789") for _ in range(n))


def until_valid(make, module):
    while True:
        v = make()
        if module.is_valid(v):
            return v


def birth():
    return R.randint(1940, 2005), R.randint(1, 12), R.randint(1, 28)


def national():
    """(label, value, scheme word) for one national number."""
    kind = R.choice(["bsn", "idnr", "aadhaar", "pesel", "nhs", "cpf", "nif", "ssn", "dni",
                     "hetu", "pnr", "nir"])
    if kind == "bsn":
        v = until_valid(lambda: str(R.randint(1, 9)) + digits(8), bsn)
        return "NL_BSN", bsn.format(v) if R.random() < 0.5 else v, "BSN"
    if kind == "idnr":
        v = until_valid(lambda: str(R.randint(1, 9)) + digits(10), idnr)
        return "DE_TAX_ID", idnr.format(v) if R.random() < 0.5 else v, "Steuer-ID"
    if kind == "aadhaar":
        b = str(R.randint(2, 9)) + digits(10)
        v = b + verhoeff.calc_check_digit(b)
        return "IN_AADHAAR", aadhaar.format(v) if R.random() < 0.6 else v, "Aadhaar"
    if kind == "pesel":
        y, m, d = birth()
        m += 20 if y >= 2000 else 0
        b = f"{y % 100:02d}{m:02d}{d:02d}" + digits(4)
        return "PL_PESEL", b + pesel.calc_check_digit(b), "PESEL"
    if kind == "nhs":
        v = until_valid(lambda: str(R.randint(4, 9)) + digits(9), nhs)
        return "UK_NHS", nhs.format(v) if R.random() < 0.6 else v, "NHS number"
    if kind == "cpf":
        v = until_valid(lambda: digits(11), cpf)
        return "BR_CPF", cpf.format(v) if R.random() < 0.6 else v, "CPF"
    if kind == "nif":
        b = R.choice("123") + digits(7)
        return "PT_NIF", b + nif.calc_check_digit(b), "NIF"
    if kind == "ssn":
        v = until_valid(lambda: f"{R.randint(1, 665):03d}{R.randint(1, 99):02d}{R.randint(1, 9999):04d}", ssn)
        return "US_SSN", ssn.format(v), "SSN"
    if kind == "dni":
        b = digits(8)
        return "ES_NIF", b + dni.calc_check_digit(b), "DNI"
    if kind == "hetu":
        y, m, d = birth()
        sep = "-" if y < 2000 else "A"
        b = f"{d:02d}{m:02d}{y % 100:02d}{sep}{R.randint(2, 899):03d}"
        v = next(b + c for c in "0123456789ABCDEFHJKLMNPRSTUVWXY" if hetu.is_valid(b + c))
        return "FI_PERSONAL_IDENTITY_CODE", v, "henkilötunnus"
    if kind == "pnr":
        y, m, d = birth()
        b = f"{y % 100:02d}{m:02d}{d:02d}-{R.randint(0, 999):03d}"
        v = next(b + c for c in "0123456789" if personnummer.is_valid(b + c))
        return "SE_PERSONNUMMER", v, "personnummer"
    y, m, _ = birth()
    b = f"{R.choice('12')}{y % 100:02d}{m:02d}{R.randint(1, 95):02d}{R.randint(1, 999):03d}{R.randint(1, 999):03d}"
    v = b + nir.calc_check_digits(b)
    return "FR_NIR", nir.format(v) if R.random() < 0.5 else v, "numéro de sécurité sociale"


GENERIC_ID = ["National ID", "ID number", "Tax number", "Tax / social number",
              "Social security no.", "Personal number", "Identification number"]


def ipv4():
    while True:
        a = ipaddress.IPv4Address(R.getrandbits(32))
        if a.is_global and not a.is_multicast:
            return str(a)


def ipv6():
    while True:
        a = ipaddress.IPv6Address((0x2A00 + R.randint(0, 0x3FF)) << 112 | R.getrandbits(64))
        if a.is_global:
            return str(a)


def mac():
    b = [R.randint(0, 255) & 0xFC | 0x00] + [R.randint(0, 255) for _ in range(5)]
    b[0] &= 0xFE
    sep = R.choice([":", "-"])
    s = sep.join(f"{x:02x}" for x in b)
    return s.upper() if R.random() < 0.3 else s


LOCALS = ["jroe", "a.khan", "mei.lin", "o.santos", "k.nowak", "li.wei", "t.tanaka", "m.rossi"]
DOMAINS = ["corp-mail.eu", "firma.de", "uni-beispiel.de", "posta.it", "mailhost.fr", "kaisha.jp", "gongsi.cn"]


def email():
    return f"{R.choice(LOCALS)}{R.randint(1, 99)}@{R.choice(DOMAINS)}"


def password():
    chars = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#%&"
    while True:
        p = "".join(R.choice(chars) for _ in range(R.randint(10, 16)))
        if any(c.isdigit() for c in p) and any(c.isalpha() for c in p):
            return p


NAMES = ["Jane Roe", "Ali Khan", "Mei Lin", "Olga Santos", "Kasia Nowak", "Tom Berg"]
VERSIONS = ["4.6.1.0", "2.4.1.3", "3.12.4.1", "2.14.3.9", "1.11.2.5", "8.2.4.45", "2.5.29.17"]


# ---------------------------------------------------------------- documents

class V(tuple):
    """A labeled value: V(label, text)."""

    def __new__(cls, label, text):
        return super().__new__(cls, (label, text))


class N(tuple):
    """A marked negative (must stay as it is): N(kind, text)."""

    def __new__(cls, kind, text):
        return super().__new__(cls, (kind, text))


class Doc:
    """A document built piece by piece, with byte offsets of its values."""

    def __init__(self, kind):
        self.kind = kind
        self.parts = []
        self.spans = []
        self.negatives = []
        self.size = 0

    def add(self, *pieces):
        """Appends plain text (str), values (V) and negatives (N), in order."""
        for p in pieces:
            start = self.size
            text = p if isinstance(p, str) else p[1]
            self.parts.append(text)
            self.size += len(text.encode())
            if isinstance(p, V):
                self.spans.append({"start": start, "end": self.size, "label": p[0]})
            elif isinstance(p, N):
                self.negatives.append({"start": start, "end": self.size, "kind": p[0]})
        return self

    def out(self, i):
        return {"id": i, "kind": self.kind, "text": "".join(self.parts),
                "spans": self.spans, "negatives": self.negatives}


def csv_export():
    d = Doc("csv").add("id,name,email,phone,iban,card,joined,amount\n")
    for i in range(R.randint(2, 5)):
        d.add(f"{R.randint(1, 9999)},", V("PERSON", R.choice(NAMES)), ",", V("EMAIL_ADDRESS", email()),
              ",", V("PHONE_NUMBER", phone(False)), ",", V("IBAN_CODE", iban_value()),
              ",", V("CREDIT_CARD", card()),
              f",{R.randint(2015, 2024)}-{R.randint(1, 12):02d}-{R.randint(1, 28):02d},"
              f"{R.randint(1, 9999)}.{R.randint(0, 99):02d}\n")
    return d


def hr_form():
    d = Doc("form").add("Employee record\nFull name: ", V("PERSON", R.choice(NAMES)), "\n")
    for _ in range(R.randint(1, 3)):
        label, value, word = national()
        head = R.choice(GENERIC_ID) if R.random() < 0.5 else word
        d.add(f"{head}: ", V(label, value), "\n")
    return d.add(R.choice(["Phone: ", "Tel.: ", "Mobile: ", "Telephone number: "]),
                 V("PHONE_NUMBER", phone(True)),
                 "\nBank account (IBAN): ", V("IBAN_CODE", iban_value()),
                 f"\nStart date: {R.randint(1, 28):02d}.{R.randint(1, 12):02d}.{R.randint(2010, 2024)}\n")


def hr_csv():
    label, value, word = national()
    head = R.choice(GENERIC_ID)
    return Doc("csv").add(f"emp_id,full_name,{head},phone\n{R.randint(1, 999)},",
                          V("PERSON", R.choice(NAMES)), ",", V(label, value), ",", V("PHONE_NUMBER", phone(False)), "\n")


def compose():
    return Doc("config").add(
        "services:\n  db:\n    image: postgres:", N("version", f"{R.randint(12, 16)}.{R.randint(0, 9)}"),
        "\n    environment:\n      - POSTGRES_USER=app\n      - POSTGRES_PASSWORD=", V("SECRET", password()),
        "\n      - ADMIN_EMAIL=", V("EMAIL_ADDRESS", email()),
        "\n      - ALLOWED_HOSTS=10.0.0.5,", V("IP_ADDRESS", ipv4()),
        ",\n      - APP_VERSION=", N("version", R.choice(VERSIONS)),
        "\n    ports:\n      - \"5432:5432\"\n")


def env_file():
    return Doc("config").add(
        "# production\nDB_HOST=", V("IP_ADDRESS", ipv4()),
        f"\n{R.choice(['DB_PASS', 'PASS', 'PW', 'DB_PASSWORD'])}=", V("SECRET", password()),
        "\nAPP_VERSION=", N("version", R.choice(VERSIONS)),
        "\nredis:\n  password: ", V("SECRET", password()), "\n")


def chat():
    return Doc("chat").add(
        "[10:41] alex: the box is ", V("IP_ADDRESS", ipv4()), ", password ", V("SECRET", password()),
        f"\n[10:42] sam: {R.choice(['call me at', 'ping me on', 'my number is', 'stop sending messages to', 'text me at'])} ",
        V("PHONE_NUMBER", phone(True)),
        "\n[10:44] alex: card ", V("CREDIT_CARD", card()), " expired, mail ", V("EMAIL_ADDRESS", email()),
        "\n[10:45] sam: also the router ", V("MAC_ADDRESS", mac()), " at ", V("IP_ADDRESS", ipv6()), "\n")


def mail():
    return Doc("email").add(
        "From: ", V("EMAIL_ADDRESS", email()),
        "\nSubject: invoice\n\nPlease transfer to ", V("IBAN_CODE", iban_value()),
        ".\n\nBest regards,\n", V("PERSON", R.choice(NAMES)), "\nTel: ", V("PHONE_NUMBER", phone(False)),
        "\nMobile: ", V("PHONE_NUMBER", phone(True)), "\n")


def chinese():
    return Doc("cjk").add(
        "您好，如有问题请拨打", V("PHONE_NUMBER", phone(True)), "联系我，或发送邮件至",
        V("EMAIL_ADDRESS", email()), "。银行账号", V("IBAN_CODE", iban_value()), "，谢谢。")


def japanese():
    return Doc("cjk").add(
        "ご不明な点は", V("PHONE_NUMBER", phone(True)), "までお電話ください。メール",
        V("EMAIL_ADDRESS", email()), "でも受け付けております。")


def code():
    return Doc("code").add(
        'DIGITS = "', N("digit_alphabet", "0123456789"),
        '"\n# Standards-Version: ', N("version", R.choice(VERSIONS)),
        '\nSAN = ObjectIdentifier::new("', N("oid", "2.5.29.17"),
        '")\n# Boston, MA ', N("zip", "02110-1301"),
        " USA\n# bump dependency to ", N("version", R.choice(VERSIONS)),
        '\nSERVER = "', V("IP_ADDRESS", ipv4()), '"\n')


SHAPES = [csv_export, hr_form, hr_csv, compose, env_file, chat, mail, chinese, japanese, code]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--docs", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    R.seed(args.seed)
    with open(args.out, "w") as f:
        for i in range(1, args.docs + 1):
            f.write(json.dumps(R.choice(SHAPES)().out(i), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()

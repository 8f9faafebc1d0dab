"""Write realistic synthetic own-data files: an invoice year, its suppliers, Hilma notices.

    python tests/data/make_samples.py [OUT_DIR] [--rows 200000] [--notices 300]

Writes into OUT_DIR (default bench/data, not in version control):
- invoices_utf8.csv: the year's purchase-invoice rows in the Kuntaliitto 2021 open data
  guidance's layout with Finnish headers, UTF-8 with BOM, semicolons, decimal comma;
- invoices_cp1252.csv: the same rows in Windows-1252;
- suppliers.csv: business id -> municipality for most suppliers (some left out on purpose);
- hilma_notices.json: a search-response-shaped export of notices with lot-keyed statistics
  (field names as in Hankintailmoitukset/hilma-api endpoints/hilmastatistics.md).

Deterministic (a fixed seed), so a benchmark run is comparable with the next.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

HEADERS = (
    "Tilivuosi",
    "Ostajan nimi",
    "Ostajan y-tunnus",
    "Tositenumero",
    "Tositepäivämäärä",
    "Toimittajan nimi",
    "Toimittajan y-tunnus",
    "Maakoodi",
    "Palveluluokka",
    "Tili",
    "Summa",
)
BUYER = ("Hyvinkään kaupunki", "0126223-0")
MUNICIPALITIES = (
    "Hyvinkää",
    "Helsinki",
    "Riihimäki",
    "Järvenpää",
    "Tuusula",
    "Espoo",
    "Vantaa",
    "Tampere",
    "Nurmijärvi",
    "Mäntsälä",
)
CLASSES = (
    "Ruokapalvelut",
    "Siivous- ja kiinteistöpalvelut",
    "Rakentaminen",
    "Tietohallintopalvelut",
    "Sosiaalipalvelut",
    "Kuljetuspalvelut",
    "Tarvikkeet",
    "Energia",
    "Asiantuntijapalvelut",
    "Vuokrat",
)
NAMES = (
    "Rakennus",
    "Kuljetus",
    "Siivous",
    "Ruoka",
    "Konsultointi",
    "Sähkö",
    "Putki",
    "Tieto",
    "Kone",
    "Puutarha",
)
WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def business_id(rng: random.Random) -> str:
    """A random Finnish business id with a valid check digit."""
    while True:
        digits = [rng.randrange(10) for _ in range(7)]
        remainder = sum(d * w for d, w in zip(digits, WEIGHTS, strict=True)) % 11
        if remainder == 1:
            continue
        check = 0 if remainder == 0 else 11 - remainder
        return "".join(map(str, digits)) + f"-{check}"


def euro(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100},{abs(cents) % 100:02d}"


def suppliers(rng: random.Random, n: int) -> list[dict]:
    found, seen = [], set()
    for i in range(n):
        new_id = business_id(rng)
        while new_id in seen:
            new_id = business_id(rng)
        seen.add(new_id)
        found.append(
            {
                "id": new_id,
                "name": f"{rng.choice(NAMES)}{'palvelu' if i % 2 else 'tekniikka'} {i} Oy",
                "municipality": rng.choices(MUNICIPALITIES, weights=(30, 20, 8, 6, 6, 8, 8, 6, 4, 4))[0],
                "foreign": rng.random() < 0.02,
            }
        )
    return found


def invoice_lines(rng: random.Random, rows: int, year: int, supplier_list: list[dict]):
    yield ";".join(HEADERS)
    for n in range(rows):
        supplier = rng.choice(supplier_list)
        anonymous = rng.random() < 0.01  # a sole trader, anonymised: no business id
        cents = int(rng.lognormvariate(10, 1.3))
        if rng.random() < 0.02:
            cents = -cents  # a credit note
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        yield ";".join(
            (
                str(year),
                BUYER[0],
                BUYER[1],
                f"{year}{n:07d}",
                f"{day}.{month}.{year}",
                "Yksityinen elinkeinonharjoittaja" if anonymous else supplier["name"],
                "" if anonymous else supplier["id"],
                "SE" if supplier["foreign"] else "FI",
                rng.choice(CLASSES),
                f"4{rng.randrange(100, 999)}",
                euro(cents),
            )
        )


def notices(rng: random.Random, n: int, year: int) -> dict:
    procedures = ("open",) * 6 + ("restricted", "neg-w-call", "neg-wo-call", "comp-dial", "oth-single")
    docs = []
    for i in range(n):
        lots = {}
        for lot in range(rng.choice((1, 1, 1, 2, 3))):
            lots[f"LOT-{lot:04d}"] = {
                "energyEfficiencyConsidered": rng.random() < 0.2,
                "lowCarbon": rng.random() < 0.2,
                "circularEconomy": rng.random() < 0.1,
                "biodiversity": rng.random() < 0.05,
                "sustainableFoodProduction": rng.random() < 0.05,
                "listedGreenCriteriaUsed": rng.random() < 0.1,
                "justWorkingConditions": rng.random() < 0.2,
                "employmentCondition": rng.random() < 0.1,
                "howManyOpportunitiesIsEstimated": 0,
                "codeOfConduct": rng.random() < 0.2,
                "innovationConsidered": rng.random() < 0.15,
                "solutionNewToBuyer": rng.random() < 0.1,
                "solutionNewToMarketOrIndustry": rng.random() < 0.05,
                "smeParticipationConsidered": rng.random() < 0.5,
                "endUserInvolved": None,
            }
        docs.append(
            {
                "noticeId": 100000 + i,
                "datePublished": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T09:00:00Z",
                "procedureType": rng.choice(procedures),
                "title": f"{rng.choice(CLASSES)}: hankinta {i}",
                "organisationNationalIds": [BUYER[1]],
                "hilmaStatistics": lots,
            }
        )
    return {"@odata.count": len(docs), "value": docs}


def write(out: Path, rows: int, notice_count: int, year: int = 2025) -> None:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20251201)
    supplier_list = suppliers(rng, 4000)
    lines = list(invoice_lines(rng, rows, year, supplier_list))
    text = "\r\n".join(lines) + "\r\n"
    (out / "invoices_utf8.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (out / "invoices_cp1252.csv").write_bytes(text.encode("cp1252"))
    known = [s for s in supplier_list if not s["foreign"] and rng.random() > 0.03]
    (out / "suppliers.csv").write_text(
        "Y-tunnus;Kotipaikka\n" + "".join(f"{s['id']};{s['municipality']}\n" for s in known), encoding="utf-8"
    )
    (out / "hilma_notices.json").write_text(
        json.dumps(notices(rng, notice_count, year), ensure_ascii=False, indent=1), encoding="utf-8"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="bench/data", type=Path)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--notices", type=int, default=300)
    args = parser.parse_args()
    write(args.out, args.rows, args.notices)
    print(f"Wrote {args.rows} invoice rows and {args.notices} notices to {args.out}")


if __name__ == "__main__":
    main()

"""Fictional peer organisations for the benchmark demo (pure: no Flask, no SQL).

`assess demo --peers N` adds N clearly fictional organisations ("Esimerkkikunta 3
(kuvitteellinen)") with profiles, consent and counted results over the demo years, so the
benchmark page has figures to show, and hides some, as a real installation would. Every
choice comes from a seeded generator: the same N gives the same peers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

SEED = 20240616
MAX_PEERS = 400

DEMO_PROFILE = ("kunta", "asukkaita-20000-49999", "uusimaa")
"""The demo town's own profile."""

# (type, name stem, size bands to draw from): mostly municipalities, as in real use.
TYPES = (
    ("kunta", "Esimerkkikunta", ("asukkaita-5000-19999", "asukkaita-20000-49999", "asukkaita-50000-99999")),
    ("kuntayhtyma", "Esimerkkiyhtymä", ("hankinnat-10-99-milj", "hankinnat-100-499-milj")),
    ("hyvinvointialue", "Esimerkkihyvinvointialue", ("hankinnat-500-milj-tai-enemman",)),
    ("valtio", "Esimerkkivirasto", ("hankinnat-10-99-milj", "hankinnat-alle-10-milj")),
    ("yhtio", "Esimerkkiyhtiö", ("hankinnat-alle-10-milj", "hankinnat-10-99-milj")),
)
TYPE_CYCLE = (0, 0, 1, 0, 2, 0, 3, 0, 4, 1, 0, 0)
"""Which of TYPES each peer is, in turn: 7 municipalities in every 12."""
REGIONS = (
    "uusimaa",
    "pirkanmaa",
    "varsinais-suomi",
    "uusimaa",
    "pohjois-pohjanmaa",
    "uusimaa",
    "keski-suomi",
    "kanta-hame",
)
GROUP_NAME = "Esimerkkien hankintarengas (kuvitteellinen)"
GROUP_DESCRIPTION = "Kuvitteellinen vertailuryhmä demoa varten."


@dataclass(frozen=True)
class Peer:
    name: str
    org_type: str
    size_class: str
    region: str | None
    first_year_index: int
    """The first demo year with a counted result (some peers join later)."""
    questionnaire: str
    level: float
    """Where the peer stands in its first demo year, on the demo town's scale."""
    growth: float
    in_group: bool


def peers(n: int, seed: int = SEED) -> list[Peer]:
    """N fictional peers; names number each type from 1 and say "(kuvitteellinen)"."""
    if not 0 <= n <= MAX_PEERS:
        raise ValueError(f"the number of peers must be 0-{MAX_PEERS}")
    rng = random.Random(seed)
    numbers: dict[str, int] = {}
    result = []
    for i in range(n):
        org_type, stem, sizes = TYPES[TYPE_CYCLE[i % len(TYPE_CYCLE)]]
        numbers[org_type] = numbers.get(org_type, 0) + 1
        region = REGIONS[i % len(REGIONS)] if i % 7 != 6 else None
        result.append(
            Peer(
                name=f"{stem} {numbers[org_type]} (kuvitteellinen)",
                org_type=org_type,
                size_class=sizes[i % len(sizes)],
                region=region,
                first_year_index=1 if i % 5 == 4 else 0,
                questionnaire="quick" if i % 4 == 3 else "full",
                level=round(rng.uniform(-0.9, 0.9), 2),
                growth=round(rng.uniform(0.3, 0.9), 2),
                in_group=i < 5,
            )
        )
    return result


def levels(base: dict[str, float], peer: Peer, year_index: int, rng: random.Random) -> dict[str, float]:
    """A peer's level per area in a demo year: the demo town's first-year level shifted by
    the peer's own start and growth, with a little noise per area."""
    shift = peer.level + peer.growth * year_index
    return {area: max(0.0, min(5.0, value + shift + rng.gauss(0, 0.3))) for area, value in base.items()}

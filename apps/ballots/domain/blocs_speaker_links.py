"""Wider links between a talk's speakers and the voters of their organisation (`speaker_links`).

Colleagues of a speaker are tested in their own family and bounded on purpose, and their evidence says
they are the speaker's organisation; so what counts as the speaker's organisation must be what a
reader of the names would agree on. By default (`exact`) a voter's email domain is the speaker's when
it is the speaker's own address's domain, or when the name it is registered under spells the speaker's
company ("Initech GmbH" and initech.com, round 13). Under `registrable` two more readings count:

1. **The same registered domain.** A speaker writing from emberforge.edu is a colleague of the voters
   on student.emberforge.edu and cs.emberforge.edu: the part of an address just under its public
   suffix (the Public Suffix List, private suffixes included, so alice.github.io and bob.github.io
   stay two people) is registered by one organisation. Free-mail domains never link, nor do
   addresses registered under a free-mail domain.
2. **A name without the words that say what kind of organisation it is.** "University of Emberforge"
   and emberforge.edu, "Copperwind Studio" and copperwind.games, "Universität Mannheim" and
   uni-mannheim.de: set aside the few words in `ORGANISATION_WORDS` (on both sides; a domain's are its
   hyphenated parts) and the names are the same. The rest must be at least `MIN_SHORT_NAME_LENGTH`
   characters: "University of Bath" and bath.ac.uk link, a two- or three-letter remainder does not.
   And it must name one registered domain among the voters': "University of Manchester" links neither
   manchester.ac.uk nor manchester.gov.uk when voters write from both (a city's name is many
   organisations' name).
   Names that are not spelled alike stay apart: "University of Cambridge" is not cam.ac.uk, nor
   "Technische Universität München" tum.de (the organizers can declare those, blocs_declared.py).

Neither reading overrules the voters: a domain whose voters mostly pair it with a company name (round 4's
mutual majority) that is not the speaker's, short names compared, belongs to that company
(city.nordhaven.example, "City of Nordhaven", is not the colleague of a "Region Nordhaven Health" speaker
on health.nordhaven.example). Each link carries a note that the evidence repeats, so a reviewer sees why
the group was taken for the speaker's organisation.

A wider link decides only who is the speaker's organisation: its cells go to the colleague tests, and
every other test reads the votes as under `exact` (round 35, in blocs.findings_collect): the order,
affiliation and lean tests keep their count of tests and their false-discovery bar (a loyal group that
`exact` tested as outsiders still counts there, as a test and as a discovery), and the narrow test keeps
the light votes of a newly linked colleague in its count without flagging them. Otherwise each right
link cost planted members elsewhere: a friends' push fell below the narrow bar for one student's vote,
and vote-for-vote rings just over the affiliation bar fell short of the bar raised by loyal groups
moving out of the family.

That is `linked_groups: colleagues`. Since round 39 the default is `before`: a linked cell is judged by the
test that judged it under `exact` alone (the colleague family keeps the exact links' cells and bar, whose
growth had cost planted coworkers of exact colleague cells), and a finding on it is reported as the
speaker's organisation; what is found and discounted is `exact`'s. `either` also applies the colleague test.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from functools import lru_cache

import numpy as np
import tldextract

# Words that say what kind of organisation a name is, not which: dropped from a speaker's company and
# from a domain's hyphenated parts before they are compared under `speaker_links: registrable`. Kept
# short on purpose: each word makes more names alike. Trades ("games", "software", "labs") are not
# here: "Epic Games" is not epic.com.
# fmt: off
ORGANISATION_WORDS = frozenset({
    "the", "of",
    "university", "universität", "universitat", "université", "universite", "universidad", "uni",
    "college", "institute", "school", "academy", "studio", "studios",
})
# fmt: on
MIN_SHORT_NAME_LENGTH = 4  # a name with such words set aside must keep at least this many characters
_NOT_A_LETTER = re.compile(r"[\W_]+")
_PARTS = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


@lru_cache(maxsize=1 << 16)
def registered_domain(domain: str) -> str:
    """The domain just under its public suffix ("emberforge.edu" for student.emberforge.edu,
    "cam.ac.uk" for cs.cam.ac.uk, "alice.github.io" for alice.github.io); for a suffix the list does
    not know (initech.example) the last two labels; "" for a single label."""
    domain = domain.strip().lower().rstrip(".")
    parts = _PARTS(domain)
    if parts.suffix and parts.domain:
        return f"{parts.domain}.{parts.suffix}"
    labels = domain.split(".")
    return ".".join(labels[-2:]) if len(labels) >= 2 and all(labels[-2:]) else ""


def short_name(words: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """The words without `ORGANISATION_WORDS`, joined as a domain would spell them, and the words set
    aside."""
    kept = [w for w in words if w not in ORGANISATION_WORDS]
    dropped = tuple(w for w in words if w in ORGANISATION_WORDS)
    return _NOT_A_LETTER.sub("", "".join(kept)), dropped


def _domain_words(domain: str) -> list[str]:
    """The hyphenated parts of the label a domain is registered under ("uni-mannheim" → uni, mannheim)."""
    label = registered_domain(domain).split(".")[0]
    return [w for w in label.split("-") if w]


def speaker_links_wide(
    *,
    domain_labels: Sequence[str],
    speakers: Sequence[tuple[Collection[str], Collection[str]]],
    exact: set[tuple[int, int]],
    free_mail_domains: Collection[str],
    company_words: Callable[[str], list[str]],
    domain_employer: Sequence[str] = (),
) -> tuple[np.ndarray, tuple[str, ...]]:
    """(talk position, domain code) rows that `speaker_links: registrable` adds to the exact links, one
    per row a note for the evidence, ordered by row. `speakers` is, per talk position, its speakers'
    company names (as given) and email domains; `exact` the (talk, domain code) links made anyway;
    `company_words` splits a company name as detection normalises it; `domain_employer` per domain
    label the company its voters pair it with (round 4's mutual majority; "" none)."""
    free = {d.lower() for d in free_mail_domains}
    index = {d: i for i, d in enumerate(domain_labels)}
    employer = [short_name(company_words(c))[0] if c else "" for c in domain_employer]
    employer += [""] * (len(domain_labels) - len(employer))

    by_registered: dict[str, list[int]] = {}
    by_short: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    for code, d in enumerate(domain_labels):
        reg = registered_domain(d)
        if reg and reg not in free:
            by_registered.setdefault(reg, []).append(code)
            key, dropped = short_name(_domain_words(d))
            if len(key) >= MIN_SHORT_NAME_LENGTH:
                by_short.setdefault(key, []).append((code, dropped))
    # A short name that several registered domains read as (manchester.ac.uk and manchester.gov.uk for
    # "University of Manchester") is a place or a word, not one organisation's name: it links none.
    by_short = {k: v for k, v in by_short.items() if len({registered_domain(domain_labels[c]) for c, _ in v}) == 1}
    notes: dict[tuple[int, int], str] = {}
    for pos, (companies, domains) in enumerate(speakers):
        # The speaker's employer as named: their company fields, and the companies their addresses'
        # voters pair those addresses with. A domain whose own voters name another employer is that
        # employer's, whatever its name or address says (city.nordhaven.example, "City of Nordhaven",
        # beside a speaker of "Region Nordhaven Health" on health.nordhaven.example).
        own = {short_name(company_words(n))[0] for n in companies}
        own |= {employer[index[d]] for d in (d.strip().lower() for d in domains) if d in index}
        own.discard("")

        def named_otherwise(code: int, own: set[str] = own) -> bool:
            return bool(own) and employer[code] != "" and employer[code] not in own

        for d in sorted({d.strip().lower() for d in domains}):
            reg = registered_domain(d)
            if d in free or not reg or reg in free:
                continue
            for code in by_registered.get(reg, ()):
                if (pos, code) not in exact and (pos, code) not in notes and not named_otherwise(code):
                    voter = domain_labels[code]
                    notes[(pos, code)] = (
                        f"{voter} is under {reg}, the speaker's address"
                        if d == reg
                        else f"{voter} and the speaker's address {d} are both under {reg}"
                    )
        for name in sorted(companies):
            key, dropped = short_name(company_words(name))
            if len(key) < MIN_SHORT_NAME_LENGTH:
                continue
            for code, domain_dropped in by_short.get(key, ()):
                aside = list(dict.fromkeys(dropped + domain_dropped))
                if not aside or (pos, code) in exact or (pos, code) in notes or named_otherwise(code):
                    continue  # nothing set aside: the exact rule's match, or none
                words = ", ".join(f'"{w}"' for w in aside)
                notes[(pos, code)] = (
                    f'{domain_labels[code]} and the speaker\'s company "{name}" both read "{key}" without {words}'
                )
    rows = sorted(notes)
    return np.array(rows, dtype=np.int32).reshape(-1, 2), tuple(notes[r] for r in rows)

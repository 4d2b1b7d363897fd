"""Organisations the organizers declare: several email domains and company names that are one employer.

Detection pairs a company field with the domain its voters mostly use (blocs_organisations.py), but
it cannot know that xcloud.example and xlabs.example are subsidiaries of X, that "TU Porto" and
"Technische Universität Porto" are one university, or that ibm.com is "International Business
Machines". Organizers know; what they declare is one organisation: every voter and every speaker
whose company field or work domain is one of its members belongs to it. Free-mail domains are never
members (they say nothing about an employer). Nothing declared: detection is as before.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class DeclaredOrganisation:
    """One organisation as the organizers declared it (admin *Organisations*)."""

    name: str
    email_domains: tuple[str, ...] = ()
    companies: tuple[str, ...] = ()

    def label(self) -> str:
        """How findings name it: "Darion Group (darion.example, darioncloud.example)"."""
        domains = ", ".join(sorted({d.strip().lower() for d in self.email_domains if d.strip()}))
        return f"{self.name} ({domains})" if domains else self.name


@dataclass(frozen=True)
class DeclaredCodes:
    labels: tuple[str, ...]  # one per declared organisation, in code order
    company: np.ndarray  # int32 per company label: the declared organisation it belongs to, -1 none
    domain: np.ndarray  # int32 per domain label, the same
    talk: np.ndarray  # (n, 2) int32: talk position, declared organisation of one of its speakers


def declared_codes(
    organisations: Sequence[DeclaredOrganisation],
    *,
    company_index: Mapping[str, int],
    domain_index: Mapping[str, int],
    speakers: Sequence[tuple[Collection[str], Collection[str]]],
    normalize: Callable[[str], str],
    free_mail_domains: Collection[str],
) -> DeclaredCodes:
    """Codes for the declared organisations (ordered by label, so codes are deterministic) against the
    input's company and domain labels. `speakers` is, per talk position, its speakers' normalised
    companies and lowercased email domains: a speaker's company or domain that no voter gives still
    names their declared organisation. A member declared twice belongs to the first by label."""
    declared = sorted(organisations, key=lambda o: (o.label(), o.name))
    company = np.full(len(company_index), -1, dtype=np.int32)
    domain = np.full(len(domain_index), -1, dtype=np.int32)
    names: dict[str, int] = {}
    domains: dict[str, int] = {}
    for code, org in enumerate(declared):
        for name in org.companies:
            key = normalize(name)
            if key:
                names.setdefault(key, code)
        for d in org.email_domains:
            key = d.strip().lower()
            if key and key not in free_mail_domains:
                domains.setdefault(key, code)
    for key, code in names.items():
        position = company_index.get(key)
        if position is not None:
            company[position] = code
    for key, code in domains.items():
        position = domain_index.get(key)
        if position is not None:
            domain[position] = code
    talk = sorted(
        {(pos, names[c]) for pos, (cs, _) in enumerate(speakers) for c in cs if c in names}
        | {(pos, domains[d]) for pos, (_, ds) in enumerate(speakers) for d in ds if d in domains}
    )
    return DeclaredCodes(
        labels=tuple(o.label() for o in declared),
        company=company,
        domain=domain,
        talk=np.array(talk, dtype=np.int32).reshape(-1, 2),
    )

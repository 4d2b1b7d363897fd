"""Company fields that name no employer (`placeholder_companies`; docs/blocs.md, round 36).

People who work nowhere in particular still fill the company field: "Patient", "Retired", "Student
nurse", "Self-employed", "-". Grouped as one organisation, strangers who share nothing but the word are
tested as a group ("24 of the 85 voters from retired give this talk the top score"), and on a talk they
all like they are a bloc. Two ways to tell such a field, each an option of the bloc rule:

- "listed": the short maintained list below, compared as detection compares companies (case, spacing,
  punctuation do not matter).
- "spread": the data's own: a spelling whose voters' work addresses are spread over at least
  SPREAD_MIN_DOMAINS domains with none holding more than SPREAD_MAX_SHARE of them. An employer's staff
  who give a work address share it (a hospital's on its own domain or the region's shared one); those
  who give "Student nurse" write from every university.

Plain Python and numpy, no Django.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .blocs_input import company_domain_pairs

PLACEHOLDER_NAMES = (
    "patient",
    "patients",
    "patient advocate",
    "carer",
    "caregiver",
    "retired",
    "retiree",
    "pensioner",
    "student",
    "student nurse",
    "medical student",
    "phd student",
    "self-employed",
    "self employed",
    "freelance",
    "freelancer",
    "independent",
    "unemployed",
    "not employed",
    "none",
    "n/a",
    "na",
    "nil",
    "not applicable",
    "private",
    "personal",
    "homemaker",
    "volunteer",
)

SPREAD_MIN_DOMAINS = 3
SPREAD_MAX_SHARE = 1 / 3


def listed_placeholders(company_labels: Sequence[str], normalize: Callable[[str], str]) -> np.ndarray:
    """Per company code, whether its (normalised) label is one of PLACEHOLDER_NAMES."""
    names = {normalize(n) for n in PLACEHOLDER_NAMES}
    return np.array([label in names for label in company_labels], dtype=bool)


def spread_placeholders(company: np.ndarray, domain: np.ndarray, n_companies: int, n_domains: int) -> np.ndarray:
    """Per company code, whether its voters with a work domain use at least SPREAD_MIN_DOMAINS domains
    and no domain holds more than SPREAD_MAX_SHARE of them."""
    c, _, counts = company_domain_pairs(company, domain, n_domains)
    per_company = np.bincount(c, weights=counts, minlength=n_companies)
    n_domains_of = np.bincount(c, minlength=n_companies)
    top = np.zeros(n_companies)
    np.maximum.at(top, c, counts)
    return (n_domains_of >= SPREAD_MIN_DOMAINS) & (top <= SPREAD_MAX_SHARE * per_company)

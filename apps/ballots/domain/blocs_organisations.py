"""Organisations: a company name and an email domain that name the same employer are one group.

Voters are known by a company field, by a work email domain, or by both. Tested apart, a company of
ten would show up as six people with the company field and seven with the work address, each group
too small to say anything. So a company and a domain become one organisation when the voters who
give both mostly pair them: the domain is the one that most (more than half) of the company's
voters with a work address use, and the company is the one that most of the domain's voters with a
company field name. One stray pairing (a consultant, someone who changed jobs) links nothing. A
voter belongs to the organisation of their company field if they gave one, else of their domain;
but a company field linked to no domain gives way to a work domain the voter shares with others.
Under `organisation_pairs: plurality` (round 36) a speaker is also linked through a company that is a
domain's clear plurality spelling (`plurality_pairs`); under `placeholder_companies` a company field
that names no employer is set aside first (blocs_placeholders.py).
Organisations the organizers declared (blocs_declared.py) come first: each is one organisation of all
its domains and company names, and a company or domain nobody declared joins it when its voters pair
it with one of its members.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from .blocs_declared import DeclaredOrganisation, declared_codes
from .blocs_input import BlocInput, company_domain_pairs, company_normalize
from .blocs_placeholders import listed_placeholders, spread_placeholders


@dataclass(frozen=True)
class Organisations:
    voter_org: np.ndarray  # int32 per voter, -1 for none
    labels: tuple[str, ...]  # "company (domain)", or whichever of the two is known
    speaker_pairs: np.ndarray  # (n, 2) int32: talk position, organisation of one of its speakers
    # (talk position, organisation) pairs in `speaker_pairs` only through `speaker_links: registrable`
    # (blocs_speaker_links.py): how each was linked, for the evidence.
    link_notes: Mapping[tuple[int, int], str] = field(default_factory=dict)

    def exact_pairs(self) -> np.ndarray:
        """`speaker_pairs` without those only `speaker_links: registrable` makes (the exact rule's)."""
        if not self.link_notes:
            return self.speaker_pairs
        linked = np.array(list(self.link_notes), dtype=np.int64).reshape(-1, 2)
        stride = int(max(self.speaker_pairs[:, 0].max(), linked[:, 0].max())) + 1
        own = self.speaker_pairs[:, 1].astype(np.int64) * stride + self.speaker_pairs[:, 0]
        return self.speaker_pairs[~np.isin(own, linked[:, 1] * stride + linked[:, 0])]


def mutual_majority(company: np.ndarray, domain: np.ndarray, n_companies: int, n_domains: int) -> np.ndarray:
    """Per company, the domain it is linked to (-1 for none)."""
    c, d, counts = company_domain_pairs(company, domain, n_domains)
    per_company = np.bincount(c, weights=counts, minlength=n_companies)
    per_domain = np.bincount(d, weights=counts, minlength=n_domains)
    linked = (2 * counts > per_company[c]) & (2 * counts > per_domain[d])
    out = np.full(n_companies, -1, dtype=np.int64)
    out[c[linked]] = d[linked]
    return out


# `organisation_pairs: plurality` (round 36): a domain's clear plurality spelling holds at least this share
# of the domain's (company, domain) pairs and this many times the next spelling's. A hospital whose staff
# spell it many ways ("Universitätsklinikum Wexstead", "Wexstead", "UW", "Paediatrics, …", a dropped letter)
# gives its full name in 35–57% of the pairs, three to four times the next spelling; a domain many
# organisations share (nhs.net, a region's or a state's) has dozens of well-populated spellings, the
# commonest 6–17% of it. A university's two names ("University of X", "X University") are within twice
# each other and stay unpaired, as under the majority. A region's shared domain can hold one hospital's
# name as a clear plurality (fresh10's regionh.dk: "Granton Hospital" 39 of 118, four times the next)
# beside the names of the region's other hospitals, each the clear plurality of its own domain: such a
# domain is left unpaired (`plurality_pairs`).
PLURALITY_MIN_SHARE = 0.25
PLURALITY_MIN_LEAD = 2.0


def plurality_pairs(company: np.ndarray, domain: np.ndarray, n_companies: int, n_domains: int):
    """Per company, the domain it is paired with by a clear plurality (-1 for none): more than half of
    the company's (company, domain) pairs go to the domain, on the domain the company is the commonest
    spelling with at least PLURALITY_MIN_SHARE of its pairs and PLURALITY_MIN_LEAD times the next
    spelling's count, and no other organisation's name is on the domain (a spelling at least two of its
    voters give that is the clear plurality of another domain: the domain is shared). Also per company
    the pairs it has on that domain and the domain's pairs (for the evidence). A mutual-majority pair
    whose next spelling holds more than half its count is not one (round 4 links it anyway)."""
    c, d, counts = company_domain_pairs(company, domain, n_domains)
    per_company = np.bincount(c, weights=counts, minlength=n_companies)
    per_domain = np.bincount(d, weights=counts, minlength=n_domains)
    # Per domain, its largest and second largest spelling's count.
    by = np.lexsort((-counts, d))
    first = np.ones(len(by), dtype=bool)
    first[1:] = d[by][1:] != d[by][:-1]
    top = np.zeros(n_domains)
    top[d[by][first]] = counts[by][first]
    second = np.zeros(n_domains)
    after = np.nonzero(first)[0] + 1
    after = after[(after < len(by))]
    after = after[d[by][after] == d[by][after - 1]]
    second[d[by][after]] = counts[by][after]
    clear = (
        (counts == top[d])
        & (counts >= PLURALITY_MIN_SHARE * per_domain[d])
        & (counts >= PLURALITY_MIN_LEAD * second[d])
    )
    # A shared domain: another organisation's name is on it, one that at least two voters write and that is
    # the clear plurality spelling of a domain of its own (a Danish hospital's name on the region's domain,
    # with its own hospital domain beside it). Such a domain is no one organisation's, whatever its
    # commonest spelling.
    home = np.zeros(n_companies, dtype=bool)
    home[c[clear & (counts >= 2)]] = True
    shared = np.zeros(n_domains, dtype=bool)
    shared[d[~clear & (counts >= 2) & home[c]]] = True
    linked = (2 * counts > per_company[c]) & clear & ~shared[d]
    out = np.full(n_companies, -1, dtype=np.int64)
    out[c[linked]] = d[linked]
    held = np.zeros(n_companies, dtype=np.int64)
    held[c[linked]] = counts[linked]
    of = np.zeros(n_companies, dtype=np.int64)
    of[c[linked]] = per_domain[d[linked]]
    return out, held, of


def _through_orders(voter_org: np.ndarray, order: np.ndarray) -> np.ndarray:
    """A voter with no company or work address, on a ticket order that at least two known members of
    one organisation share and that no other organisation has as many in, belongs to that one."""
    known = (voter_org >= 0) & (order >= 0)
    if not known.any():
        return voter_org
    n_orgs = int(voter_org.max()) + 1
    pairs, counts = np.unique(order[known].astype(np.int64) * n_orgs + voter_org[known], return_counts=True)
    o, g = pairs // n_orgs, pairs % n_orgs
    per_order = np.bincount(o, weights=counts, minlength=int(order.max()) + 1)
    best = (counts >= 2) & (2 * counts > per_order[o])
    org_of_order = np.full(int(order.max()) + 1, -1, dtype=np.int64)
    org_of_order[o[best]] = g[best]
    out = voter_org.copy()
    unknown = (voter_org < 0) & (order >= 0)
    out[unknown] = org_of_order[order[unknown]]
    return out


def _declared_of(codes: np.ndarray, n: int) -> np.ndarray:
    """Per label, the declared organisation it belongs to (-1 none); an empty column declares none."""
    return codes.astype(np.int64) if len(codes) == n else np.full(n, -1, dtype=np.int64)


def organisations_build(
    data: BlocInput, *, wide_links: bool = False, plurality: bool = False, placeholders: str = "kept"
) -> Organisations:
    """The organisations of `data`'s voters, and the speakers' (under `wide_links` also through the
    domains `speaker_links: registrable` adds, under `plurality` also through a company and a domain
    paired by `organisation_pairs: plurality`, each such pair with its note). `placeholders`
    (`placeholder_companies`): "listed" or "spread" sets aside the company fields that name no
    employer (blocs_placeholders.py) before anything is paired or grouped."""
    # Voters whose company field was set aside as naming no employer: known by their address only, never
    # through their ticket order (a "Patient" on a charity's bursary order is not the charity's).
    set_aside = np.zeros(len(data.voter_company), dtype=bool)
    if placeholders != "kept":
        kept = data.voter_company
        data = _without_placeholders(data, placeholders)
        set_aside = (kept >= 0) & (data.voter_company < 0)
    n_c, n_d, n_g = len(data.company_labels), len(data.domain_labels), len(data.declared_labels)
    company_group = _declared_of(data.company_declared, n_c)
    domain_group = _declared_of(data.domain_declared, n_d)
    domain_of = mutual_majority(data.voter_company, data.voter_domain, n_c, n_d)
    # A pairing between two declared members is the declaration's business (one organisation, or two
    # the organizers keep apart); a company or domain nobody declared still joins the organisation of
    # the declared member its voters pair it with.
    linked_c = np.nonzero(domain_of >= 0)[0]
    both = linked_c[(company_group[linked_c] >= 0) & (domain_group[domain_of[linked_c]] >= 0)]
    domain_of[both] = -1
    company_of_domain = np.full(n_d, -1, dtype=np.int64)
    company_of_domain[domain_of[domain_of >= 0]] = np.nonzero(domain_of >= 0)[0]
    linked_c = np.nonzero(domain_of >= 0)[0]
    company_group[linked_c] = np.maximum(company_group[linked_c], domain_group[domain_of[linked_c]])
    linked_d = np.nonzero(company_of_domain >= 0)[0]
    domain_group[linked_d] = np.maximum(domain_group[linked_d], company_group[company_of_domain[linked_d]])

    # Organisation codes: every company not in a declared organisation, then every domain linked to
    # no company and not declared, then the declared organisations; sorted by label so the codes are
    # deterministic.
    own_c = np.nonzero(company_group < 0)[0]
    own_d = np.nonzero((company_of_domain < 0) & (domain_group < 0))[0]
    names = (
        [
            f"{data.company_labels[c]} ({data.domain_labels[domain_of[c]]})"
            if domain_of[c] >= 0
            else data.company_labels[c]
            for c in own_c
        ]
        + [data.domain_labels[d] for d in own_d]
        + list(data.declared_labels)
    )
    order = sorted(range(len(names)), key=lambda i: names[i])
    code = np.empty(len(names), dtype=np.int64)
    code[order] = np.arange(len(names))
    org_of_group = code[len(own_c) + len(own_d) :]
    org_of_company = np.full(n_c, -1, dtype=np.int64)
    org_of_company[own_c] = code[: len(own_c)]
    in_group = company_group >= 0
    org_of_company[in_group] = org_of_group[company_group[in_group]]
    org_of_domain = np.full(n_d, -1, dtype=np.int64)
    org_of_domain[own_d] = code[len(own_c) : len(own_c) + len(own_d)]
    in_group = domain_group >= 0
    org_of_domain[in_group] = org_of_group[domain_group[in_group]]
    linked = (company_of_domain >= 0) & ~in_group
    org_of_domain[linked] = org_of_company[company_of_domain[linked]]

    # The company field decides, unless it names no known domain while the voter's address is a
    # work domain others share: the address was verified, the field is free text ("TU Wien" and
    # "Technische Universität Wien" on tuwien.ac.at are one employer, which no majority pairs). A
    # company in a declared organisation that has a domain here names a known domain.
    names_domain = domain_of >= 0
    if n_g:
        group_has_domain = np.bincount(domain_group[domain_group >= 0], minlength=n_g) > 0
        names_domain |= (company_group >= 0) & group_has_domain[np.maximum(company_group, 0)]
    has_company, has_domain = data.voter_company >= 0, data.voter_domain >= 0
    shared = np.bincount(data.voter_domain[has_domain], minlength=n_d) >= 2
    by_address = has_company & has_domain
    by_address[by_address] = ~names_domain[data.voter_company[by_address]] & shared[data.voter_domain[by_address]]
    use_company = has_company & ~by_address
    voter_org = np.where(
        use_company,
        org_of_company[np.maximum(data.voter_company, 0)] if n_c else -1,
        np.where(has_domain, org_of_domain[np.maximum(data.voter_domain, 0)] if n_d else -1, -1),
    ).astype(np.int32)
    voter_org = np.where(set_aside & (voter_org < 0), voter_org, _through_orders(voter_org, data.voter_order))
    speaker = [
        np.stack([data.talk_company[:, 0], org_of_company[data.talk_company[:, 1]]], axis=1),
        np.stack([data.talk_domain[:, 0], org_of_domain[data.talk_domain[:, 1]]], axis=1),
        np.stack([data.talk_declared[:, 0], org_of_group[data.talk_declared[:, 1]]], axis=1),
    ]
    speaker_pairs = np.unique(np.concatenate(speaker).reshape(-1, 2), axis=0).astype(np.int32).reshape(-1, 2)
    labels = tuple(names[i] for i in order)
    wide_links = wide_links and len(data.talk_domain_wide) > 0
    if not wide_links and not plurality:
        return Organisations(voter_org, labels, speaker_pairs)
    linked = set(map(tuple, speaker_pairs.tolist()))
    notes: dict[tuple[int, int], list[str]] = {}
    if wide_links:
        for (pos, d), note in zip(data.talk_domain_wide.tolist(), data.talk_domain_wide_notes, strict=True):
            org = int(org_of_domain[d])
            if org >= 0 and (pos, org) not in linked:
                notes.setdefault((pos, org), []).append(note)
    if plurality:
        for (pos, org), note in _plurality_links(data, org_of_company, org_of_domain):
            if org >= 0 and (pos, org) not in linked:
                notes.setdefault((pos, org), []).append(note)
    if notes:
        wide = np.array(sorted(notes), dtype=np.int32).reshape(-1, 2)
        speaker_pairs = np.unique(np.concatenate([speaker_pairs, wide]), axis=0).astype(np.int32).reshape(-1, 2)
    return Organisations(voter_org, labels, speaker_pairs, {k: "; ".join(v) for k, v in notes.items()})


def _without_placeholders(data: BlocInput, placeholders: str) -> BlocInput:
    """`data` with the company fields that name no employer set aside (no company, for voters and
    speakers alike)."""
    n_c, n_d = len(data.company_labels), len(data.domain_labels)
    if placeholders == "listed":
        gone = listed_placeholders(data.company_labels, company_normalize)
    elif placeholders == "spread":
        gone = spread_placeholders(data.voter_company, data.voter_domain, n_c, n_d)
    else:
        raise ValueError(f"unknown placeholder_companies {placeholders!r}")
    if not gone.any():
        return data
    company = np.where(data.voter_company >= 0, data.voter_company, 0)
    voter_company = np.where((data.voter_company >= 0) & gone[company], -1, data.voter_company).astype(np.int32)
    talk_company = data.talk_company[~gone[data.talk_company[:, 1]]] if len(data.talk_company) else data.talk_company
    return replace(data, voter_company=voter_company, talk_company=talk_company)


def _plurality_links(data: BlocInput, org_of_company: np.ndarray, org_of_domain: np.ndarray):
    """(talk position, organisation) pairs, each with its note, that `organisation_pairs: plurality`
    adds: a speaker who gives the company is linked to the organisation of the domain it is paired
    with, and a speaker who writes from the domain to the company's organisation."""
    n_c, n_d = len(data.company_labels), len(data.domain_labels)
    domain_of, held, of = plurality_pairs(data.voter_company, data.voter_domain, n_c, n_d)
    company_of = np.full(n_d, -1, dtype=np.int64)
    company_of[domain_of[domain_of >= 0]] = np.nonzero(domain_of >= 0)[0]

    def note(c: int) -> str:
        return (
            f"{held[c]} of the {of[c]} voters from {data.domain_labels[domain_of[c]]} who give a company give "
            f'"{data.company_labels[c]}"'
        )

    for pos, c in data.talk_company.tolist():
        if domain_of[c] >= 0:
            yield (pos, int(org_of_domain[domain_of[c]])), note(c)
    for pos, d in data.talk_domain.tolist():
        if company_of[d] >= 0:
            yield (pos, int(org_of_company[company_of[d]])), note(int(company_of[d]))


def orders_of_speakers(voter_org: np.ndarray, voter_order: np.ndarray, speaker_pairs: np.ndarray):
    """(talk, order) rows for every order that belongs to one of the talk's speakers' organisations
    (more than half of the order's voters are of it), and per order the organisation it belongs to
    (-1 for none)."""
    n_orders = int(voter_order.max(initial=-1)) + 1
    org_of_order = np.full(n_orders, -1, dtype=np.int64)
    on_order = voter_order >= 0
    known = on_order & (voter_org >= 0)
    if not n_orders or not known.any() or not len(speaker_pairs):
        return np.empty((0, 2), dtype=np.int32), org_of_order
    n_orgs = int(voter_org.max()) + 1
    pairs, counts = np.unique(voter_order[known].astype(np.int64) * n_orgs + voter_org[known], return_counts=True)
    o, g = pairs // n_orgs, pairs % n_orgs
    size = np.bincount(voter_order[on_order], minlength=n_orders)
    most = 2 * counts > size[o]
    org_of_order[o[most]] = g[most]
    # Join: every order of organisation g with every talk that one of g's speakers gives.
    by_org = speaker_pairs[np.argsort(speaker_pairs[:, 1], kind="stable")]
    orders = np.nonzero(org_of_order >= 0)[0]
    lo = np.searchsorted(by_org[:, 1], org_of_order[orders], side="left")
    hi = np.searchsorted(by_org[:, 1], org_of_order[orders], side="right")
    rows = np.repeat(orders, hi - lo)
    # The rows lo..hi - 1 of every order, one after the other: each entry is its order's lo plus its place
    # in the run (an np.arange per order took a tenth of a second on the large worlds' 47,000 orders).
    runs = np.cumsum(hi - lo)
    # Filled as int32 in place: the rows are millions on the large worlds (stacking them as int64 and
    # converting took as long as finding them).
    out = np.empty((len(rows), 2), dtype=np.int32)
    out[:, 0] = np.ascontiguousarray(by_org[:, 0])[np.arange(len(rows)) + np.repeat(lo - (runs - (hi - lo)), hi - lo)]
    out[:, 1] = rows
    return out, org_of_order


def bloc_input_with_organisations(data: BlocInput, organisations: Sequence[DeclaredOrganisation]) -> BlocInput:
    """`data` with `organisations` declared, for an input built without them (the benchmarks'
    generated conferences). Speakers are known here by the companies and domains voters give, so a
    speaker's company or domain that no voter gives does not name a declared organisation, as it does
    when the input is built with them (bloc_input_build)."""
    speakers: list[tuple[set[str], set[str]]] = [(set(), set()) for _ in range(data.n_talks)]
    for pos, c in data.talk_company.tolist():
        speakers[pos][0].add(data.company_labels[c])
    for pos, d in data.talk_domain.tolist():
        speakers[pos][1].add(data.domain_labels[d])
    codes = declared_codes(
        organisations,
        company_index={c: i for i, c in enumerate(data.company_labels)},
        domain_index={d: i for i, d in enumerate(data.domain_labels)},
        speakers=speakers,
        normalize=company_normalize,
        free_mail_domains=(),
    )
    return replace(
        data,
        declared_labels=codes.labels,
        company_declared=codes.company,
        domain_declared=codes.domain,
        talk_declared=codes.talk,
    )

"""Organisations the organizers may want to declare, suggested from what voters and speakers write.

Detection links a company name and a work email domain only when the people who give both mostly
pair them (blocs_organisations.py): a group's second domain or a long and a short name stay apart
unless the organizers declare them one organisation (blocs_declared.py). Two patterns in the data
say that an organizer should look:

1. One company name written from two or more work domains: "Darion Group" from darion.example and
   from darioncloud.example.
2. One work domain whose people write two or more names: "TU Porto" and "Technische Universität
   Porto" from tu-porto.example.

Suggestions that share a name or a domain are one (a university whose departments each write its
short and its long name is one suggestion, not six), and its evidence lists each finding.

A domain or a name takes part only with at least MIN_VOTERS voters, or MIN_SPEAKERS speakers, behind
it, so one stray person (a consultant, someone who changed jobs) suggests nothing. Names are compared
as detection compares them (case, punctuation and a legal form do not matter); free-mail domains and
names that are no employer ("Student", "Freelancer") never take part. What the organizers already
declared together is not suggested again; a suggestion that touches one declared organisation
proposes to add the rest to it; one that touches two is left alone (the organizers keep them apart).
Suggestions only suggest: nothing is declared until an organizer saves it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from .blocs_declared import DeclaredOrganisation
from .blocs_input import company_normalize

# A domain (rule 1) or a name (rule 2) takes part with at least this many voters writing that name
# from that domain, or at least MIN_SPEAKERS speakers (a speaker's profile is what the organizers
# accepted with the talk).
MIN_VOTERS = 2
MIN_SPEAKERS = 1
# Company fields that name no employer, as company_normalize leaves them: people from unrelated
# domains write them, so they would join unrelated employers.
NOT_AN_EMPLOYER = frozenset(
    {
        "consultant",
        "freelance",
        "freelancer",
        "independent",
        "n a",
        "na",
        "none",
        "private",
        "retired",
        "self",
        "self employed",
        "selfemployed",
        "student",
        "unemployed",
    }
)

RULE_NAME = "one name, several domains"
RULE_DOMAIN = "one domain, several names"
RULES = (RULE_NAME, RULE_DOMAIN)


@dataclass(frozen=True)
class Person:
    """A voter or a speaker as written: their company field and their email domain ("" when none)."""

    company: str
    email_domain: str


@dataclass(frozen=True)
class MemberCount:
    """The people behind one (company name, work domain) pair of a suggestion: what its evidence counts."""

    company_name: str  # as most people write it
    email_domain: str
    voters: int
    speakers: int


@dataclass(frozen=True)
class Suggestion:
    """Members to declare as one organisation (`add_to` None) or to add to the declared organisation
    named `add_to`; `evidence` says why, with counts."""

    name: str
    email_domains: tuple[str, ...]  # lowercased, sorted: only those not declared yet
    company_names: tuple[str, ...]  # as most people write them, sorted: only those not declared yet
    people: int  # voters and speakers behind the suggestion
    rules: tuple[str, ...]  # which of RULE_NAME, RULE_DOMAIN found it
    evidence: str
    add_to: str | None = None
    # The counted people behind each name and domain the evidence joins (declared members included),
    # most people first, then by name and domain.
    counts: tuple[MemberCount, ...] = ()


@dataclass
class _Cell:
    voters: int = 0
    speakers: int = 0

    def counts(self) -> bool:
        return self.voters >= MIN_VOTERS or self.speakers >= MIN_SPEAKERS

    def people(self) -> int:
        return self.voters + self.speakers

    def words(self) -> str:
        parts = [_plural(self.voters, "voter")] if self.voters else []
        parts += [_plural(self.speakers, "speaker")] if self.speakers else []
        return " and ".join(parts)


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def organisation_suggestions(
    *,
    voters: Iterable[Person],
    speakers: Iterable[Person] = (),
    declared: Iterable[DeclaredOrganisation] = (),
    free_mail: Collection[str] = (),
) -> list[Suggestion]:
    """The suggestions, most people first (then by name): the same inputs give the same list."""
    cells: dict[tuple[str, str], _Cell] = {}
    spellings: dict[str, Counter[str]] = {}
    for people, is_speaker in ((voters, False), (speakers, True)):
        for person in people:
            key = company_normalize(person.company)
            domain = (person.email_domain or "").strip().lower()
            if not key or key in NOT_AN_EMPLOYER or not domain or domain in free_mail:
                continue
            cell = cells.setdefault((key, domain), _Cell())
            if is_speaker:
                cell.speakers += 1
            else:
                cell.voters += 1
            spellings.setdefault(key, Counter())[" ".join(person.company.split())] += 1
    # How each name is written most often (ties: the first in order, so the choice is deterministic).
    spelled = {key: min(c.items(), key=lambda item: (-item[1], item[0]))[0] for key, c in spellings.items()}
    counted = {pair: cell for pair, cell in cells.items() if cell.counts()}
    by_name: dict[str, list[str]] = {}
    by_domain: dict[str, list[str]] = {}
    for key, domain in counted:
        by_name.setdefault(key, []).append(domain)
        by_domain.setdefault(domain, []).append(key)
    # The people who name a company from each domain, counted or not, so the evidence gives shares.
    at_domain: Counter[str] = Counter()
    for (_, domain), cell in cells.items():
        at_domain[domain] += cell.people()

    owner_of_name: dict[str, str] = {}
    owner_of_domain: dict[str, str] = {}
    for org in sorted(declared, key=lambda o: o.name):
        for name in org.companies:
            owner_of_name.setdefault(company_normalize(name), org.name)
        for domain in org.email_domains:
            owner_of_domain.setdefault(domain.strip().lower(), org.name)

    # Each rule finds stars (one name and its domains, one domain and its names); stars that share a
    # name or a domain are one suggestion (a university's departments, a group's second domain that
    # also writes its own name), whose evidence lists every star.
    stars: list[_Star] = []
    for key, domains in by_name.items():
        if len(domains) >= 2:
            domains.sort(key=lambda d: (-counted[key, d].people(), d))
            parts = [f"{counted[key, d].words()} at {d} (of {at_domain[d]} there naming a company)" for d in domains]
            sentence = f"{_and(parts)} write the company “{spelled[key]}”"
            stars.append(_Star(RULE_NAME, frozenset((key, d) for d in domains), sentence))
    for domain, keys in by_domain.items():
        if len(keys) >= 2:
            keys.sort(key=lambda k: (-counted[k, domain].people(), spelled[k]))
            parts = [f"{counted[k, domain].words()} write “{spelled[k]}”" for k in keys]
            stars.append(_Star(RULE_DOMAIN, frozenset((k, domain) for k in keys), f"At {domain}, {_and(parts)}"))
    found: list[Suggestion] = []
    for component in _components(stars):
        pairs = frozenset().union(*(star.pairs for star in component))
        people_of_name: Counter[str] = Counter()
        for key, domain in pairs:
            people_of_name[key] += counted[key, domain].people()
        keys = sorted(people_of_name, key=lambda k: (-people_of_name[k], spelled[k]))
        domains = sorted({domain for _, domain in pairs})
        ordered = sorted(component, key=lambda st: (-sum(counted[p].people() for p in st.pairs), st.sentence))
        counts = sorted(
            (MemberCount(spelled[k], d, counted[k, d].voters, counted[k, d].speakers) for k, d in pairs),
            key=lambda c: (-(c.voters + c.speakers), c.company_name, c.email_domain),
        )
        found += _against_declared(
            spelled[keys[0]],
            keys,
            domains,
            sum(people_of_name.values()),
            tuple(sorted({star.rule for star in component}, reverse=True)),
            ". ".join(star.sentence for star in ordered),
            spelled,
            owner_of_name,
            owner_of_domain,
            tuple(counts),
        )
    return sorted(found, key=lambda s: (-s.people, s.name, s.email_domains, s.company_names))


@dataclass(frozen=True)
class _Star:
    rule: str
    pairs: frozenset[tuple[str, str]]  # (normalised name, domain) of the counted people it joins
    sentence: str


def _components(stars: list[_Star]) -> list[list[_Star]]:
    """The stars grouped by shared names or domains (union-find on the names and domains)."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def root(node: tuple[str, str]) -> tuple[str, str]:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for star in stars:
        nodes = [("name", k) for k, _ in star.pairs] + [("domain", d) for _, d in star.pairs]
        for node in nodes[1:]:
            parent[root(node)] = root(nodes[0])
    groups: dict[tuple[str, str], list[_Star]] = {}
    for star in stars:
        key, _ = next(iter(star.pairs))
        groups.setdefault(root(("name", key)), []).append(star)
    return list(groups.values())


def _against_declared(
    name: str,
    keys: list[str],
    domains: list[str],
    people: int,
    rules: tuple[str, ...],
    evidence: str,
    spelled: dict[str, str],
    owner_of_name: dict[str, str],
    owner_of_domain: dict[str, str],
    counts: tuple[MemberCount, ...],
) -> list[Suggestion]:
    """The suggestion as it stands against what is declared: none when all its members are declared
    together or when they touch two declared organisations; "add to" when they touch one."""
    owners = {owner_of_name[k] for k in keys if k in owner_of_name}
    owners |= {owner_of_domain[d] for d in domains if d in owner_of_domain}
    if len(owners) > 1:
        return []
    new_keys = [k for k in keys if k not in owner_of_name]
    new_domains = [d for d in domains if d not in owner_of_domain]
    if not new_keys and not new_domains:
        return []
    add_to = next(iter(owners), None)
    if add_to is not None:
        declared = [f"“{spelled[k]}”" for k in keys if k in owner_of_name]
        declared += [d for d in domains if d in owner_of_domain]
        evidence += f". Already declared in {add_to}: {_and(sorted(declared))}"
    return [
        Suggestion(
            name=add_to or name,
            email_domains=tuple(sorted(new_domains)),
            company_names=tuple(sorted(spelled[k] for k in new_keys)),
            people=people,
            rules=rules,
            evidence=evidence + ".",
            add_to=add_to,
            counts=counts,
        )
    ]

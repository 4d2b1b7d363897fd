"""bench/blocs_fresh11_diag.py reads fresh11's ground truth: the World it rebuilds is the conference's, what it says
a voter truly is to a talk agrees with the generator's colleague mask and honest groups, its agency and legacy
domains are the districts', and strangers of several districts sharing a school name are told apart. Small world
only, a few seconds."""

from __future__ import annotations

from collections import Counter

import pytest

from apps.ballots.domain.blocs_input import BlocRule
from bench.blocs_calibration import plant_nothing
from bench.blocs_fresh10_diag import _groups, _positions
from bench.blocs_fresh11 import DISTRICT, fresh11_conference
from bench.blocs_fresh11_diag import SCHOOLS, honest, mail_kind, planted, stranger_cause, truth, world_of
from tests.bench_worlds import assert_truth_is_the_colleague_mask, assert_world_is_the_conferences


@pytest.fixture(scope="module")
def small():
    return fresh11_conference("small", 1, plant=plant_nothing), world_of("small", 1)


def test_world_is_the_conferences(small):
    conf, tr = small
    assert_world_is_the_conferences(tr.w, conf)


def test_truth_agrees_with_the_colleague_mask_and_the_groups(small):
    conf, tr = small
    labels = assert_truth_is_the_colleague_mask(conf, lambda v, t: truth(tr, {}, v, t))
    data = conf.data
    assert "stranger" in labels and "ambassador of the talk's publisher" in labels
    groups = _groups(conf, *_positions(data))
    for g in conf.honest_groups:
        for vid in g.member_ids:
            for tid in g.talk_ids:
                assert truth(tr, groups, vid - 1, tid - 1)[0] == f"honest group: {g.kind}"


def test_agency_and_legacy_domains_are_districts(small):
    _, tr = small
    w = tr.w
    assert tr.agency
    by_domain: dict[str, set[int]] = {}
    for v in range(w.V):
        by_domain.setdefault(w.domain[v], set()).add(int(w.org[v]))
    for d in tr.agency | tr.legacy:
        assert d not in w.org_domains
        for o in by_domain.get(d, ()):
            assert w.org_kind[o] == DISTRICT
    # Every district voter's work mail is the district's main domain, its agency's or its legacy one: the
    # rebuilt domains are all there are.
    for v in range(w.V):
        kind = mail_kind(tr, w.domain[v])
        if w.org[v] >= 0 and w.org_kind[w.org[v]] == DISTRICT and kind == "organisation's domain":
            assert w.domain[v] == w.org_domains[w.org[v]]
    kinds = Counter(mail_kind(tr, d) for d in w.domain)
    assert kinds["service agency's shared domain"] and kinds["free mail"] and kinds["internet provider's mail"]


def test_strangers_sharing_a_school_name(small):
    _, tr = small
    w = tr.w
    by_field: dict[str, list[int]] = {}
    for v in range(w.V):
        if w.company_field[v] in SCHOOLS:
            by_field.setdefault(w.company_field[v], []).append(v)
    shared = [vs for vs in by_field.values() if len({int(w.org[v]) for v in vs}) > 1]
    assert shared, "school names repeat across districts"
    vs = shared[0]
    pair = [vs[0], next(v for v in vs if w.org[v] != w.org[vs[0]])]
    assert stranger_cause(tr, pair) == "strangers sharing a repeated school name"
    one_org = [v for v in range(w.V) if w.org[v] == w.org[vs[0]] and w.company_field[v] is None][:3]
    assert stranger_cause(tr, one_org) == "one organisation, not the speaker's"


def test_reports_run(capsys):
    honest("small", [1], BlocRule(), 1)
    planted("small", [1], BlocRule())
    out = capsys.readouterr().out
    assert "blocs outside colleagues" in out and "| cause (members' majority) |" in out
    assert "| planted kind | blocs | members | found |" in out and "coordinator_proxy" in out

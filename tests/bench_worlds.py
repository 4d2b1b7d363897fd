"""Checks every generated bloc world's test makes (tests/test_bench_fresh*.py): the same seed gives the
same conference, and the honest conference alone keeps the planted one's honest votes unchanged."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

# The BlocInput arrays a world fills in; a world without promotions or speakers' facts compares fewer.
WORLD_ARRAYS = (
    "vote_voter",
    "vote_talk",
    "vote_score",
    "vote_at",
    "voter_weight",
    "voter_order",
    "voter_domain",
    "voter_company",
    "voter_joined",
    "talk_company",
    "talk_domain",
    "talk_speaker",
    "talk_promoted",
)


def vote_keys(conf) -> np.ndarray:
    """One integer per vote: its voter id and talk id."""
    data = conf.data
    return data.voter_ids[data.vote_voter] * 1_000_000 + data.talk_ids[data.vote_talk]


def assert_same_seed_same_conference(
    generate: Callable[[int], object], small, names: tuple[str, ...] = WORLD_ARRAYS, *, colleague: bool = True
) -> None:
    """`generate(seed)` gives `small` again for seed 1 (every array in `names`, the blocs, the honest
    groups, the ground truth) and another conference for seed 2."""
    again = generate(1)
    for name in names:
        assert np.array_equal(getattr(small.data, name), getattr(again.data, name)), name
    assert small.blocs == again.blocs
    assert small.honest_groups == again.honest_groups
    assert np.array_equal(small.planted, again.planted)
    if colleague:
        assert np.array_equal(small.colleague, again.colleague)
    other = generate(2)
    assert not np.array_equal(small.data.vote_talk[:500], other.data.vote_talk[:500])


def assert_honest_votes_kept(alone, conf) -> None:
    """The honest votes of the planted conference `conf` are the honest conference's (`alone`), with
    their scores and times unchanged."""
    honest = np.flatnonzero(conf.honest)
    pos = np.searchsorted(vote_keys(alone), vote_keys(conf)[honest])
    assert np.array_equal(vote_keys(alone)[pos], vote_keys(conf)[honest])
    assert np.array_equal(alone.data.vote_score[pos], conf.data.vote_score[honest])
    assert np.array_equal(alone.data.vote_at[pos], conf.data.vote_at[honest])


def assert_planted_blocs(conf, scale, *, oppose_at_most: int) -> None:
    """A world's campaigns as its ground truth states them: every voter in one bloc at most, every
    planted vote on its bloc's talks, blocs of 3 to 40 members who all voted; a support bloc's members
    all rate its boosted talk at least "want to see"; an opposition bloc targets one talk, with scores
    at most `oppose_at_most` and the scale's lowest among them."""
    data = conf.data
    voters, talks = data.voter_ids[data.vote_voter], data.talk_ids[data.vote_talk]
    talks_of: dict[int, set[int]] = {}
    for bloc in conf.blocs:
        for v in bloc.member_ids:
            assert v not in talks_of, "a voter is in one bloc only"
            talks_of[v] = set(bloc.talk_ids)
    assert all(t in talks_of[v] for v, t in zip(voters[conf.planted], talks[conf.planted], strict=True))
    for bloc in conf.blocs:
        assert 3 <= len(bloc.member_ids) <= 40, bloc.kind
        assert bloc.direction in ("support", "oppose")
        mine = conf.planted & np.isin(voters, bloc.member_ids) & np.isin(talks, bloc.talk_ids)
        assert set(np.unique(voters[mine]).tolist()) == set(bloc.member_ids), bloc.kind  # every member voted
        if bloc.direction == "support":
            assert bloc.boosted_talk is not None
            on_target = mine & (talks == bloc.boosted_talk)
            assert on_target.sum() == len(bloc.member_ids), bloc.kind  # every member rates it up
            assert (data.vote_score[on_target] >= scale.wanted_min).all()
        else:
            assert bloc.boosted_talk is None and len(bloc.talk_ids) == 1
            assert (data.vote_score[mine] == scale.minimum).any()
            assert (data.vote_score[mine] <= oppose_at_most).all()


def voters_talks(conf) -> tuple[np.ndarray, np.ndarray]:
    """Per vote: its voter id and talk id."""
    data = conf.data
    return data.voter_ids[data.vote_voter], data.talk_ids[data.vote_talk]


def assert_size_in_range(conf, spec, *, accounts_at_most: float = 1.3) -> None:
    """The size asked for (`spec`, a bench.blocs_synthetic.Size): its talks, its voters and the accounts
    campaigns made on top (at most `accounts_at_most` times the voters in all), its votes within 10%."""
    data = conf.data
    assert data.n_talks == spec.talks
    assert spec.voters < data.n_voters <= spec.voters * accounts_at_most
    assert 0.9 * spec.votes <= len(data.vote_score) <= 1.1 * spec.votes


def assert_ground_truth(conf, n_voters: int, account_kinds) -> None:
    """A world's planted and honest votes as its ground truth states them: voters 1..`n_voters` are real
    and ids above are campaign-only accounts (of the kinds `account_kinds` only, every vote planted);
    honest means neither planted nor an account's; every honest group is of voters in no bloc and in no
    other group, each of whom cast an honest vote on the group's talks."""
    voters, talks = voters_talks(conf)
    assert conf.planted.any()
    assert not (conf.planted & conf.honest).any()
    members = {v for b in conf.blocs for v in b.member_ids}
    assert set(np.unique(voters[conf.planted]).tolist()) <= members
    real = voters <= n_voters
    assert (conf.honest == (~conf.planted & real)).all()
    assert conf.planted[~real].all()  # every vote of a campaign-only account is planted
    assert {b.kind for b in conf.blocs if any(v > n_voters for v in b.member_ids)} == set(account_kinds)
    seen: set[int] = set()
    for group in conf.honest_groups:
        assert group.direction == "honest" and group.boosted_talk is None
        assert not members & set(group.member_ids), group.kind
        assert not seen & set(group.member_ids), "a voter is in one honest group only"
        seen |= set(group.member_ids)
        shared = np.isin(voters, group.member_ids) & np.isin(talks, group.talk_ids)
        assert conf.honest[shared].all(), group.kind
        assert shared.sum() >= len(group.member_ids), group.kind
        assert set(np.unique(voters[shared]).tolist()) == set(group.member_ids), group.kind


def assert_honest_alone(alone, conf, n_voters: int) -> None:
    """`alone`, the world generated with nothing planted, is `conf`'s honest conference: no planted vote,
    bloc or campaign account, the same honest groups, and `conf`'s honest votes unchanged."""
    assert not alone.planted.any()
    assert alone.blocs == ()
    assert alone.data.n_voters == n_voters
    assert alone.honest.all()
    assert alone.honest_groups == conf.honest_groups
    assert_honest_votes_kept(alone, conf)


def assert_votes_after_joining(data) -> None:
    """Every voter votes, and every account was created before its first vote."""
    first = np.full(data.n_voters, np.iinfo(np.int64).max)
    np.minimum.at(first, data.vote_voter, data.vote_at)
    assert (first < np.iinfo(np.int64).max).all()  # every voter votes
    assert (data.voter_joined <= first).all()  # an account exists before its first vote


def assert_facts_kept(alone, conf) -> None:
    """`alone` (the world with nothing planted) and `conf` state the same facts of the real voters and the
    talks: speakers, promotions, accounts' creation times, weights, and (by label, since the campaigns'
    accounts bring domains and orders of their own and codes shift) domains, orders and speakers' domains and
    companies."""
    n = alone.data.n_voters
    for name in ("talk_speaker", "talk_promoted", "voter_joined", "voter_weight"):
        got = getattr(conf.data, name)
        if name in ("voter_joined", "voter_weight"):
            got = got[:n]
        assert np.array_equal(getattr(alone.data, name), got), name
    for name, labels in (("voter_domain", "domain_labels"), ("voter_order", "order_labels")):
        mine = np.array((*getattr(conf.data, labels), ""))[getattr(conf.data, name)][:n]
        alone_labels = np.array((*getattr(alone.data, labels), ""))[getattr(alone.data, name)]
        assert np.array_equal(alone_labels, mine), name
    for name, labels in (("talk_domain", "domain_labels"), ("talk_company", "company_labels")):

        def named(data, name=name, labels=labels):
            pairs = getattr(data, name)
            return sorted(zip(pairs[:, 0].tolist(), np.array(getattr(data, labels))[pairs[:, 1]].tolist(), strict=True))

        assert named(alone.data) == named(conf.data), name


def assert_colleague_mask(conf, world, account_kinds, not_colleagues: tuple[str, ...] = ()) -> None:
    """Recomputed from the generator's own world (`V`, `org`: each voter's true organisation, `speaker_org`): a vote
    is a colleague's when the voter's organisation is one of the talk's speakers'; a coworkers bloc's votes on its
    talk all are; the accounts of the kinds `account_kinds` none, nor the planted votes of the kinds
    `not_colleagues`."""
    data = conf.data
    voters, talks = voters_talks(conf)
    org = np.r_[world.org, np.full(data.n_voters - world.V, -1)][voters - 1]
    expected = np.array([o >= 0 and o in world.speaker_org[t - 1] for o, t in zip(org, talks, strict=True)])
    assert np.array_equal(conf.colleague, expected)
    for bloc in conf.blocs:
        mine = conf.planted & np.isin(voters, bloc.member_ids)
        if bloc.kind == "coworkers":
            assert conf.colleague[mine & (talks == bloc.boosted_talk)].all()
        if bloc.kind in not_colleagues:
            assert not conf.colleague[mine].any(), bloc.kind
        if bloc.kind in account_kinds:
            accounts = [v for v in bloc.member_ids if v > world.V]
            assert not conf.colleague[np.isin(voters, accounts)].any(), bloc.kind


def blocs_by_kind(conf) -> dict[str, list]:
    """The planted blocs of each kind, in the order planted."""
    out: dict[str, list] = {}
    for bloc in conf.blocs:
        out.setdefault(bloc.kind, []).append(bloc)
    return out


def per_voter(data, name: str) -> dict[int, int]:
    """A voter array of the BlocInput (`voter_order`, `voter_joined`...) by voter id."""
    return dict(zip(data.voter_ids.tolist(), getattr(data, name).tolist(), strict=True))


def aimed_times(conf, bloc) -> np.ndarray:
    """When the bloc's members cast their planted votes on its boosted talk."""
    voters, talks = voters_talks(conf)
    return conf.data.vote_at[conf.planted & np.isin(voters, bloc.member_ids) & (talks == bloc.boosted_talk)]


def assert_world_is_the_conferences(world, conf) -> None:
    """A diagnostic's rebuilt honest World (bench/blocs_fresh*_diag.py) is the honest-only conference's: the same
    voters and talks, and its honest votes are the conference's (ids 1 on), in some order."""
    data = conf.data
    assert len(data.voter_ids) == world.V and len(data.talk_ids) == world.T
    mine = np.sort(world.votes[:, 0] * world.T + world.votes[:, 1])
    theirs = np.sort((data.voter_ids[data.vote_voter] - 1) * world.T + data.talk_ids[data.vote_talk] - 1)
    assert np.array_equal(mine, theirs)


def assert_truth_is_the_colleague_mask(conf, truth_of, label: str = "speaker's organisation") -> list[str]:
    """A diagnostic's `truth_of(voter position, talk position)` says `label` exactly on the votes the generator marks
    as a colleague's (some of them); returns every vote's label."""
    data = conf.data
    labels = [truth_of(int(v), int(t))[0] for v, t in zip(data.vote_voter, data.vote_talk, strict=True)]
    said = np.array([x == label for x in labels])
    assert said.any()
    assert np.array_equal(said, conf.colleague)
    return labels

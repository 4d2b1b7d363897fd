"""A speaker's organisation in which no voter is (its label sorting after every voter's) is still an
organisation to the group tests: detection runs, and the voters' own groups are judged as before. Found
out of sample on fresh6 small seed 3, where it stopped detection with an IndexError: the one voter at a
speaker's domain wrote another company, so nobody was counted in the domain's organisation."""

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_input import BlocRule, TalkFacts, VoterFacts, VoteScale, bloc_input_build
from apps.ballots.domain.blocs_organisations import organisations_build

HOUR = 3600


def _conference(*, outsider_speaker: bool):
    voters, votes = [], []
    # 60 honest voters on free mail spread over the day rate talks 1-20; 8 colleagues at initech.example
    # rate talk 1 (their colleague's) top within an hour.
    for v in range(60):
        voters.append(VoterFacts(voter_id=v + 1, weight=1.0, email_domain="mail.example"))
        for t in range(1, 21):
            if (v + t) % 3 == 0:
                votes.append((v + 1, t, (v * t) % 4, (v * 977 + t * 131) % (24 * HOUR)))
    for v in range(8):
        voters.append(VoterFacts(voter_id=100 + v, weight=1.0, email_domain="initech.example", company="Initech"))
        votes.append((100 + v, 1, 3, 30 * 24 * HOUR + v * 60))
        votes.append((100 + v, 2 + v, 2, (v * 3181) % (24 * HOUR)))
    # One voter at zyx.example writes Initech as their company, so they count as Initech's.
    voters.append(VoterFacts(voter_id=200, weight=1.0, email_domain="zyx.example", company="Initech"))
    votes.append((200, 3, 1, 5 * HOUR))
    talks = [TalkFacts(talk_id=1, speaker_email_domains=("initech.example",), speaker_companies=("Initech",))]
    talks += [TalkFacts(talk_id=t) for t in range(2, 20)]
    # Talk 20's speaker writes from zyx.example, whose organisation sorts after every other and holds no voter.
    talks.append(TalkFacts(talk_id=20, speaker_email_domains=("zyx.example",)))
    if not outsider_speaker:
        talks[-1] = TalkFacts(talk_id=20)
    voter_ids, talk_ids, scores, at = zip(*votes, strict=True)
    return bloc_input_build(
        voter_ids=list(voter_ids),
        talk_ids=list(talk_ids),
        scores=list(scores),
        at_seconds=list(at),
        voters=voters,
        talks=talks,
        scale=VoteScale(),
        free_mail_domains=frozenset({"mail.example"}),
    )


def test_detection_runs_and_finds_the_same_blocs_with_a_speaker_organisation_nobody_votes_from():
    with_outsider = _conference(outsider_speaker=True)
    organisations = organisations_build(with_outsider)
    assert organisations.labels[-1] == "zyx.example"  # the speaker's organisation, the last code ...
    assert organisations.voter_org.max() < len(organisations.labels) - 1  # ... which no voter carries
    report = blocs_detect(with_outsider, BlocRule())
    plain = blocs_detect(_conference(outsider_speaker=False), BlocRule())
    found = {(b.talk_id, b.member_ids) for b in report.blocs}
    assert found == {(b.talk_id, b.member_ids) for b in plain.blocs}
    assert any(set(range(100, 108)) <= set(b.member_ids) for b in report.blocs)  # the colleagues of talk 1

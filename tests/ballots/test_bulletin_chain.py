"""The bulletin board's hash chain, as pure computation: the documented byte format, determinism, and
every kind of tampering caught at the position where it happens."""

import hashlib
import random

import pytest

from apps.ballots.domain.bulletin import (
    BoardEntry,
    ChainedEntry,
    bulletin_chain,
    bulletin_genesis,
    bulletin_head,
    bulletin_verify,
)
from apps.ballots.domain.verify import bulletin_verify_export

DIGEST = "ab" * 32
R1, R2, R3 = "1" * 64, "2" * 64, "f" * 64


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture
def board() -> tuple[str, list[ChainedEntry]]:
    genesis = bulletin_genesis(conference_id=7, input_digest=DIGEST)
    entries = [
        BoardEntry(R3, 0.0, "superseded"),
        BoardEntry(R1, 1.0, "counted"),
        BoardEntry(R2, 0.5, "counted"),
    ]
    return genesis, bulletin_chain(entries, genesis=genesis)


def test_a_small_chain_by_hand(board):
    """The values follow from the text in docs/voting.md with nothing but SHA-256."""
    genesis, chained = board
    assert genesis == sha(f"confvote-bulletin-v1|genesis|7|{DIGEST}")
    first = sha(f"confvote-bulletin-v1|{genesis}|0|{R1}|1.000000|counted")
    second = sha(f"confvote-bulletin-v1|{first}|1|{R2}|0.500000|counted")
    third = sha(f"confvote-bulletin-v1|{second}|2|{R3}|0.000000|superseded")
    assert chained == [
        ChainedEntry(0, R1, 1.0, "counted", first),
        ChainedEntry(1, R2, 0.5, "counted", second),
        ChainedEntry(2, R3, 0.0, "superseded", third),
    ]
    assert bulletin_head(chained, genesis=genesis) == third
    check = bulletin_verify(chained, genesis=genesis, head=third, size=3)
    assert (check.ok, check.checked, check.head) == (True, 3, third)


def test_an_empty_board_has_the_genesis_as_head():
    genesis = bulletin_genesis(conference_id=1, input_digest=DIGEST)
    assert bulletin_chain([], genesis=genesis) == []
    assert bulletin_head([], genesis=genesis) == genesis
    assert bulletin_verify([], genesis=genesis, head=genesis, size=0).ok


def test_the_genesis_ties_the_board_to_its_conference_and_tally():
    genesis = bulletin_genesis(conference_id=7, input_digest=DIGEST)
    assert genesis != bulletin_genesis(conference_id=8, input_digest=DIGEST)
    assert genesis != bulletin_genesis(conference_id=7, input_digest="cd" * 32)


def test_same_board_in_any_order_gives_the_same_chain():
    rng = random.Random(4)
    entries = [
        BoardEntry(f"{rng.getrandbits(256):064x}", rng.choice([0.0, 0.5, 1.0, 0.316227766]), "counted")
        for _ in range(200)
    ]
    genesis = bulletin_genesis(conference_id=3, input_digest=DIGEST)
    shuffled = entries[:]
    rng.shuffle(shuffled)
    first, second = bulletin_chain(entries, genesis=genesis), bulletin_chain(shuffled, genesis=genesis)
    assert first == second
    assert [e.receipt for e in first] == sorted(e.receipt for e in entries)
    assert [e.position for e in first] == list(range(200))


def test_weights_are_rounded_to_six_decimals_so_stored_and_hashed_agree():
    genesis = bulletin_genesis(conference_id=3, input_digest=DIGEST)
    (entry,) = bulletin_chain([BoardEntry(R1, 1 / 3**0.5, "discounted")], genesis=genesis)
    assert entry.weight == 0.57735
    assert entry.chain == sha(f"confvote-bulletin-v1|{genesis}|0|{R1}|0.577350|discounted")
    assert bulletin_verify([entry], genesis=genesis, head=entry.chain, size=1).ok
    unrounded = entry._replace(weight=1 / 3**0.5)
    problem = bulletin_verify([unrounded], genesis=genesis).problem
    assert problem.position == 0 and "more than 6 decimals" in problem.reason


def test_a_receipt_listed_twice_is_refused():
    with pytest.raises(ValueError, match="listed twice"):
        bulletin_chain([BoardEntry(R1, 1.0, "counted"), BoardEntry(R1, 0.0, "superseded")], genesis="0" * 64)


@pytest.fixture
def long_board() -> tuple[str, list[ChainedEntry]]:
    rng = random.Random(11)
    statuses = ["counted", "not_eligible", "discounted", "superseded"]
    entries = [BoardEntry(f"{rng.getrandbits(256):064x}", 1.0, rng.choice(statuses)) for _ in range(10)]
    genesis = bulletin_genesis(conference_id=9, input_digest=DIGEST)
    return genesis, bulletin_chain(entries, genesis=genesis)


def first_break(genesis: str, entries: list[ChainedEntry], head: str, size: int = 10):
    check = bulletin_verify(entries, genesis=genesis, head=head, size=size)
    assert not check.ok
    return check.problem


def test_a_changed_weight_or_status_breaks_the_chain_at_that_entry(long_board):
    genesis, chained = long_board
    head = chained[-1].chain
    for position in (0, 4, 9):
        weight = chained[:]
        weight[position] = weight[position]._replace(weight=0.5)
        problem = first_break(genesis, weight, head)
        assert problem.position == position and "does not follow" in problem.reason
        status = chained[:]
        status[position] = status[position]._replace(
            status="superseded" if status[position].status != "superseded" else "counted"
        )
        assert first_break(genesis, status, head).position == position


def test_a_forged_chain_value_is_caught_where_it_was_forged(long_board):
    genesis, chained = long_board
    forged = chained[:]
    forged[6] = forged[6]._replace(weight=0.0, status="superseded")
    forged[6] = forged[6]._replace(
        chain=sha(f"confvote-bulletin-v1|{forged[5].chain}|6|{forged[6].receipt}|0.000000|superseded")
    )
    problem = first_break(genesis, forged, chained[-1].chain)
    assert problem.position == 7  # entry 6 now hashes right, so entry 7 no longer follows from it


def test_swapped_entries_are_caught_at_the_first_of_them(long_board):
    genesis, chained = long_board
    swapped = chained[:]
    swapped[2], swapped[5] = swapped[5]._replace(position=2), swapped[2]._replace(position=5)
    problem = first_break(genesis, swapped, chained[-1].chain)
    assert problem.position == 2


def test_a_removed_entry_is_caught_where_it_was(long_board):
    genesis, chained = long_board
    for position in (0, 3):
        removed = chained[:position] + chained[position + 1 :]
        problem = first_break(genesis, removed, chained[-1].chain)
        assert problem.position == position and "position" in problem.reason
        renumbered = chained[:position] + [e._replace(position=e.position - 1) for e in chained[position + 1 :]]
        assert first_break(genesis, renumbered, chained[-1].chain).position == position
    problem = first_break(genesis, chained[:-1], chained[-1].chain)
    assert problem.position == 9 and "missing at the end" in problem.reason


def test_an_added_entry_is_caught_where_it_was_put(long_board):
    genesis, chained = long_board
    # A receipt that sorts right after entry 3, so the order is right and only the chain gives it away.
    stranger = ChainedEntry(4, f"{int(chained[3].receipt, 16) + 1:064x}", 1.0, "counted", "0" * 64)
    assert chained[3].receipt < stranger.receipt < chained[4].receipt
    added = [*chained[:4], stranger, *(e._replace(position=e.position + 1) for e in chained[4:])]
    problem = first_break(genesis, added, chained[-1].chain, size=11)
    assert problem.position == 4 and "does not follow" in problem.reason
    appended = [*chained, ChainedEntry(10, "f" * 64, 1.0, "counted", "0" * 64)]
    assert first_break(genesis, appended, chained[-1].chain).position == 10


def test_a_board_rewritten_from_some_entry_on_does_not_reach_the_written_down_head(long_board):
    genesis, chained = long_board
    rewritten = bulletin_chain(
        [BoardEntry(e.receipt, 0.0 if i == 8 else e.weight, e.status) for i, e in enumerate(chained)], genesis=genesis
    )
    assert bulletin_verify(rewritten, genesis=genesis, size=10).ok  # consistent in itself…
    problem = first_break(genesis, rewritten, chained[-1].chain)  # …but not with the head noted at publication
    assert "not in the published head" in problem.reason


def test_the_api_answer_alone_is_enough_to_verify(long_board):
    genesis, chained = long_board
    rows = [
        {"position": e.position, "receipt": e.receipt, "weight": e.weight, "status": e.status, "chain": e.chain}
        for e in chained
    ]
    board = {
        "scheme": "confvote-bulletin-v1",
        "conference_id": 9,
        "input_digest": DIGEST,
        "genesis": genesis,
        "head": chained[-1].chain,
        "size": 10,
    }
    assert bulletin_verify_export({"board": board, "results": rows}).ok
    pages = [{"board": board, "results": rows[:4]}, {"board": board, "results": rows[4:]}]
    assert bulletin_verify_export(pages).checked == 10
    rows[5]["weight"] = 0.0
    assert bulletin_verify_export(pages).problem.position == 5
    with pytest.raises(ValueError, match="different bulletin boards"):
        bulletin_verify_export([pages[0], {"board": {**board, "size": 9}, "results": []}])
    with pytest.raises(ValueError, match="Not a bulletin board"):
        bulletin_verify_export({"ballots": []})
    with pytest.raises(ValueError, match="before the bulletin board was chained"):
        bulletin_verify_export({"board": {**board, "head": None}, "results": []})

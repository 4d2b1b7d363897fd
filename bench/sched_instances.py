"""Generated conferences for the scheduling benchmarks: realistic ballots, deterministic per seed.

Talks belong to tracks and have a skewed appeal (log-normal: a few talks everybody wants, a long
tail). Each voter has one to three favourite tracks and wants 4–30 talks, most of them from those
tracks, so voters who want one talk of a track tend to want others of it — clashes matter. Scores
are the weighted count of voters wanting a talk; the expected audience is 60% of it; room sizes
follow the audiences. Speakers give one talk, some two; a tenth are available on one day only.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from apps.scheduling.domain.model import Availability, Ballot, Room, ScheduleInput, Slot, Talk

PERIODS_PER_DAY = 7
TRACKS = ("web", "data", "core", "devops", "community", "security", "testing", "science", "education", "hardware")


def instance_make(talks: int, rooms: int, periods: int, voters: int, seed: int = 1) -> ScheduleInput:
    rng = np.random.default_rng(seed)
    n_tracks = min(len(TRACKS), max(3, talks // 25))
    track = rng.integers(0, n_tracks, size=talks)
    appeal = rng.lognormal(mean=0.0, sigma=0.9, size=talks)
    base = dt.datetime(2027, 6, 1, 9, 0, tzinfo=dt.UTC)
    days = -(-periods // PERIODS_PER_DAY)
    slot_list: list[Slot] = []
    for p in range(periods):
        day, k = divmod(p, PERIODS_PER_DAY)
        start = base + dt.timedelta(days=day, minutes=60 * k)
        for r in range(rooms):
            slot_list.append(
                Slot(id=len(slot_list) + 1, room_id=r + 1, start=start, end=start + dt.timedelta(minutes=45))
            )

    # ballots: favourite tracks, then talks drawn by appeal, mostly from those tracks
    per_track = [np.flatnonzero(track == k) for k in range(n_tracks)]
    global_p = appeal / appeal.sum()
    track_p = [appeal[idx] / appeal[idx].sum() for idx in per_track]
    sizes = np.clip(rng.negative_binomial(3, 0.2, size=voters) + 4, 4, 30)
    ballots = []
    wanted_count = np.zeros(talks)
    for v in range(voters):
        favourites = rng.choice(n_tracks, size=int(rng.integers(1, 4)), replace=False)
        m = int(min(sizes[v], talks))
        from_fav = round(0.75 * m)
        pool = np.concatenate([per_track[f] for f in favourites])
        pool_p = np.concatenate([track_p[f] for f in favourites]) / len(favourites)
        pick = set(rng.choice(pool, size=min(from_fav, len(pool)), replace=False, p=pool_p / pool_p.sum()).tolist())
        while len(pick) < m:
            pick.update(rng.choice(talks, size=m - len(pick), p=global_p).tolist())
        chosen = sorted(pick)
        wanted_count[chosen] += 1
        ballots.append(Ballot(voter_id=v + 1, wanted=tuple(int(t) + 1 for t in chosen)))

    order = sorted(range(talks), key=lambda t: (-wanted_count[t], t))
    rank = {t: i + 1 for i, t in enumerate(order)}
    audience = 0.6 * wanted_count
    # room sizes: the largest holds the most wanted talk's audience, then geometric steps down
    top = max(60.0, float(np.sort(audience)[-1]))
    low = max(30.0, float(np.median(audience)) * 0.8)
    caps = np.geomspace(top, low, rooms) if rooms > 1 else np.array([top])
    room_list = tuple(Room(id=r + 1, capacity=round(c), name=f"Room {r + 1}") for r, c in enumerate(caps))

    speaker = np.arange(talks) + 1
    twice = rng.choice(talks, size=talks // 10, replace=False)
    for a, b in zip(twice[::2], twice[1::2], strict=False):
        speaker[b] = speaker[a]  # one speaker, two talks
    availability = []
    for sp in sorted(set(speaker.tolist())):
        if days > 1 and rng.random() < 0.1:
            day = int(rng.integers(days))
            start = base + dt.timedelta(days=day, hours=-1)
            availability.append(Availability(speaker_id=sp, start=start, end=start + dt.timedelta(hours=12)))
    talk_list = tuple(
        Talk(
            id=t + 1,
            duration_minutes=45 if rng.random() < 0.2 else 30,
            rank=rank[t],
            score=float(wanted_count[t]),
            expected_audience=float(round(audience[t], 1)),
            track=TRACKS[track[t]],
            speaker_ids=(int(speaker[t]),),
            title=f"Talk {t + 1} ({TRACKS[track[t]]})",
        )
        for t in range(talks)
    )
    return ScheduleInput(
        rooms=room_list,
        slots=tuple(slot_list),
        talks=talk_list,
        ballots=tuple(ballots),
        availabilities=tuple(availability),
    )

"""How alike two talks' texts are — the evidence behind a "too similar" exclusion.

Each talk's title and abstract become a TF-IDF vector: a word counts more the more often the talk
uses it and the fewer other talks do (so "python" weighs little at a Python conference, "fuzzing"
a lot). The similarity of two talks is the cosine of their vectors: 0 means no shared vocabulary,
1 the same words in the same proportions. It is measured against all submitted talks, so the
figure for a pair is comparable with every other pair's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from apps.scheduling.domain.model import Override, OverrideKind

_WORD = re.compile(r"[a-z0-9][a-z0-9+#.-]*[a-z0-9+#]|[a-z0-9]")
_STOP = frozenset(
    [
        "a",
        "about",
        "after",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "more",
        "most",
        "not",
        "of",
        "on",
        "or",
        "our",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "up",
        "us",
        "was",
        "we",
        "what",
        "when",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
    ]
)


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _STOP]


@dataclass(frozen=True)
class TextIndex:
    talk_ids: tuple[int, ...]
    row: dict[int, int]
    vectors: sparse.csr_matrix  # talks × vocabulary, rows of unit length


def text_index(texts: Mapping[int, str]) -> TextIndex:
    """TF-IDF (sublinear term frequency, smoothed idf) over every talk's title and abstract."""
    ids = tuple(sorted(texts))
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for r, talk_id in enumerate(ids):
        counts: dict[int, int] = {}
        for w in words(texts[talk_id]):
            col = vocab.setdefault(w, len(vocab))
            counts[col] = counts.get(col, 0) + 1
        for col, n in sorted(counts.items()):
            rows.append(r)
            cols.append(col)
            vals.append(1.0 + np.log(n))
    tf = sparse.csr_matrix((vals, (rows, cols)), shape=(len(ids), len(vocab)))
    df = np.bincount(cols, minlength=len(vocab))
    idf = np.log((1 + len(ids)) / (1 + df)) + 1.0
    m = (tf @ sparse.diags(idf)).tocsr()
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    m = sparse.diags(1.0 / norms) @ m
    return TextIndex(ids, {t: i for i, t in enumerate(ids)}, m.tocsr())


def text_similarity(index: TextIndex, a: int, b: int) -> float:
    """Cosine similarity in [0, 1] of two talks' texts."""
    va, vb = index.vectors[index.row[a]], index.vectors[index.row[b]]
    return float(min(1.0, max(0.0, va.multiply(vb).sum())))


def most_similar(index: TextIndex, talk_id: int, top: int = 3) -> list[tuple[int, float]]:
    """The talks whose texts are closest to `talk_id`'s, most similar first (ties by id)."""
    sims = np.asarray((index.vectors @ index.vectors[index.row[talk_id]].T).todense()).ravel()
    order = sorted((i for i in range(len(index.talk_ids)) if index.talk_ids[i] != talk_id), key=lambda i: (-sims[i], i))
    return [(index.talk_ids[i], round(float(sims[i]), 6)) for i in order[:top]]


@dataclass(frozen=True)
class SimilarityEvidence:
    talk_id: int
    similar_to: int
    similarity: float  # cosine of the two texts
    percentile: float  # share of all pairs of talks that are less similar

    def to_json(self) -> dict:
        return {
            "talk_id": self.talk_id,
            "similar_to": self.similar_to,
            "similarity": round(self.similarity, 6),
            "percentile": round(self.percentile, 6),
        }

    def sentence(self) -> str:
        return (
            f"Text similarity with talk {self.similar_to}: {self.similarity:.2f} "
            f"(more similar than {100 * self.percentile:.1f}% of all pairs of submitted talks)."
        )


def similarity_evidence(texts: Mapping[int, str], overrides: tuple[Override, ...]) -> tuple[SimilarityEvidence, ...]:
    """For each exclusion that names the talk it is too similar to: the measured similarity, and
    where it stands among all pairs of submitted talks, so the committee's claim can be checked."""
    claims = [o for o in overrides if o.kind == OverrideKind.EXCLUDE and o.similar_to is not None]
    claims = [o for o in claims if o.talk_id in texts and o.similar_to in texts]
    if not claims:
        return ()
    index = text_index(texts)
    n = len(index.talk_ids)
    gram = index.vectors @ index.vectors.T
    upper = sparse.triu(gram, k=1).tocsr()
    values = np.sort(upper.data)
    pairs = n * (n - 1) // 2
    out = []
    for o in sorted(claims, key=lambda o: (o.talk_id, o.similar_to)):
        s = text_similarity(index, o.talk_id, o.similar_to)
        # pairs with no shared word are not stored in the sparse matrix: they are all below s > 0
        below = int(np.searchsorted(values, s - 1e-12, side="left")) + (pairs - len(values)) if s > 0 else 0
        out.append(SimilarityEvidence(o.talk_id, o.similar_to, s, below / pairs if pairs else 0.0))
    return tuple(out)

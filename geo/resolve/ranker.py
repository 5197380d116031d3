"""The resolver's ranker: a weighted sum of what is known for and against a candidate.

``Features`` names what the resolver measures for each candidate (geo.resolve.resolver.features);
``Ranker`` holds one weight per feature and scores a candidate as their weighted sum, or, with
``Trees``, by gradient-boosted trees over those features, the weighted sum and what the mention's
other candidates say. The default is the hand-set weighted sum (``geo/data/ranker.json``,
``Ranker.load(HAND_SET_PATH)``); trees learned on the tune splits by ``python -m geo.eval.boost``
(``geo/data/ranker-trees.json``, ``Ranker.load(TREES_PATH)``) correct it. ``python -m geo.eval.train ...
--output PATH`` learns other weights, and ``Ranker.load(PATH)`` reads any of them for a
``Geoparser(ranker=...)``.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from geo.core.config import DATA_DIR
from geo.core.errors import GeoError

__all__ = [
    "DEFAULT_PATH",
    "GROUP_INPUTS",
    "HAND_SET_PATH",
    "INPUTS",
    "LEARNABLE",
    "TREES_PATH",
    "Features",
    "Ranker",
    "Trees",
    "inputs",
]

#: The hand-set weights (a weighted sum).
HAND_SET_PATH = DATA_DIR / "ranker.json"
#: Gradient-boosted trees correcting the weighted sum (geo.eval.boost; no kind-of-place inputs,
#: their output shrunk). In cross-validation over the tune splits they rank more LGL mentions
#: right than the hand-set weights but fewer GeoVirus ones, and they read the seed article's one
#: "New York" as the state (LGL's local US news), so they are not the default.
TREES_PATH = DATA_DIR / "ranker-trees.json"
#: The ranker News Atlas uses unless told otherwise: the hand-set weighted sum.
DEFAULT_PATH = HAND_SET_PATH
#: Mentions' rows whose scores a Ranker keeps (see ``Ranker.scores``): most repeats are within an
#: article. Bounded: an entry holds its rows (about 4 KB on LGL), so about 4 MB in all.
CACHED_SCORES = 1024


class Features(NamedTuple):
    """What the resolver knows for and against one candidate (see geo.resolve.resolver.features)."""

    prior: float  # how likely the name means it before context (log10 of population + kind bonus)
    country_share: float  # the share of the article's confident places in its country
    admin1_in_play: float  # 1 when the article names its first-level area
    area_cue: float  # 1 for an area when the text says "X province", "X County"
    town_cue: float  # 1 for a town when the text says "the city of X", "the port of X"
    qualifier: float  # 1 when it lies in the area written after the name ("Paris, Texas")
    closeness: float  # 1 at the article's other places, 0 from PROXIMITY_KM on
    is_country: float
    is_admin1: float
    is_admin2: float
    is_region: float
    is_landmark: float
    is_airfield: float
    class_cue: float  # 1 when a phrase asks for its kind: "X port", "the Red Sea", "X air base"
    major_city: float  # 1 for a capital or world city when the article leans to no other country
    alias: float = 0.0  # 1 when the name matched one of its alternate names or a short form
    is_town: float = 0.0  # a city, town or village
    is_natural: float = 0.0  # a sea, river, mountain range or other physical feature
    is_port: float = 0.0
    size: float = 0.0  # log10(1 + the km across its extent); 0 for a point
    #: How many of the article's other names have a plausible reading in its first-level area
    #: (each counted by how plausible: 1 for its likeliest reading, less the further its prior
    #: falls below; see geo.resolve.resolver.AreaSupport), times its country's share of the article.
    admin1_support: float = 0.0


#: The features whose weights training learns: the evidence, not a preference for a kind of place
#: (LGL's local US news would otherwise teach "New York" to mean the state in world news too).
LEARNABLE: frozenset[str] = frozenset(
    {"prior", "country_share", "admin1_in_play", "area_cue", "town_cue", "qualifier", "closeness", "class_cue"}
    | {"admin1_support"}
)


#: What a mention's candidates say of one of them beside its own features (see ``inputs``).
GROUP_INPUTS: tuple[str, ...] = ("prior_gap", "top_prior", "candidates", "sum_gap", "share_gap")
#: The columns a tree model reads: each candidate's features, then GROUP_INPUTS.
INPUTS: tuple[str, ...] = (*Features._fields, *GROUP_INPUTS)


def inputs(rows: Sequence[Features], sums: Sequence[float]) -> np.ndarray:
    """Return one row of INPUTS per candidate of a mention (``rows``, with their weighted sums).

    Beside its own features: how far its prior falls below the best prior, whether it has the
    best prior, log2 of the number of candidates, how far its weighted sum falls below the best,
    and how far its country's share falls below the best candidate country's.
    """
    own = np.asarray(rows, dtype=float).reshape(len(rows), len(Features._fields))
    total = np.asarray(sums, dtype=float)
    prior = own[:, Features._fields.index("prior")]
    share = own[:, Features._fields.index("country_share")]
    extra = np.empty((len(rows), len(GROUP_INPUTS)))
    if len(rows):
        extra[:, 0] = prior - prior.max()
        extra[:, 1] = prior == prior.max()
        extra[:, 2] = math.log2(len(rows))
        extra[:, 3] = total - total.max()
        extra[:, 4] = share - share.max()
    return np.hstack([own, extra])


@dataclass(frozen=True, eq=False)
class Trees:
    """Regression trees over INPUTS, their outputs summed (gradient boosting), as plain arrays.

    Node ``i`` of tree ``t`` sends a row to ``left[t, i]`` when its input ``feature[t, i]`` is at
    most ``threshold[t, i]``, else to ``right[t, i]``; a leaf (``feature`` -1) holds ``value``.
    """

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    depth: int
    #: True when the trees correct the weighted sum (boosted from it): the score is the sum plus
    #: their output, so evidence the trees rarely saw (a cue) keeps its hand-set weight.
    residual: bool = False
    #: What the trees' summed output is multiplied by (chosen by cross-validation): below 1 the
    #: trees break near ties of the weighted sum but cannot overturn a clear lead.
    shrink: float = 1.0

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Trees:
        """Return the trees stored as lists of lists (``to_mapping``); raise ValueError if malformed."""
        if list(data["inputs"]) != list(INPUTS):
            raise ValueError("the trees were trained on other inputs")
        arrays = {key: np.asarray(data[key]) for key in ("feature", "threshold", "left", "right", "value")}
        shapes = {a.shape for a in arrays.values()}
        if len(shapes) != 1 or len(next(iter(shapes))) != 2:
            raise ValueError("tree arrays of unequal shape")
        return cls(
            feature=arrays["feature"].astype(np.int64),
            threshold=arrays["threshold"].astype(float),
            left=arrays["left"].astype(np.int64),
            right=arrays["right"].astype(np.int64),
            value=arrays["value"].astype(float),
            depth=int(data["depth"]),
            residual=bool(data.get("residual", False)),
            shrink=float(data.get("shrink", 1.0)),
        )

    def to_mapping(self) -> dict[str, object]:
        """Return the trees as JSON-ready lists."""
        return {
            "inputs": list(INPUTS),
            "depth": self.depth,
            "residual": self.residual,
            "shrink": self.shrink,
            "feature": self.feature.tolist(),
            "threshold": [[round(float(v), 6) for v in row] for row in self.threshold],
            "left": self.left.tolist(),
            "right": self.right.tolist(),
            "value": [[round(float(v), 6) for v in row] for row in self.value],
        }

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Return the summed output of the trees, times ``shrink``, for each row of ``x`` (one
        column per INPUT).

        Every split of every tree is compared at once and each tree's leaf read from bit masks
        (``_LeafMasks``): a few numpy operations per call however deep the trees, where walking
        them level by level took several per level; the resolver calls this once per mention,
        a few rows at a time, so the number of operations is what costs. Same leaves, same sum.
        """
        masks = self._masks
        if masks is None:
            return self.walk(x)
        # A split sends a row right unless its input is at most the threshold (NaN goes right).
        right = ~(x[:, masks.feature] <= masks.threshold)
        bits = np.where(right, masks.clear, masks.keep).reshape(x.shape[0], *masks.shape)
        exits = np.bitwise_and.reduce(bits, axis=2) & masks.leaves
        # Row-major, as ``walk`` gathers them: the sum's order of additions follows the layout.
        leaf = np.ascontiguousarray(masks.lowest_bit[exits])
        return self.shrink * masks.value[masks.trees, leaf].sum(axis=1)

    def walk(self, x: np.ndarray) -> np.ndarray:
        """Return what ``predict`` returns, found by walking every tree from its root, one level
        at a time (the reference ``predict`` is checked against)."""
        n_trees = self.feature.shape[0]
        trees = np.arange(n_trees)[None, :]
        node = np.zeros((x.shape[0], n_trees), dtype=np.int64)
        rows = np.arange(x.shape[0])[:, None]
        for _ in range(self.depth):
            feature = self.feature[trees, node]
            leaf = feature < 0
            go_left = x[rows, np.where(leaf, 0, feature)] <= self.threshold[trees, node]
            node = np.where(leaf, node, np.where(go_left, self.left[trees, node], self.right[trees, node]))
        return self.shrink * self.value[trees, node].sum(axis=1)

    @functools.cached_property
    def _masks(self) -> _LeafMasks | None:
        return _LeafMasks.of(self)


@dataclass(frozen=True, eq=False)
class _LeafMasks:
    """The trees as bit masks over their leaves (QuickScorer, Lucchese et al. 2015).

    A tree's leaves are numbered left to right, one bit each. A row goes right at a split when
    its input exceeds the threshold, and can then reach no leaf of that split's left subtree:
    ``clear`` is the split's mask without those bits. AND-ing the masks of every split a row goes
    right at leaves the bits of the leaves it may still reach, and the lowest is where it exits
    (every leaf left of it lies under a split that sent the row right). Splits it never reaches
    clear only leaves it cannot reach anyway, so all are compared at once.
    """

    feature: np.ndarray  # (trees × splits,) the input each split reads (padding: 0)
    threshold: np.ndarray  # (trees × splits,) (padding: +inf)
    clear: np.ndarray  # (trees × splits,) the leaves still reachable after going right
    keep: np.ndarray  # all bits set: a split a row goes left at clears nothing
    leaves: np.ndarray  # (trees,) one bit per leaf of each tree
    value: np.ndarray  # (trees, most leaves) each leaf's output, left to right
    trees: np.ndarray  # (1, trees) to gather one leaf per tree
    lowest_bit: np.ndarray  # the number of the lowest set bit of each mask value
    shape: tuple[int, int]  # (trees, most splits)

    @classmethod
    def of(cls, trees: Trees) -> _LeafMasks | None:
        """Return the masks of ``trees``, or None when a tree has more than 16 leaves (or is malformed)."""
        splits: list[list[tuple[int, float, int]]] = []
        leaf_values: list[list[float]] = []
        for t in range(trees.feature.shape[0]):
            found = _leaves_in_order(trees, t)
            if found is None:
                return None
            splits.append(found[0])
            leaf_values.append(found[1])
        most_leaves = max((len(v) for v in leaf_values), default=1)
        if most_leaves > 16:
            return None
        dtype = np.uint8 if most_leaves <= 8 else np.uint16
        ones = np.iinfo(dtype).max
        most_splits = max(1, max((len(s) for s in splits), default=1))
        feature = np.zeros((len(splits), most_splits), dtype=np.int64)
        threshold = np.full((len(splits), most_splits), np.inf)
        clear = np.full((len(splits), most_splits), ones, dtype=dtype)
        for t, tree_splits in enumerate(splits):
            for s, (column, limit, mask) in enumerate(tree_splits):
                feature[t, s], threshold[t, s], clear[t, s] = column, limit, mask & ones
        value = np.zeros((len(splits), most_leaves))
        for t, values in enumerate(leaf_values):
            value[t, : len(values)] = values
        lowest_bit = np.zeros(int(ones) + 1, dtype=np.int64)
        for v in range(1, int(ones) + 1):
            lowest_bit[v] = (v & -v).bit_length() - 1
        return cls(
            feature=feature.ravel(),
            threshold=threshold.ravel(),
            clear=clear.ravel(),
            keep=np.asarray(ones, dtype=dtype),
            leaves=np.asarray([(1 << len(v)) - 1 for v in leaf_values], dtype=dtype),
            value=value,
            trees=np.arange(len(splits))[None, :],
            lowest_bit=lowest_bit,
            shape=(len(splits), most_splits),
        )


def _leaves_in_order(trees: Trees, t: int) -> tuple[list[tuple[int, float, int]], list[float]] | None:
    """Return tree ``t``'s splits (input, threshold, the mask of the leaves still reachable after
    going right) and its leaves' outputs, left to right; None for a tree that is no tree or is
    deeper than ``trees.depth`` (``walk`` stops there)."""
    n_nodes = trees.feature.shape[1]
    leaves: list[float] = []
    splits: list[tuple[int, float, int]] = []
    seen: set[int] = set()

    def visit(node: int, depth: int) -> tuple[int, int] | None:  # the leaf numbers under it, as a range
        if not 0 <= node < n_nodes or node in seen:
            return None
        seen.add(node)
        if trees.feature[t, node] < 0:
            leaves.append(float(trees.value[t, node]))
            return len(leaves) - 1, len(leaves)
        if depth >= trees.depth:
            return None
        index = len(splits)
        splits.append((0, 0.0, 0))  # its place, in the order splits are met
        left = visit(int(trees.left[t, node]), depth + 1)
        right = visit(int(trees.right[t, node]), depth + 1)
        if left is None or right is None:
            return None
        splits[index] = (int(trees.feature[t, node]), float(trees.threshold[t, node]), _without(left))
        return left[0], right[1]

    if visit(0, 0) is None:
        return None
    return splits, leaves


def _without(left: tuple[int, int]) -> int:
    """Return a mask of every leaf bit (up to 16) but those numbered ``left[0]`` to ``left[1] - 1``."""
    return 0xFFFF & ~(((1 << (left[1] - left[0])) - 1) << left[0])


@dataclass(frozen=True)
class Ranker:
    """One weight per feature; a candidate's score is the weighted sum of its features, or,
    when the ranker has ``trees``, what the trees make of those features, the weighted sums and
    the other candidates of the mention (``inputs``)."""

    weights: Features
    #: Where the weights came from (for the README and the eval report).
    description: str = ""
    trees: Trees | None = field(default=None, compare=False)

    @classmethod
    def load(cls, path: Path | None = None) -> Ranker:
        """Return the ranker stored at ``path`` (default: the shipped weights); raise GeoError if
        the file is missing or malformed. Features the file leaves out weigh 0."""
        path = Path(path) if path is not None else DEFAULT_PATH
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            ranker = cls.from_mapping(data["weights"], description=str(data.get("trained_on", "")))
            if "trees" in data:
                ranker = cls(ranker.weights, ranker.description, Trees.from_mapping(data["trees"]))
            return ranker
        except (OSError, ValueError, KeyError, TypeError, IndexError) as err:
            raise GeoError(f"cannot read ranker weights from {path.name}: {err}") from err

    @classmethod
    def from_mapping(cls, weights: Mapping[str, float], *, description: str = "") -> Ranker:
        """Return a ranker with the named weights (unknown names are an error; missing ones 0)."""
        unknown = set(weights) - set(Features._fields)
        if unknown:
            raise ValueError(f"unknown ranker features: {', '.join(sorted(unknown))}")
        return cls(Features(*(float(weights.get(name, 0.0)) for name in Features._fields)), description)

    def score(self, features: Features) -> float:
        """Return a candidate's weighted sum (higher is likelier)."""
        return sum(w * v for w, v in zip(self.weights, features, strict=True))

    def scores(self, rows: Sequence[Features]) -> list[float]:
        """Return the scores of a mention's candidates, one per row (higher is likelier).

        Scores already given for the same rows are given again, not computed: the resolver asks
        for each mention's rows, and a name's mentions often have the same ones (the same
        candidates, nothing around them that tells them apart). The last ``CACHED_SCORES`` kept.
        """
        if self.trees is None or not rows:
            return self._scores(rows)
        return list(self._kept(tuple(rows)))

    @functools.cached_property
    def _kept(self) -> Callable[[tuple[Features, ...]], tuple[float, ...]]:
        return functools.lru_cache(maxsize=CACHED_SCORES)(lambda rows: tuple(self._scores(rows)))

    def __getstate__(self) -> dict[str, object]:
        """Return what pickling keeps: the fields, not the scores kept (a cache of a function)."""
        return {key: value for key, value in self.__dict__.items() if key != "_kept"}

    def _scores(self, rows: Sequence[Features]) -> list[float]:
        sums = [self.score(row) for row in rows]
        if self.trees is None or not rows:
            return sums
        output = self.trees.predict(inputs(rows, sums))
        if self.trees.residual:
            output = output + np.asarray(sums)
        return [float(v) for v in output]

    def save(self, path: Path, **about: object) -> None:
        """Write the weights (and trees) to ``path`` as JSON (with ``about``: what they were trained on)."""
        record: dict[str, object] = {
            **about,
            "weights": {name: round(w, 4) for name, w in self.weights._asdict().items()},
        }
        if self.trees is not None:
            record["trees"] = self.trees.to_mapping()
        Path(path).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")

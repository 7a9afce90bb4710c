"""Views of a frame for the nudity detector: planning, mapping boxes back, NMS and mirror consensus.

Each piece is checked against an independent oracle: pixel masks for geometry, OpenCV's own
NMS for suppression, rasterised boxes for overlap.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from genguard.detectors.nudity_views import (
    View,
    ViewPlan,
    iou_matrix,
    merge_views,
    mirror_consensus,
    nms,
    plan_views,
)


def _random_boxes(rng: np.random.Generator, n: int, side: int = 200) -> np.ndarray:
    x0, y0 = rng.integers(0, side - 20, n), rng.integers(0, side - 20, n)
    w, h = rng.integers(5, 80, n), rng.integers(5, 80, n)
    return np.stack([x0, y0, np.minimum(side, x0 + w), np.minimum(side, y0 + h)], axis=1).astype(float)


@pytest.mark.parametrize(("width", "height"), [(1024, 651), (686, 1024), (448, 448), (300, 31), (1, 1)])
@pytest.mark.parametrize("fraction", [None, 0.35, 0.5, 0.65])
def test_views_cover_every_pixel_and_fit_the_frame(width: int, height: int, fraction: float | None) -> None:
    views = plan_views(width, height, ViewPlan(tile_fraction=fraction))
    assert views[0] == View(0, 0, width, height)
    covered = np.zeros((height, width), dtype=int)
    for view in views[1:]:
        assert 0 <= view.x0 < view.x1 <= width and 0 <= view.y0 < view.y1 <= height
        covered[view.y0 : view.y1, view.x0 : view.x1] += 1
    if fraction is not None:
        assert covered.min() >= 1  # the tiles alone cover the frame


@pytest.mark.parametrize("seed", range(5))
def test_a_region_up_to_half_a_tile_lies_whole_in_some_tile(seed: int) -> None:
    rng = np.random.default_rng(seed)
    width, height = 1024, 651
    plan = ViewPlan(tile_fraction=0.35)
    tiles = plan_views(width, height, plan)[1:]
    half = round(0.35 * 1024) // 2
    for _ in range(200):
        w, h = rng.integers(1, half + 1, 2)
        x, y = rng.integers(0, width - w + 1), rng.integers(0, height - h + 1)
        assert any(t.x0 <= x and x + w <= t.x1 and t.y0 <= y and y + h <= t.y1 for t in tiles), (x, y, w, h)


def test_mirror_adds_each_view_mirrored_in_the_same_order() -> None:
    plain = plan_views(800, 600, ViewPlan(tile_fraction=0.5))
    both = plan_views(800, 600, ViewPlan(tile_fraction=0.5, mirror="consensus"))
    assert both[: len(plain)] == plain
    assert both[len(plain) :] == [View(v.x0, v.y0, v.x1, v.y1, mirrored=True) for v in plain]


@pytest.mark.parametrize("mirrored", [False, True])
@pytest.mark.parametrize("seed", range(4))
def test_boxes_found_in_a_view_map_back_to_where_they_are_in_the_frame(mirrored: bool, seed: int) -> None:
    """Oracle: paint a box into a frame, crop the view, find the painted box there, map it back."""
    rng = np.random.default_rng(seed)
    frame = np.zeros((300, 400, 3), dtype=np.uint8)
    x0, y0 = int(rng.integers(100, 180)), int(rng.integers(80, 150))
    x1, y1 = x0 + int(rng.integers(5, 60)), y0 + int(rng.integers(5, 60))
    frame[y0:y1, x0:x1] = 255
    view = View(90, 70, 260, 230, mirrored=mirrored)
    ys, xs = np.nonzero(view.crop(frame)[..., 0])
    in_view = np.array([[xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]], dtype=float)
    assert view.to_frame(in_view).tolist() == [[x0, y0, x1, y1]]


def test_iou_matches_rasterised_boxes() -> None:
    rng = np.random.default_rng(1)
    a, b = _random_boxes(rng, 12), _random_boxes(rng, 9)
    got = iou_matrix(a, b)
    for i, p in enumerate(a.astype(int)):
        mask_p = np.zeros((200, 200), bool)
        mask_p[p[1] : p[3], p[0] : p[2]] = True
        for j, q in enumerate(b.astype(int)):
            mask_q = np.zeros((200, 200), bool)
            mask_q[q[1] : q[3], q[0] : q[2]] = True
            expected = (mask_p & mask_q).sum() / (mask_p | mask_q).sum()
            assert got[i, j] == pytest.approx(expected)


@pytest.mark.parametrize("seed", range(6))
def test_nms_keeps_what_opencv_keeps_per_label(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 60
    boxes = _random_boxes(rng, n, side=150)
    scores = rng.random(n)
    labels = rng.integers(0, 3, n)
    kept = set(nms(labels, scores, boxes, iou=0.45).tolist())
    expected: set[int] = set()
    for label in np.unique(labels):
        index = np.flatnonzero(labels == label)
        xywh = [[b[0], b[1], b[2] - b[0], b[3] - b[1]] for b in boxes[index]]
        chosen = cv2.dnn.NMSBoxes(xywh, scores[index].tolist(), 0.0, 0.45)
        expected |= {int(index[i]) for i in np.asarray(chosen, dtype=int).reshape(-1)}
    assert kept == expected


def test_nms_never_suppresses_across_labels() -> None:
    box = np.array([[10.0, 10, 50, 50]] * 2)
    assert sorted(nms(np.array([0, 1]), np.array([0.9, 0.3]), box).tolist()) == [0, 1]
    assert nms(np.array([0, 0]), np.array([0.3, 0.9]), box).tolist() == [1]


def test_mirror_consensus_keeps_confirmed_boxes_at_the_lower_score() -> None:
    plain = (np.array([3, 3, 7]), np.array([0.8, 0.6, 0.9]),
             np.array([[0.0, 0, 10, 10], [50, 50, 60, 60], [100, 100, 120, 120]]))
    mirrored = (np.array([3, 7, 3]), np.array([0.5, 0.95, 0.7]),
                np.array([[1.0, 1, 11, 11], [50, 50, 60, 60], [103, 103, 123, 123]]))
    labels, scores, boxes = mirror_consensus(plain, mirrored)
    # Box 0 is confirmed (same label, IoU 0.68) at 0.5; box 1's only overlap has another label;
    # box 2 has no same-label twin at all.
    assert labels.tolist() == [3] and scores.tolist() == [0.5]
    assert boxes.tolist() == [[0.0, 0, 10, 10]]


def test_mirror_consensus_with_nothing_mirrored_keeps_nothing() -> None:
    plain = (np.array([3]), np.array([0.8]), np.array([[0.0, 0, 10, 10]]))
    empty = (np.zeros(0, int), np.zeros(0), np.zeros((0, 4)))
    assert len(mirror_consensus(plain, empty)[0]) == 0


def test_merge_of_one_view_returns_it_and_of_several_suppresses_duplicates() -> None:
    one = (np.array([2, 2]), np.array([0.9, 0.4]), np.array([[0.0, 0, 10, 10], [30, 30, 40, 40]]))
    assert all(np.array_equal(a, b) for a, b in zip(merge_views(ViewPlan(), [one]), one, strict=True))
    tile = (np.array([2]), np.array([0.95]), np.array([[1.0, 1, 10, 10]]))
    labels, scores, _ = merge_views(ViewPlan(tile_fraction=0.5), [one, tile])
    assert sorted(scores.tolist()) == [0.4, 0.95] and labels.tolist() == [2, 2]


def test_plan_validation_and_name() -> None:
    assert ViewPlan().name == "320"
    assert ViewPlan(side=640, mirror="consensus").name == "640+mirror-consensus"
    assert ViewPlan(tile_fraction=0.5, mirror="union").name == "320+tiles0.5+mirror-union"
    for bad in ({"side": 300}, {"side": 0}, {"tile_fraction": 1.0}, {"tile_fraction": 0.0}):
        with pytest.raises(ValueError, match="side|tile_fraction"):
            ViewPlan(**bad)  # type: ignore[arg-type]

from hypothesis import given
from hypothesis import strategies as st

from registry_service.ledger.split import equal_split, largest_remainder


def test_seed_example_twenty_flattrs_ten_cents_each():
    assert largest_remainder(200, [1] * 20, list(range(20))) == [10] * 20


def test_leftover_cents_go_to_largest_remainders_then_tie_keys():
    # 100 over weights 1,1,1: 33.33 each; the one cent left goes to the smallest tie key.
    assert largest_remainder(100, [1, 1, 1], ["c", "a", "b"]) == [33, 34, 33]
    # 10 over 3 and 1: 7.5 and 2.5, equal remainders: the tie key decides.
    assert largest_remainder(10, [3, 1], ["b", "a"]) == [7, 3]
    assert largest_remainder(10, [3, 1], ["a", "b"]) == [8, 2]


def test_weights_are_proportional():
    assert largest_remainder(600, [5, 1], ["x", "y"]) == [500, 100]


def test_zero_weight_parts_get_nothing():
    assert largest_remainder(7, [0, 2, 0, 5], ["a", "b", "c", "d"]) == [0, 2, 0, 5]


def test_equal_split_among_coauthors():
    assert equal_split(10, ["k2", "k1", "k3"]) == {"k1": 4, "k2": 3, "k3": 3}


@given(
    total=st.integers(0, 10**9),
    weights=st.lists(st.integers(1, 5), min_size=1, max_size=60),
    seed=st.randoms(use_true_random=False),
)
def test_split_is_exact_fair_and_deterministic(total, weights, seed):
    keys = [f"t{i:03d}" for i in range(len(weights))]
    parts = largest_remainder(total, weights, keys)
    assert sum(parts) == total
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact_floor = total * weight // weight_sum
        assert exact_floor <= part <= exact_floor + 1
    # The same input in another order gives each thing the same cents.
    order = list(range(len(weights)))
    seed.shuffle(order)
    shuffled = largest_remainder(total, [weights[i] for i in order], [keys[i] for i in order])
    assert {keys[i]: shuffled[n] for n, i in enumerate(order)} == dict(
        zip(keys, parts, strict=True)
    )


@given(total=st.integers(0, 10**6), names=st.lists(st.text(min_size=1), min_size=1, max_size=8))
def test_equal_split_is_exact(total, names):
    parts = equal_split(total, names)
    assert sum(parts.values()) == total and set(parts) == set(names)
    assert max(parts.values()) - min(parts.values()) <= 1

"""Batching concurrent image requests into shared forward passes."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
import torch
from annlab.engines.biggan.batcher import BatchClosed, Batcher
from annlab.engines.biggan.sampler import generate, load_model
from annlab.engines.biggan.specs import ImageSpec
from annlab.engines.biggan.tiny_model import save_random_model

CPU = torch.device("cpu")


class RecordingRun:
    """A run_batch that squares numbers and records each batch it gets."""

    def __init__(self, fail_on: int | None = None, delay_s: float = 0.0) -> None:
        self.batches: list[list[int]] = []
        self.fail_on = fail_on
        self.delay_s = delay_s

    def __call__(self, specs: list[int]) -> tuple[list[int], int]:
        self.batches.append(list(specs))
        time.sleep(self.delay_s)
        if self.fail_on in specs:
            raise RuntimeError(f"cannot draw {self.fail_on}")
        return [value * value for value in specs], 1


def run_concurrently(batcher: Batcher, requests: list[list[int]]):
    with ThreadPoolExecutor(len(requests)) as pool:
        futures = [pool.submit(batcher.submit, request, 10.0) for request in requests]
        return [future.result() for future in futures]


def test_concurrent_requests_share_one_batch():
    run = RecordingRun()
    batcher = Batcher(run, max_batch=16, max_wait_s=0.5)
    batcher.start()
    try:
        outcomes = run_concurrently(batcher, [[1], [2, 3], [4]])
    finally:
        batcher.stop()

    assert len(run.batches) == 1
    assert sorted(run.batches[0]) == [1, 2, 3, 4]
    assert [outcome.results for outcome in outcomes] == [[1], [4, 9], [16]]
    assert {outcome.batch_ids[0] for outcome in outcomes} == {1}
    assert all(
        outcome.batch_sizes == [4] * len(outcome.results) for outcome in outcomes
    )
    assert batcher.stats.batches == 1
    assert batcher.stats.images == 4


def test_large_request_is_split_by_max_batch():
    run = RecordingRun()
    batcher = Batcher(run, max_batch=4, max_wait_s=0.0)
    batcher.start()
    try:
        outcome = batcher.submit(list(range(10)), timeout_s=10.0)
    finally:
        batcher.stop()

    assert [len(batch) for batch in run.batches] == [4, 4, 2]
    assert outcome.results == [value * value for value in range(10)]
    assert outcome.batch_ids == [1] * 4 + [2] * 4 + [3] * 2


def test_zero_wait_runs_lone_request_at_once():
    run = RecordingRun()
    batcher = Batcher(run, max_batch=8, max_wait_s=0.0)
    batcher.start()
    try:
        started = time.perf_counter()
        outcome = batcher.submit([3], timeout_s=10.0)
        elapsed = time.perf_counter() - started
    finally:
        batcher.stop()

    assert outcome.results == [9]
    assert elapsed < 5.0


def test_failed_batch_fails_its_callers_only():
    run = RecordingRun(fail_on=13)
    batcher = Batcher(run, max_batch=8, max_wait_s=0.0)
    batcher.start()
    try:
        with pytest.raises(RuntimeError, match="cannot draw 13"):
            batcher.submit([13], timeout_s=10.0)
        assert batcher.submit([2], timeout_s=10.0).results == [4]
    finally:
        batcher.stop()

    assert batcher.stats.batches == 2
    assert batcher.stats.images == 1


def test_queue_length_counts_images_waiting_for_batch():
    run = RecordingRun()
    batcher = Batcher(run, max_batch=16, max_wait_s=1.0)
    batcher.start()
    try:
        with ThreadPoolExecutor(1) as pool:
            future = pool.submit(batcher.submit, [1, 2, 3], 10.0)
            deadline = time.monotonic() + 5.0
            while batcher.queue_length < 3 and time.monotonic() < deadline:
                time.sleep(0.01)
            assert batcher.queue_length == 3
            assert future.result().results == [1, 4, 9]
        assert batcher.queue_length == 0
    finally:
        batcher.stop()


def test_stop_fails_waiting_requests():
    run = RecordingRun(delay_s=0.5)
    batcher = Batcher(run, max_batch=1, max_wait_s=0.0)
    batcher.start()
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(batcher.submit, [1], 10.0)
        time.sleep(0.1)
        second = pool.submit(batcher.submit, [2], 10.0)
        time.sleep(0.1)
        batcher.stop()
        assert first.result().results == [1]
        with pytest.raises(BatchClosed):
            second.result()
    with pytest.raises(BatchClosed):
        batcher.submit([3])


def test_submit_times_out():
    release = threading.Event()

    def blocked(specs):
        release.wait(10.0)
        return specs, 1

    batcher = Batcher(blocked, max_batch=1, max_wait_s=0.0)
    batcher.start()
    try:
        with pytest.raises(TimeoutError):
            batcher.submit([1], timeout_s=0.2)
    finally:
        release.set()
        batcher.stop()


def test_invalid_limits_raise():
    with pytest.raises(ValueError, match="max_batch"):
        Batcher(RecordingRun(), max_batch=0, max_wait_s=0.0)
    with pytest.raises(ValueError, match="max_wait_s"):
        Batcher(RecordingRun(), max_batch=1, max_wait_s=-1.0)


def test_tiny_model_batch_matches_separate_calls(tmp_path: Path):
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        model = load_model(save_random_model(tmp_path / "tiny"), CPU)
        passes: list[int] = []

        def run_batch(specs):
            images, forward_passes = generate(model, specs, CPU)
            passes.append(forward_passes)
            return images, forward_passes

        batcher = Batcher(run_batch, max_batch=16, max_wait_s=0.5)
        batcher.start()
        requests = [
            [ImageSpec(((index, 1.0),), ((index + 100, 1.0),), 0.4)]
            for index in (1, 2, 3, 4)
        ]
        try:
            outcomes = run_concurrently(batcher, requests)
        finally:
            batcher.stop()
        separate = [generate(model, request, CPU)[0][0] for request in requests]
    finally:
        torch.set_num_threads(threads)

    assert passes == [1]
    for outcome, image in zip(outcomes, separate, strict=True):
        assert outcome.batch_sizes == [4]
        assert np.abs(outcome.results[0].astype(int) - image.astype(int)).max() <= 1

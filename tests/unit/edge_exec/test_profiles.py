from edge_exec.functions import Function, WasmArtifact
from edge_exec.profiles import MIN_SAMPLES, ProfileBook

STEP = Function("step", WasmArtifact("k.wasm", "run"), "m:f")


def feed(book: ProfileBook, runtime: str, latency: float, peak: float, count: int = MIN_SAMPLES) -> None:
    for _ in range(count):
        book.record("step", runtime, latency, peak, cold=False)


def test_unmeasured_runtimes_are_explored_first_and_process_never_by_default():
    book = ProfileBook()
    assert book.choose(STEP).runtime == "wasm"
    feed(book, "wasm", 0.2, 1.0)
    assert book.choose(STEP).runtime == "container"
    feed(book, "container", 0.1, 8.0)
    assert book.choose(STEP).runtime != "process"


def test_the_faster_runtime_wins_once_measured():
    book = ProfileBook()
    feed(book, "wasm", 5.0, 1.0)
    feed(book, "container", 1.0, 8.0)
    assert book.choose(STEP).runtime == "container"
    feed(book, "wasm", 0.2, 1.0, count=20)         # experience changes the choice
    assert book.choose(STEP).runtime == "wasm"


def test_a_near_tie_goes_to_the_smaller_memory_footprint():
    book = ProfileBook()
    feed(book, "wasm", 1.05, 0.5)
    feed(book, "container", 1.0, 8.0)
    assert book.choose(STEP).runtime == "wasm"


def test_a_step_that_often_starts_cold_goes_where_cold_starts_are_cheap():
    book = ProfileBook()
    feed(book, "container", 35.0, 140.0)
    feed(book, "wasm", 40.0, 3.0)
    book.record("step", "container", 1000.0, 140.0, cold=True)
    book.record("step", "wasm", 270.0, 3.0, cold=True)
    assert book.choose(STEP).runtime == "wasm"       # 40 + 25% x 270 beats 35 + 25% x 1000
    feed(book, "container", 20.0, 140.0, count=64)   # steady traffic: cold starts become rare (2 in 130)
    feed(book, "wasm", 40.0, 3.0, count=64)          # and warm speed decides: 20 + 15 beats 40 + 4
    assert book.choose(STEP).runtime == "container"


def test_a_failing_runtime_is_avoided_and_cold_starts_do_not_count_as_warm():
    book = ProfileBook()
    feed(book, "wasm", 0.1, 1.0)
    feed(book, "container", 1.0, 8.0)
    for _ in range(5):
        book.record("step", "wasm", 0.0, 0.0, cold=False, ok=False)
    assert book.choose(STEP).runtime == "container"
    book.record("step", "container", 90.0, 8.0, cold=True)
    assert book.profile("step", "container").summary()["cold_ms_p50"] == 90.0
    assert book.profile("step", "container").summary()["warm_ms_p50"] == 1.0


def test_profiles_persist():
    book = ProfileBook()
    feed(book, "wasm", 0.3, 2.0)
    again = ProfileBook.from_dict(book.to_dict())
    assert again.summary() == book.summary()

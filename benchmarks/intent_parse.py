"""Benchmark: parse latency of the embedded intent parser (MiniLM + FAISS + rules), single and batch.

    python benchmarks/intent_parse.py --json   # one JSON object on stdout
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

DEV = Path("/work/shared/eval/intents_dev.jsonl")


def main() -> None:
    argparse.ArgumentParser().add_argument("--json", action="store_true")
    t0 = time.perf_counter()
    from cp_agents.retrieval.example_index import default_parser
    parser = default_parser()
    startup = time.perf_counter() - t0
    texts = [json.loads(line)["text"] for line in DEV.read_text().splitlines() if line.strip()]
    parser.parse_many(texts[:4])                                   # warm-up
    single = []
    for text in texts:
        t = time.perf_counter()
        parser.parse(text)
        single.append((time.perf_counter() - t) * 1000)
    batch = []
    for _ in range(5):
        t = time.perf_counter()
        parser.parse_many(texts)
        batch.append((time.perf_counter() - t) * 1000 / len(texts))
    json.dump({"intents": len(texts), "startup_s": round(startup, 2),
               "single_ms": {"min": round(min(single), 2), "median": round(statistics.median(single), 2)},
               "batch_ms_per_intent": {"min": round(min(batch), 2), "median": round(statistics.median(batch), 2)}},
              sys.stdout)
    print()


if __name__ == "__main__":
    main()

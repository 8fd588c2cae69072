"""Time the build on a synthetic corpus and print the figures (`make bench`).

Writes N articles of the template (the project's own articles with their items varied, see
``synthetic.py``) into a scratch copy of the project, then measures:

- the import floor (``python -c "import pandas, pyarrow, pandera.pandas"``) and a one-article build,
  without a cache and with the cache a previous build left (median of 5 each);
- a from-scratch build of N articles (median of 3): wall time, articles per second, peak memory, time per
  stage;
- the rebuild after adding one article to the N (``pipeline build`` and ``make``, median of 3 each);
- a no-op ``make``;
- M HTML pages (the test pages in publishers' layouts, furniture and all, with their items varied): parsing and
  rendering each page to the document model in this process (ms per page), and a from-scratch build of the M
  pages (median of 3, pages per second).

- pathological articles of 1 MB each (a run of spaces in the title, a paragraph or an item; one long
  paragraph; commas, ``and``s or empty headings by the ten thousand; a list of 80,000 items; ...): a build of
  each (no cache, median of 3), beside a build of a tiny article, which is the fixed cost of any build.

Usage: ``python benchmarks/bench.py [--articles 10000] [--pages 10000] [--pathological-kb 1000] [--keep DIR]``
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from synthetic import Templates, name_pool, write_corpus, write_pages  # noqa: E402

PYTHON = sys.executable
SEED = ROOT / "raw" / "immunotherapy-vs-immunosuppression.txt"
TARGETS = {"scratch_s": 10.0, "rss_mb": 1024.0, "one_added_s": 3.0, "noop_make_s": 0.2, "single_ratio": 1.5,
           "page_ms": 2.0, "pathological_s": 2.0}


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "unknown")
    kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    load = os.getloadavg()[0]
    return (f"{os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), {model}, {kib / 2**20:.1f} GiB RAM, "
            f"Python {platform.python_version()}, load average at start {load:.2f}")


def _tree(pid: int) -> list[int]:
    """A process and all its descendants, from /proc."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return found


def _pss_kib(pid: int) -> int:
    """Proportional resident memory (KiB): a page shared with a forked child counts half in each."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        return next(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:"))
    except (OSError, StopIteration, ValueError):
        return 0


def run(command: list[str], cwd: Path = ROOT) -> tuple[float, float, float]:
    """Run a command: (wall seconds, peak RSS of its largest process MiB, peak PSS of its whole tree MiB).

    The PSS of the tree is sampled every quarter of a second (reading it walks the processes' page
    tables: sampled more often, it would slow down what it measures)."""
    errors = tempfile.TemporaryFile()  # (a pipe would fill with a build's warnings, and the build would wait)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
    tree_peak, next_sample = 0, started
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() >= next_sample:
            tree_peak = max(tree_peak, sum(_pss_kib(member) for member in _tree(process.pid)))
            next_sample = time.perf_counter() + 0.25
        time.sleep(0.005)
    wall = time.perf_counter() - started
    errors.seek(0)
    message = errors.read().decode(errors="replace")
    errors.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"bench: {' '.join(map(str, command))} failed:\n{message}")
    return wall, usage.ru_maxrss / 1024, tree_peak / 1024


def best_of(times: int, command: list[str], cwd: Path = ROOT) -> float:
    return min(run(command, cwd)[0] for _ in range(times))


def median_of(times: int, command: list[str], cwd: Path = ROOT) -> float:
    return statistics.median(run(command, cwd)[0] for _ in range(times))


def scratch_project(folder: Path, name: str = "project") -> Path:
    """A copy of the project to run ``make`` in: the code linked, its own raw/, build/ and output/."""
    project = folder / name
    project.mkdir()
    for name in ("pipeline", "schemas", ".venv"):
        (project / name).symlink_to(ROOT / name)
    for name in ("Makefile", "pyproject.toml", "requirements.lock", "requirements-data.lock"):
        shutil.copy2(ROOT / name, project / name)  # keeps the times, so make sees .venv up to date
    return project


def stage_times(raw: Path, cache_dir: Path, out: Path) -> dict[str, float]:
    """One build in this process, stage by stage, with a fresh cache (seconds per stage)."""
    from pipeline import check, parallel, publish, read
    from pipeline.build import extract_folder
    from pipeline.project import read_project

    times = {}
    started = time.perf_counter()
    read.read_corpus(raw)
    times["read articles (alone, for the figure)"] = time.perf_counter() - started
    mark = time.perf_counter()
    extracted = extract_folder(raw_dir=raw, cache_dir=cache_dir)
    times["read, extract (workers, cache written), term tables"] = time.perf_counter() - mark
    mark = time.perf_counter()
    validated = check.validate(extracted.tables, extracted.texts)
    times["validate"] = time.perf_counter() - mark
    mark = time.perf_counter()
    files = publish.render(validated, read_project(), extracted.notes)
    times["export: render"] = time.perf_counter() - mark
    mark = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    parallel.write_into(out, files, parallel.cores())
    times["export: write"] = time.perf_counter() - mark
    times["rows"] = sum(len(frame) for frame in extracted.tables.values())
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--pages", type=int, default=10_000, help="HTML pages to build (0: none).")
    parser.add_argument("--pathological-kb", type=int, default=1000,
                        help="Size of each pathological article in KB (0: none).")
    parser.add_argument("--keep", type=Path, help="Keep the scratch folder here (default: a temporary one).")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    n = args.articles
    print(f"machine: {machine()}")
    try:
        figures = measure(folder, n) if n else {
            "floor_s": median_of(5, [PYTHON, "-c", "import pandas, pyarrow, pandera.pandas"])}
        if args.pages:
            figures |= measure_pages(folder, args.pages)
        if args.pathological_kb:
            figures |= measure_pathological(folder, args.pathological_kb * 1000)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print()
    if n:
        report(figures, n)
    else:
        print(f"{'import floor (pandas, pyarrow, pandera.pandas)':<52} {figures['floor_s']:7.2f} s")
    if args.pages:
        report_pages(figures, args.pages)
    if args.pathological_kb:
        report_pathological(figures, args.pathological_kb)


def pathological_articles(size: int) -> dict[str, str]:
    """Articles of about ``size`` characters, each one shape that a careless pattern or rule makes slow."""
    head = "Alpha Therapy vs Beta Therapy: What to Know\n\nSide effects of alpha therapy\n\n"
    room = size - len(head) - 100
    shapes = {
        "spaces in the title": "Alpha" + " " * room + "Therapy vs Beta Therapy\n\nSide effects\n\n- Rash\n",
        "spaces in a paragraph": head + "Alpha therapy can cause " + " " * room + "rash.\n",
        "spaces in a list item": head + "- Rash" + " " * room + "x\n",
        "one long paragraph": head + "Alpha therapy is taken for pain by some people. " * (room // 48) + "\n",
        "words of 1,000 letters": head + ("x" * 999 + " ") * (room // 1000) + "\n",
        "commas": head + "Alpha therapy can cause " + ", " * (room // 2) + "rash.\n",
        "and, and, and": head + "Alpha therapy can cause " + "rash and " * (room // 9) + "rash.\n",
        "empty side-effect headings": head + "Side effects\n\n" * (room // 14),
        "question lines": head + "Why?\n\n" * (room // 6),
        "tab-separated rows": head + "a\tb\tc\td\n" * (room // 8),
        "list items": head + "".join(f"- Rash {number}\n" for number in range(room // 12)),
    }
    return {name: text[:size] for name, text in shapes.items()}


def measure_pathological(folder: Path, size: int) -> dict:
    print(f"pathological articles of {size // 1000} KB, one build each (no cache, median of 3)...", flush=True)
    tiny = "Alpha Therapy vs Beta Therapy\n\nSide effects of alpha therapy\n\n- Rash\n"
    times = {}
    for number, (name, text) in enumerate({"(a tiny article)": tiny, **pathological_articles(size)}.items()):
        raw = folder / "pathological" / str(number) / "raw"
        raw.mkdir(parents=True)
        (raw / "article.txt").write_text(text, encoding="utf-8")
        times[name] = median_of(3, [PYTHON, "-m", "pipeline", "build", "--raw-dir", str(raw), "--out-dir",
                                    str(raw.parent / "out"), "--no-cache", "--quiet"])
    return {"pathological": times}


def report_pathological(figures: dict, kb: int) -> None:
    times = dict(figures["pathological"])
    tiny = times.pop("(a tiny article)")
    print(f"{'a tiny article (the fixed cost of a build)':<52} {tiny:7.2f} s   {tiny / figures['floor_s']:.1f}x floor")
    for name, seconds in times.items():
        beyond = seconds - tiny
        verdict = "ok" if beyond <= TARGETS["pathological_s"] else f"MISSED (target {TARGETS['pathological_s']})"
        print(f"{f'{kb} KB article: {name}':<52} {seconds:7.2f} s   {beyond:5.2f} s beyond the tiny one  {verdict}")


def parse_times(raw: Path) -> list[float]:
    """Seconds to parse and render each page of a folder to the document model, in this process."""
    from pipeline.parse import parse

    sources = [(str(path), path.read_text(encoding="utf-8")) for path in sorted(raw.glob("*.html"))]
    times = []
    for path, source in sources:
        started = time.perf_counter()
        parse(source, path, "html")
        times.append(time.perf_counter() - started)
    return times


def measure_pages(folder: Path, m: int) -> dict:
    figures: dict = {}
    pages = scratch_project(folder, "pages")
    print(f"writing {m} synthetic HTML pages...", flush=True)
    write_pages(pages / "raw", m)
    print("parsing and rendering each page (in this process, twice: the second is the figure)...", flush=True)
    parse_times(pages / "raw")
    times = parse_times(pages / "raw")
    figures["page_ms"] = 1000 * statistics.mean(times)
    figures["page_p99_ms"] = 1000 * sorted(times)[int(0.99 * (len(times) - 1))]
    print(f"from-scratch build of {m} pages (pipeline build, empty cache; 3 runs)...", flush=True)
    build = [PYTHON, "-m", "pipeline", "build", "--raw-dir", "raw", "--out-dir", "output", "--quiet"]
    runs = []
    for _ in range(3):
        shutil.rmtree(pages / "build", ignore_errors=True)
        os.sync()
        runs.append(run(build, pages))
    figures["pages_runs"] = [wall for wall, _, _ in runs]
    figures["pages_s"] = statistics.median(figures["pages_runs"])
    figures["pages_rss_mb"] = max(rss for _, rss, _ in runs)
    return figures


def report_pages(figures: dict, m: int) -> None:
    page_ms = figures["page_ms"]
    verdict = "ok" if page_ms <= TARGETS["page_ms"] else f"MISSED (target {TARGETS['page_ms']})"
    print(f"{f'{m} HTML pages: parse and render, mean per page':<52} {page_ms:7.2f} ms  {verdict}   "
          f"99th percentile {figures['page_p99_ms']:.2f} ms")
    print(f"{f'{m} HTML pages from scratch (pipeline build, median)':<52} {figures['pages_s']:7.2f} s   "
          f"{m / figures['pages_s']:.0f} pages/s  {figures['pages_s'] / figures['floor_s']:.1f}x floor   "
          f"runs: {', '.join(f'{wall:.2f}' for wall in figures['pages_runs'])}")
    print(f"{'  peak RSS, largest process':<52} {figures['pages_rss_mb']:7.0f} MiB")


def measure(folder: Path, n: int) -> dict:
    figures: dict = {}
    pipeline = [PYTHON, "-m", "pipeline"]

    print("import floor and one-article builds (median of 5)...", flush=True)
    figures["floor_s"] = median_of(5, [PYTHON, "-c", "import pandas, pyarrow, pandera.pandas"])
    single = folder / "single"
    one = pipeline + ["build", "--raw-dir", str(SEED.parent), "--out-dir", str(single / "out"), "--report",
                      str(single / "report.csv"), "--quiet"]
    figures["single_s"] = median_of(5, one + ["--no-cache"])
    run(one + ["--cache-dir", str(single / "cache")])  # fills the cache, as a previous build would
    figures["single_warm_s"] = median_of(5, one + ["--cache-dir", str(single / "cache")])

    project = scratch_project(folder)
    raw = project / "raw"
    print(f"writing {n} synthetic articles...", flush=True)
    write_corpus(raw, n)

    print(f"from-scratch build of {n} (pipeline build, empty cache; 3 runs)...", flush=True)
    build = pipeline + ["build", "--raw-dir", "raw", "--out-dir", "output", "--quiet"]
    scratch = []
    for _ in range(3):
        shutil.rmtree(project / "build", ignore_errors=True)
        os.sync()  # the articles just written are not still being flushed while the build runs
        scratch.append(run(build, project))
    figures["scratch_runs"] = [wall for wall, _, _ in scratch]
    figures["scratch_s"] = statistics.median(figures["scratch_runs"])
    figures["rss_mb"] = max(rss for _, rss, _ in scratch)
    figures["tree_rss_mb"] = max(tree for _, _, tree in scratch)

    print("adding one article (new names too), rebuilding (pipeline build, 3 times)...", flush=True)
    rng = random.Random(n)
    extra = []
    for attempt in range(3):
        article = raw / f"article-added-{attempt}.txt"
        article.write_text(Templates().variant(attempt, name_pool(500, rng), rng), encoding="utf-8")
        extra.append(run(build, project)[0])
    figures["one_added_runs"] = extra
    figures["one_added_s"] = statistics.median(extra)
    figures["unchanged_s"] = median_of(3, build, project)

    print("make: full run, no-op runs (best of 5), one article added (3 times)...", flush=True)
    for stale in ("build", "output"):  # output/ too: make rebuilds a dataset that is missing or out of date
        shutil.rmtree(project / stale, ignore_errors=True)
    figures["make_full_s"] = run(["make", "-s"], project)[0]
    figures["noop_make_s"] = best_of(5, ["make", "-s"], project)
    made = []
    for attempt in range(3):
        article = raw / f"article-made-{attempt}.txt"
        article.write_text(Templates().variant(attempt + 3, name_pool(500, rng), rng), encoding="utf-8")
        made.append(run(["make", "-s"], project)[0])
    figures["make_one_added_runs"] = made
    figures["make_one_added_s"] = statistics.median(made)

    print("stage by stage, in one process, empty cache...", flush=True)
    figures["stages"] = stage_times(raw, folder / "stage-cache", folder / "stage-out")
    return figures


def report(figures: dict, n: int) -> None:
    def verdict(key: str, value: float) -> str:
        return "ok" if value <= TARGETS[key] else f"MISSED (target {TARGETS[key]})"

    ratio = figures["single_s"] / figures["floor_s"]
    stages = dict(figures["stages"])
    rows = stages.pop("rows")
    print(f"{'import floor (pandas, pyarrow, pandera.pandas)':<52} {figures['floor_s']:7.2f} s")
    warm = figures["single_warm_s"] / figures["floor_s"]
    print(f"{'one-article build (seed, no cache)':<52} {figures['single_s']:7.2f} s   "
          f"{ratio:.2f}x floor  {verdict('single_ratio', ratio)}")
    print(f"{'one-article build (seed, warm cache)':<52} {figures['single_warm_s']:7.2f} s   "
          f"{warm:.2f}x floor  {verdict('single_ratio', warm)}")
    print(f"{f'{n} articles from scratch (pipeline build, median)':<52} {figures['scratch_s']:7.2f} s   "
          f"{n / figures['scratch_s']:.0f} articles/s  {verdict('scratch_s', figures['scratch_s'])}   "
          f"runs: {', '.join(f'{wall:.2f}' for wall in figures['scratch_runs'])}")
    print(f"{'  peak RSS, largest process':<52} {figures['rss_mb']:7.0f} MiB {verdict('rss_mb', figures['rss_mb'])}")
    print(f"{'  peak PSS, all processes summed (sampled)':<52} {figures['tree_rss_mb']:7.0f} MiB")
    print(f"{f'one article added to {n}, rebuilt (median)':<52} {figures['one_added_s']:7.2f} s   "
          f"{verdict('one_added_s', figures['one_added_s'])}   "
          f"runs: {', '.join(f'{wall:.2f}' for wall in figures['one_added_runs'])}")
    print(f"{'nothing changed, rebuilt (median of 3)':<52} {figures['unchanged_s']:7.2f} s")
    print(f"{f'make, {n} from scratch':<52} {figures['make_full_s']:7.2f} s")
    print(f"{'make, one article added (median)':<52} {figures['make_one_added_s']:7.2f} s   "
          f"{verdict('one_added_s', figures['make_one_added_s'])}   "
          f"runs: {', '.join(f'{wall:.2f}' for wall in figures['make_one_added_runs'])}")
    print(f"{'make, nothing to do':<52} {figures['noop_make_s']:7.3f} s   "
          f"{verdict('noop_make_s', figures['noop_make_s'])}")
    print(f"stages of a from-scratch build in one process ({rows} rows):")
    for stage, seconds in stages.items():
        print(f"  {stage:<50} {seconds:7.2f} s")


if __name__ == "__main__":
    main()

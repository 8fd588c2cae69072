"""The caches are disposable and never trusted blindly: a damaged, foreign or planted cache file costs time,
never a traceback and never different data (issue: data safety)."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import random
import shutil
import subprocess

import pytest
from conftest import ARTICLES
from faults_support import SEED, build, raw_folder, snapshot

from pipeline import build as builder
from pipeline.store import cache


def raw_in(folder):
    raw = raw_folder(folder, "sound-article.txt")
    shutil.copyfile(SEED, raw / SEED.name)
    shutil.copyfile(ARTICLES / "targeted-vs-hormone.txt", raw / "targeted-vs-hormone.txt")
    return raw


@pytest.fixture
def raw(tmp_path):
    return raw_in(tmp_path)


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """The dataset of a build of the same articles without any cache: what every build below must give, byte
    for byte (made once: it does not depend on the test)."""
    folder = tmp_path_factory.mktemp("clean")
    result, out_dir = build(folder, raw_in(folder), "--no-cache", out="clean")
    assert (result.exit_code, result.stderr) == (0, "")
    return snapshot(out_dir)


def built(tmp_path, raw, cache_dir, out: str = "out"):
    result, out_dir = build(tmp_path, raw, "--cache-dir", str(cache_dir), out=out)
    return result, snapshot(out_dir) if out_dir.exists() else None


def memo_of(cache_dir):
    (path,) = cache_dir.glob("terms-*.json")
    return path


def test_one_changed_digit_in_the_term_memo_changes_nothing(tmp_path, raw, clean):
    cache_dir = tmp_path / "cache"
    assert built(tmp_path, raw, cache_dir)[1] == clean
    path = memo_of(cache_dir)
    data = path.read_bytes()
    at = data.index(b'"term_id":"HP:') + len(b'"term_id":"HP:')
    digit = data[at:at + 1]
    path.write_bytes(data[:at] + (b"1" if digit != b"1" else b"2") + data[at + 1:])
    assert built(tmp_path, raw, cache_dir, "again")[1] == clean
    assert cache.read_memo(memo_of(cache_dir)) is not None  # made again, whole
    assert built(tmp_path, raw, cache_dir, "third")[1] == clean


@pytest.mark.parametrize("shape", [{}, [], {"matches": [], "xrefs": {}, "versions": {}}, "text", None],
                         ids=["empty_object", "empty_list", "matches_not_an_object", "a_string", "null"])
def test_a_memo_of_the_wrong_shape_with_a_right_checksum_is_ignored(tmp_path, raw, clean, shape):
    cache_dir = tmp_path / "cache"
    built(tmp_path, raw, cache_dir)
    memo_of(cache_dir).write_bytes(cache.memo_bytes(shape))
    result, produced = built(tmp_path, raw, cache_dir, "again")
    assert (result.exit_code, result.stderr, produced == clean) == (0, "", True)


def test_a_planted_pickle_never_runs(tmp_path, raw, clean):
    """A pickle that would run a command, planted as a pack and as the memo: read as data, it is refused."""
    marker = tmp_path / "ran"

    class Planted:
        def __reduce__(self):
            return os.system, (f"touch {marker}",)

    cache_dir = tmp_path / "cache"
    built(tmp_path, raw, cache_dir)
    planted = pickle.dumps(Planted())
    (cache_dir / "0000.pack").write_bytes(planted)
    memo_of(cache_dir).write_bytes(planted)
    body = b"x" * 8 + planted
    (cache_dir / "0001.pack").write_bytes(cache.PACK_FORMAT + hashlib.sha256(body).digest() + body)
    result, produced = built(tmp_path, raw, cache_dir, "again")
    assert (result.exit_code, result.stderr, produced == clean) == (0, "", True)
    assert not marker.exists()
    assert (cache_dir / "0000.pack").exists()  # not recognised as ours: left alone


def test_a_file_where_the_cache_folder_should_be_gives_a_warning_and_a_build_without_it(tmp_path, raw, clean):
    blocker = tmp_path / "cache"
    blocker.write_text("my notes")
    result, produced = built(tmp_path, raw, blocker)
    assert result.exit_code == 0 and produced == clean
    assert result.stderr == f"warning: {blocker}: cannot write the cache (File exists); building without it\n"
    assert blocker.read_text() == "my notes"


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["read_only", "full"])
def test_a_cache_folder_that_cannot_be_written_gives_a_warning_and_a_build_without_it(tmp_path, raw, clean, kind):
    disk = tmp_path / "disk"
    disk.mkdir()
    options = "size=64k,ro" if kind == "read_only" else "size=64k"
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        if kind == "full":
            (disk / "filler").write_bytes(b"\1" * (64 * 1024 - 4096))
        cache_dir = disk / "cache" if kind == "full" else disk
        result, produced = built(tmp_path, raw, cache_dir)
        reason = "Read-only file system" if kind == "read_only" else "No space left on device"
        assert result.exit_code == 0 and produced == clean
        assert result.stderr == f"warning: {cache_dir}: cannot write the cache ({reason}); building without it\n"
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def _mutations(rng: random.Random, data: bytes) -> bytes:
    choice = rng.randrange(7)
    if choice == 0 and data:  # flip a byte
        at = rng.randrange(len(data))
        return data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1:]
    if choice == 1:  # truncate
        return data[:rng.randrange(len(data) + 1)]
    if choice == 2:  # append
        return data + rng.randbytes(rng.randrange(1, 64))
    if choice == 3:  # another shape of JSON
        return json.dumps(rng.choice([{}, [], {"keys": []}, "x", 1])).encode()
    if choice == 4:  # nothing
        return b""
    if choice == 5:  # random bytes
        return rng.randbytes(rng.randrange(1, 512))
    at = rng.randrange(len(data) + 1)  # a run of zeros, as a torn write leaves
    return data[:at] + bytes(rng.randrange(1, 128)) + data[at:]


@pytest.mark.slow
def test_cache_files_mutated_at_random_never_change_the_bytes(tmp_path, raw, clean, monkeypatch):
    """Packs, memo and the kept ontology index, damaged at random before each of many builds."""
    env = tmp_path / "env"
    monkeypatch.setattr(builder, "index_folder", lambda: env)
    cache_dir = tmp_path / "cache"
    rng = random.Random(20261201)
    assert built(tmp_path, raw, cache_dir)[1] == clean
    for attempt in range(24):
        files = sorted(p for folder in (cache_dir, env) for p in folder.iterdir() if p.is_file())
        for path in rng.sample(files, rng.randint(1, len(files))):
            path.write_bytes(_mutations(rng, path.read_bytes()))
        result, produced = built(tmp_path, raw, cache_dir, f"out-{attempt}")
        assert (result.exit_code, result.stderr) == (0, ""), attempt
        assert produced == clean, attempt
        shutil.rmtree(tmp_path / f"out-{attempt}")

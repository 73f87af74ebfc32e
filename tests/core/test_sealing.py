"""Sealed backups: right passphrase restores; wrong passphrase, a changed, cut or extended file are refused."""

from __future__ import annotations

import pytest

from rightstrack.core import sealing


@pytest.fixture
def plain(tmp_path):
    path = tmp_path / "plain.bin"
    # Three chunks and a bit, so ordering and the last-chunk mark are exercised.
    path.write_bytes(bytes(range(256)) * (3 * sealing.CHUNK // 256) + b"tail")
    return path


def test_round_trip(plain, tmp_path):
    sealed, opened = tmp_path / "s", tmp_path / "o"
    sealing.seal(plain, sealed, "correct horse battery staple")
    assert sealing.is_sealed(sealed) and b"tail" not in sealed.read_bytes()
    sealing.unseal(sealed, opened, "correct horse battery staple")
    assert opened.read_bytes() == plain.read_bytes()


@pytest.mark.parametrize("damage", ["passphrase", "flip", "cut", "extend", "swap"])
def test_tampering_is_refused(plain, tmp_path, damage):
    sealed, opened = tmp_path / "s", tmp_path / "o"
    sealing.seal(plain, sealed, "right")
    data = bytearray(sealed.read_bytes())
    header = len(sealing.MAGIC) + 16 + 7
    step = 4 + sealing.CHUNK + 16  # length, chunk, tag
    if damage == "flip":
        data[header + 100] ^= 1
    elif damage == "cut":
        data = data[: header + 2 * step]  # whole chunks, the last one missing
    elif damage == "extend":
        data += data[header : header + step]
    elif damage == "swap":
        data[header : header + 2 * step] = data[header + step : header + 2 * step] + data[header : header + step]
    sealed.write_bytes(bytes(data))
    with pytest.raises(sealing.SealError):
        sealing.unseal(sealed, opened, "wrong" if damage == "passphrase" else "right")


def test_a_plain_file_is_not_sealed(plain, tmp_path):
    assert not sealing.is_sealed(plain)
    with pytest.raises(sealing.SealError):
        sealing.unseal(plain, tmp_path / "o", "x")

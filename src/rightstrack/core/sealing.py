"""Backups sealed with a passphrase: AES-256-GCM in 1 MiB chunks, the key derived with scrypt.

A seized laptop or a lost USB stick must not give away victims' names. Each chunk is authenticated and
numbered, and the last one is marked, so a changed, reordered or cut file is refused as a whole.

File: MAGIC · salt (16 bytes) · nonce prefix (7) · chunks of [length (4, big-endian) · ciphertext].
Nonce of chunk i: prefix · i (4 bytes) · 1 if last else 0 (1 byte).
"""

from __future__ import annotations

import hashlib
import os
import struct
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"RIGHTSTRACK-SEALED-1\n"
CHUNK = 1 << 20
SCRYPT = {"n": 2**15, "r": 8, "p": 1, "maxmem": 64 * 2**20, "dklen": 32}


class SealError(ValueError):
    """A wrong passphrase, or a damaged or changed sealed file."""


def is_sealed(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(len(MAGIC)) == MAGIC


def _key(passphrase: str, salt: bytes) -> bytes:
    return hashlib.scrypt(passphrase.encode(), salt=salt, **SCRYPT)


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", index, 1 if last else 0)


def seal(source: Path, target: Path, passphrase: str) -> None:
    """Write `source` encrypted with `passphrase` to `target`."""
    if not passphrase:
        raise SealError("A passphrase is needed to seal a file.")
    salt, prefix = os.urandom(16), os.urandom(7)
    aead = AESGCM(_key(passphrase, salt))
    with open(source, "rb") as src, open(target, "wb") as out:
        out.write(MAGIC + salt + prefix)
        index, chunk = 0, src.read(CHUNK)
        while True:
            following = src.read(CHUNK)
            sealed = aead.encrypt(_nonce(prefix, index, not following), chunk, MAGIC)
            out.write(struct.pack(">I", len(sealed)) + sealed)
            if not following:
                return
            index, chunk = index + 1, following


def unseal(source: Path, target: Path, passphrase: str) -> None:
    """Decrypt `source` into `target`; SealError when the passphrase is wrong or the file was changed."""
    with open(source, "rb") as src, open(target, "wb") as out:
        if src.read(len(MAGIC)) != MAGIC:
            raise SealError("This file is not a sealed backup.")
        salt, prefix = src.read(16), src.read(7)
        aead = AESGCM(_key(passphrase, salt))
        index, last = 0, False
        while not last:
            header = src.read(4)
            if len(header) != 4:
                raise SealError("The sealed backup is cut short.")
            (length,) = struct.unpack(">I", header)
            sealed = src.read(length)
            last = src.peek(1) == b""  # nothing after this chunk: it must be the one sealed as last
            try:
                out.write(aead.decrypt(_nonce(prefix, index, last), sealed, MAGIC))
            except InvalidTag:
                raise SealError("Wrong passphrase, or the backup was damaged or changed.") from None
            index += 1

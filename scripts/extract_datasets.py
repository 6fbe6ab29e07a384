#!/usr/bin/env python3
"""Extracts the two real data sets Steepest ships from the scikit-learn wheel on PyPI, once.

  digits: sklearn/datasets/data/digits.csv.gz -> data/digits.bin
          1797 rows of 65 bytes: 64 pixel intensities (0..16) then the label (0..9).
  breast cancer: sklearn/datasets/data/breast_cancer.csv -> data/breast_cancer.bin
          569 rows of 121 bytes: 30 features as little-endian float32, then the label
          (0 malignant, 1 benign).

Run: python3 scripts/extract_datasets.py   (needs pip and the PyPI registry; writes data/)
The SHA-256 of each file is printed; src/data/mod.rs records them and a test checks them.
"""
import csv
import gzip
import hashlib
import io
import os
import struct
import subprocess
import sys
import tempfile
import zipfile

SKLEARN = "scikit-learn==1.9.1"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.check_call([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:", SKLEARN, "-d", tmp])
        wheel = next(os.path.join(tmp, f) for f in os.listdir(tmp) if f.endswith(".whl"))
        z = zipfile.ZipFile(wheel)
        digits = gzip.decompress(z.read("sklearn/datasets/data/digits.csv.gz")).decode()
        cancer = z.read("sklearn/datasets/data/breast_cancer.csv").decode()

    out = bytearray()
    rows = [r for r in csv.reader(io.StringIO(digits)) if r]
    for r in rows:
        values = [int(float(v)) for v in r]
        assert len(values) == 65 and all(0 <= v <= 16 for v in values[:64]) and 0 <= values[64] <= 9
        out += bytes(values)
    assert len(rows) == 1797
    write("digits.bin", out)

    out = bytearray()
    reader = csv.reader(io.StringIO(cancer))
    header = next(reader)
    assert header[:2] == ["569", "30"], header
    rows = [r for r in reader if r]
    for r in rows:
        out += struct.pack("<30f", *[float(v) for v in r[:30]]) + bytes([int(r[30])])
    assert len(rows) == 569
    write("breast_cancer.bin", out)


def write(name, data):
    path = os.path.join(ROOT, "data", name)
    with open(path, "wb") as f:
        f.write(data)
    print(f"{name}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}")


if __name__ == "__main__":
    main()

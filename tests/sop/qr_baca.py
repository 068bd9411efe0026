"""A small QR code reader for tests: module matrix in, text out.

No decoder package is installed, so the receipt tests read the QR code themselves: sample the
image the PDF embeds into a module matrix, try the 8 masks x 4 error levels (strongest first) and accept the
first whose Reed-Solomon blocks all check (zero syndromes); then parse numeric, alphanumeric and byte
segments. It corrects no errors (the image comes straight from the PDF) and uses segno's copy
of the standard's tables (block structure, alignment positions), nothing of its encoder.
"""

from __future__ import annotations

from segno import consts

ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
MASKS = [
    lambda r, c: (r + c) % 2 == 0,
    lambda r, c: r % 2 == 0,
    lambda r, c: c % 3 == 0,
    lambda r, c: (r + c) % 3 == 0,
    lambda r, c: (r // 2 + c // 3) % 2 == 0,
    lambda r, c: (r * c) % 2 + (r * c) % 3 == 0,
    lambda r, c: ((r * c) % 2 + (r * c) % 3) % 2 == 0,
    lambda r, c: ((r + c) % 2 + (r * c) % 3) % 2 == 0,
]


def matriks_dari_gambar(img) -> list[list[int]]:
    """A PIL image of a QR code (any scale, light quiet zone) -> rows of 0/1 modules."""
    g = img.convert("L")
    w, h = g.size
    px = g.load()

    def gelap(x, y):
        return px[x, y] < 128

    y0 = next(y for y in range(h) if any(gelap(x, y) for x in range(w)))
    x0 = next(x for x in range(w) if gelap(x, y0))
    run = 0
    while x0 + run < w and gelap(x0 + run, y0):
        run += 1
    m = run / 7  # the finder pattern's top edge is 7 modules
    x1 = max(x for x in range(w) if gelap(x, y0))
    n = round((x1 - x0 + 1) / m)
    return [
        [1 if gelap(int(x0 + (c + 0.5) * m), int(y0 + (r + 0.5) * m)) else 0 for c in range(n)]
        for r in range(n)
    ]


def _tercadang(n: int, versi: int) -> list[list[bool]]:
    """Function patterns (finders, separators, format, timing, alignment, version, dark)."""
    f = [[False] * n for _ in range(n)]

    def isi(r0, c0, tinggi, lebar):
        for r in range(max(r0, 0), min(r0 + tinggi, n)):
            for c in range(max(c0, 0), min(c0 + lebar, n)):
                f[r][c] = True

    isi(0, 0, 9, 9)
    isi(0, n - 8, 9, 8)
    isi(n - 8, 0, 8, 9)
    isi(6, 0, 1, n)
    isi(0, 6, n, 1)
    if versi >= 2:
        pos = consts.ALIGNMENT_POS[versi - 2]
        for r in pos:
            for c in pos:
                if (r < 9 and c < 9) or (r < 9 and c > n - 10) or (r > n - 10 and c < 9):
                    continue
                isi(r - 2, c - 2, 5, 5)
    if versi >= 7:
        isi(0, n - 11, 6, 3)
        isi(n - 11, 0, 3, 6)
    return f


def _bit_data(mat, tercadang, mask) -> list[int]:
    n = len(mat)
    bits = []
    naik = True
    c = n - 1
    while c > 0:
        if c == 6:
            c -= 1
        baris = range(n - 1, -1, -1) if naik else range(n)
        for r in baris:
            for cc in (c, c - 1):
                if not tercadang[r][cc]:
                    bits.append(mat[r][cc] ^ (1 if MASKS[mask](r, cc) else 0))
        naik = not naik
        c -= 2
    return bits


def _gf_mul(a, b):
    if a == 0 or b == 0:
        return 0
    return consts.GALIOS_EXP[(consts.GALIOS_LOG[a] + consts.GALIOS_LOG[b]) % 255]


def _rs_ok(blok: list[int], n_ec: int) -> bool:
    for j in range(n_ec):
        x = consts.GALIOS_EXP[j]
        s = 0
        for b in blok:
            s = _gf_mul(s, x) ^ b
        if s:
            return False
    return True


def _blok(codewords: list[int], info) -> list[int] | None:
    """De-interleave; return the data codewords when every block checks, else None."""
    sizes = []
    for ec in info:
        sizes += [(ec.num_data, ec.num_total - ec.num_data)] * ec.num_blocks
    data = [[] for _ in sizes]
    i = 0
    for k in range(max(d for d, _ in sizes)):
        for b, (d, _) in enumerate(sizes):
            if k < d:
                data[b].append(codewords[i])
                i += 1
    ecc = [[] for _ in sizes]
    n_ec = sizes[0][1]
    for _k in range(n_ec):
        for b in range(len(sizes)):
            ecc[b].append(codewords[i])
            i += 1
    if not all(_rs_ok(data[b] + ecc[b], n_ec) for b in range(len(sizes))):
        return None
    return [x for blok in data for x in blok]


def _parse(data: list[int], versi: int) -> str:
    bits = "".join(f"{b:08b}" for b in data)
    pos = 0

    def ambil(k):
        nonlocal pos
        v = int(bits[pos : pos + k], 2)
        pos += k
        return v

    lebar = {1: (10, 12, 14), 2: (9, 11, 13), 4: (8, 16, 16)}
    kelas = 0 if versi <= 9 else (1 if versi <= 26 else 2)
    keluar = bytearray()
    while pos + 4 <= len(bits):
        mode = ambil(4)
        if mode == 0:
            break
        if mode == 7:  # ECI: one-byte designator is enough here
            ambil(8)
            continue
        n = ambil(lebar[mode][kelas])
        if mode == 4:
            keluar += bytes(ambil(8) for _ in range(n))
        elif mode == 2:
            for _ in range(n // 2):
                v = ambil(11)
                keluar += (ALNUM[v // 45] + ALNUM[v % 45]).encode()
            if n % 2:
                keluar += ALNUM[ambil(6)].encode()
        elif mode == 1:
            for _ in range(n // 3):
                keluar += f"{ambil(10):03d}".encode()
            if n % 3 == 1:
                keluar += f"{ambil(4)}".encode()
            elif n % 3 == 2:
                keluar += f"{ambil(7):02d}".encode()
        else:
            raise ValueError(f"mode {mode} not supported")
    try:
        return keluar.decode("utf-8")
    except UnicodeDecodeError:  # the standard's default byte encoding
        return keluar.decode("latin-1")


def _n_ec(info) -> int:
    return sum(ec.num_blocks * (ec.num_total - ec.num_data) for ec in info)


def baca_matriks(mat: list[list[int]]) -> str:
    n = len(mat)
    versi = (n - 17) // 4
    if n != 17 + 4 * versi or not 1 <= versi <= 40:
        raise ValueError(f"not a QR size: {n}")
    tercadang = _tercadang(n, versi)
    for mask in range(8):
        bits = _bit_data(mat, tercadang, mask)
        codewords = [int("".join(map(str, bits[i : i + 8])), 2) for i in range(0, len(bits) - 7, 8)]
        # most error correction first: a stronger code's blocks also pass a weaker check
        # when both split the symbol into the same block lengths (3-H and 3-Q)
        for info in sorted(consts.ECC[versi].values(), key=lambda i: -_n_ec(i)):
            total = sum(ec.num_blocks * ec.num_total for ec in info)
            data = _blok(codewords[:total], info)
            if data is not None:
                return _parse(data, versi)
    raise ValueError("no error level / mask gives valid Reed-Solomon blocks")


def baca_gambar(img) -> str:
    return baca_matriks(matriks_dari_gambar(img))

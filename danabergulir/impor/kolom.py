"""Column specs of the two imports (header names and aliases as offices and banks write them)."""

from sop.lembar import Jenis, Kolom

KOLOM_PINJAMAN: tuple[Kolom, ...] = (
    Kolom(
        "nomor",
        "No Pinjaman",
        ("Nomor Pinjaman", "No. Pinjaman", "No Perjanjian", "Nomor Perjanjian", "No Rekening"),
        max_len=40,
        teks=True,
        lebar=18,
    ),
    Kolom(
        "nama",
        "Nama Debitur",
        ("Nama", "Debitur", "Nama Peminjam", "Nama Penerima", "Nama Koperasi/UMKM"),
        max_len=200,
        lebar=30,
    ),
    Kolom("jenis", "Jenis", ("Jenis Debitur", "Koperasi/UMKM", "Jenis Usaha"), max_len=30),
    Kolom(
        "nik",
        "NIK / NIK Koperasi",
        ("NIK", "NIK Koperasi", "No NIK", "Nomor Induk Koperasi", "NIK/NIK Koperasi"),
        jenis=Jenis.NIK,
        sebutan="NIK",
        lebar=20,
    ),
    Kolom("kecamatan", "Kecamatan", ("Kec",), max_len=120),
    Kolom(
        "desa",
        "Desa/Kelurahan",
        ("Desa", "Kelurahan", "Kelurahan/Desa", "Desa/Kel"),
        required=False,
        max_len=120,
    ),
    Kolom(
        "plafon",
        "Plafon",
        ("Plafon Pinjaman", "Jumlah Pinjaman", "Pokok Pinjaman", "Nilai Pinjaman"),
        jenis=Jenis.UANG,
    ),
    Kolom(
        "jasa",
        "Jasa (% per tahun)",
        ("Jasa", "Jasa per tahun", "Jasa Pertahun", "Bunga", "Bunga per tahun"),
        jenis=Jenis.PERSEN,
        sebutan="Jasa",
    ),
    Kolom("metode", "Metode", ("Metode Jasa", "Sistem Angsuran", "Metode Angsuran"), max_len=30),
    Kolom(
        "tenor",
        "Tenor (bulan)",
        ("Tenor", "Jangka Waktu", "Jangka Waktu (bulan)", "Lama Pinjaman"),
        jenis=Jenis.ANGKA,
        sebutan="Tenor",
    ),
    Kolom(
        "pencairan",
        "Tanggal Pencairan",
        ("Tgl Pencairan", "Tanggal Realisasi", "Tgl Realisasi", "Tanggal Cair"),
        jenis=Jenis.TANGGAL,
    ),
    Kolom(
        "pertama",
        "Jatuh Tempo Angsuran Pertama",
        ("Jatuh Tempo Pertama", "Angsuran Pertama", "Tgl Angsuran Pertama", "Jatuh Tempo I"),
        jenis=Jenis.TANGGAL,
    ),
)

KOLOM_REKENING: tuple[Kolom, ...] = (
    Kolom(
        "tanggal",
        "Tanggal",
        ("Tgl", "Tanggal Transaksi", "Tgl Transaksi", "Tanggal Valuta", "Date", "Post Date"),
        required=False,
        jenis=Jenis.TANGGAL,
    ),
    Kolom(
        "keterangan",
        "Keterangan",
        (
            "Uraian",
            "Uraian Transaksi",
            "Keterangan Transaksi",
            "Deskripsi",
            "Description",
            "Remark",
            "Berita",
        ),
        required=False,
        max_len=500,
    ),
    Kolom(
        "referensi",
        "No. Referensi",
        ("No Referensi", "Referensi", "No Ref", "Ref", "Reference", "Reference No", "No Bukti"),
        required=False,
        max_len=80,
        teks=True,
    ),
    Kolom(
        "debet",
        "Debet",
        ("Debit", "Mutasi Debet", "Mutasi Debit", "DB"),
        required=False,
        jenis=Jenis.UANG,
    ),
    Kolom("kredit", "Kredit", ("Credit", "Mutasi Kredit", "CR"), required=False, jenis=Jenis.UANG),
    Kolom("saldo", "Saldo", ("Balance", "Saldo Akhir"), required=False, jenis=Jenis.UANG),
)

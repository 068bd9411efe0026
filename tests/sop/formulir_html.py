"""Read an HTML form's current values the way a browser would submit them (for admin tests)."""

from html.parser import HTMLParser


class _Form(HTMLParser):
    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id, self.dalam, self.data = form_id, False, []
        self._textarea = self._select = None
        self._opsi_pertama = None
        self._terpilih = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.dalam = self.form_id is None or a.get("id") == self.form_id
            return
        if not self.dalam:
            return
        if tag == "input" and a.get("name") and "__prefix__" not in a["name"]:
            jenis = a.get("type", "text")
            if jenis in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.append((a["name"], a.get("value", "on")))
            elif jenis not in ("submit", "button", "file", "image"):
                self.data.append((a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name") and "__prefix__" not in a["name"]:
            self._textarea = [a["name"], ""]
        elif tag == "select" and a.get("name") and "__prefix__" not in a["name"]:
            self._select, self._opsi_pertama, self._terpilih = a["name"], None, False
        elif tag == "option" and self._select:
            if self._opsi_pertama is None:
                self._opsi_pertama = a.get("value", "")
            if "selected" in a:
                self.data.append((self._select, a.get("value", "")))
                self._terpilih = True

    def handle_endtag(self, tag):
        if tag == "form":
            self.dalam = False
        elif tag == "textarea" and self._textarea:
            nama, teks = self._textarea
            self.data.append((nama, teks[1:] if teks.startswith("\n") else teks))
            self._textarea = None
        elif tag == "select" and self._select:
            if not self._terpilih and self._opsi_pertama is not None:
                self.data.append((self._select, self._opsi_pertama))
            self._select = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data


def isi_formulir(html: str, form_id: str | None = None) -> list[tuple[str, str]]:
    """(name, value) pairs of the form (the first form, or the one with ``form_id``)."""
    p = _Form(form_id)
    p.feed(html)
    return p.data


def ganti(data: list[tuple[str, str]], nama: str, nilai: str | None) -> list[tuple[str, str]]:
    """Set a field (remove it with None; a checkbox is absent when unticked)."""
    hasil = [(k, v) for k, v in data if k != nama]
    if nilai is not None:
        hasil.append((nama, nilai))
    return hasil


def sebagai_dict(data: list[tuple[str, str]]) -> dict:
    d: dict[str, list[str]] = {}
    for k, v in data:
        d.setdefault(k, []).append(v)
    return {k: v if len(v) > 1 else v[0] for k, v in d.items()}

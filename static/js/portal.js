/* Portal behaviour (vendored, no inline scripts: the CSP allows only scripts with a nonce).
 * - the phone menu: a real button with aria-expanded / aria-controls, Escape closes it;
 * - a failed form: focus moves to its error summary, whose links lead to the fields;
 * - a table wider than the screen scrolls inside .table-wrap: that region gets keyboard focus
 *   and a name (its table's caption or its section's heading). */
(function () {
  "use strict";

  function siapkanMenu() {
    var tombol = document.querySelector("[data-menu-tombol]");
    if (!tombol) return;
    var menu = document.getElementById(tombol.getAttribute("aria-controls"));
    if (!menu) return;
    function atur(buka) {
      tombol.setAttribute("aria-expanded", buka ? "true" : "false");
      menu.classList.toggle("terbuka", buka);
    }
    tombol.addEventListener("click", function () {
      atur(tombol.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && tombol.getAttribute("aria-expanded") === "true") {
        atur(false);
        tombol.focus();
      }
    });
  }

  function fokusRingkasanGalat() {
    var ringkasan = document.querySelector("[data-ringkasan-galat]");
    if (ringkasan) ringkasan.focus();
  }

  function namaWilayah(el) {
    var cap = el.querySelector("caption");
    if (cap && cap.textContent.trim()) return cap.textContent.trim();
    var bagian = el.closest("section, main");
    var judul = bagian && bagian.querySelector("h2, h1");
    if (judul && judul.textContent.trim()) return judul.textContent.trim();
    return document.documentElement.lang === "en" ? "Table" : "Tabel";
  }

  function siapkanTabelGulir(akar) {
    (akar || document).querySelectorAll(".table-wrap").forEach(function (el) {
      if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "0");
      if (!el.hasAttribute("role")) el.setAttribute("role", "region");
      if (!el.hasAttribute("aria-label") && !el.hasAttribute("aria-labelledby")) {
        el.setAttribute("aria-label", namaWilayah(el));
      }
    });
  }

  function mulai() {
    siapkanMenu();
    siapkanTabelGulir();
    fokusRingkasanGalat();
    document.body.addEventListener("htmx:afterSwap", function (e) {
      siapkanTabelGulir(e.target);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mulai);
  } else {
    mulai();
  }
})();

/* Portal behaviour (vendored, no inline scripts: the CSP allows only scripts with a nonce).
 * - the phone menu: a real button with aria-expanded / aria-controls, Escape closes it;
 * - a failed form: focus moves to its error summary, whose links lead to the fields. */
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

  function mulai() {
    siapkanMenu();
    fokusRingkasanGalat();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mulai);
  } else {
    mulai();
  }
})();

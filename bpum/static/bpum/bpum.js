/* BPUM screens (vendored, no inline script: the CSP allows only scripts with a nonce).
 *
 * - "Select all" check boxes: <input type=checkbox data-pilih-semua="usulan"> ticks every
 *   enabled box named "usulan" in the same form.
 * - Phone photos: <input type=file data-perkecil="1600"> shrinks a chosen JPEG/PNG to at most
 *   1600 px on its longer side, as JPEG, before upload (4-8 MB phone photos become a few hundred
 *   KB on a slow network). PDFs and small images are left alone. The server still checks the
 *   content and the size (bpum.validasi.cek_berkas_dokumen).
 * - Upload progress: <form data-unggah-progres> is sent with XMLHttpRequest and shows a
 *   <progress> bar. The server answers {"ke": url} on success (the browser goes there) or the
 *   page with the form's errors (its <main> replaces this one; uploads already staged stay).
 * Without JavaScript every form still works as a plain form.
 */
(function () {
  "use strict";

  function pilihSemua(akar) {
    (akar || document).querySelectorAll("[data-pilih-semua]").forEach(function (induk) {
      var nama = induk.getAttribute("data-pilih-semua");
      var form = induk.form || induk.closest("form") || document;
      function kotak() {
        return Array.prototype.filter.call(
          form.querySelectorAll('input[type=checkbox][name="' + nama + '"]'),
          function (k) { return !k.disabled; }
        );
      }
      function segarkan() {
        var semua = kotak();
        var dicentang = semua.filter(function (k) { return k.checked; }).length;
        induk.checked = semua.length > 0 && dicentang === semua.length;
        induk.indeterminate = dicentang > 0 && dicentang < semua.length;
      }
      induk.addEventListener("change", function () {
        kotak().forEach(function (k) { k.checked = induk.checked; });
        segarkan();
      });
      kotak().forEach(function (k) { k.addEventListener("change", segarkan); });
      segarkan();
    });
  }

  /* ---------------------------------------------------------------- shrinking photos */
  var JENIS_GAMBAR = ["image/jpeg", "image/png"];
  var BATAS_TANPA_UBAH = 900 * 1024; // a small image under the size limit is sent as it is

  function muatGambar(berkas) {
    if (window.createImageBitmap) {
      return createImageBitmap(berkas, { imageOrientation: "from-image" }).catch(function () {
        return muatLewatImg(berkas);
      });
    }
    return muatLewatImg(berkas);
  }

  function muatLewatImg(berkas) {
    return new Promise(function (ok, gagal) {
      var url = URL.createObjectURL(berkas);
      var img = new Image();
      img.onload = function () { URL.revokeObjectURL(url); ok(img); };
      img.onerror = function () { URL.revokeObjectURL(url); gagal(new Error("gambar")); };
      img.src = url;
    });
  }

  function perkecil(berkas, maks) {
    if (JENIS_GAMBAR.indexOf(berkas.type) < 0) return Promise.resolve(berkas);
    return muatGambar(berkas).then(function (img) {
      var w = img.width, h = img.height;
      var skala = Math.min(1, maks / Math.max(w, h));
      if (skala === 1 && berkas.size <= BATAS_TANPA_UBAH) return berkas;
      var kanvas = document.createElement("canvas");
      kanvas.width = Math.max(1, Math.round(w * skala));
      kanvas.height = Math.max(1, Math.round(h * skala));
      var ctx = kanvas.getContext("2d");
      ctx.fillStyle = "#fff"; // transparent PNG areas become white, not black
      ctx.fillRect(0, 0, kanvas.width, kanvas.height);
      ctx.drawImage(img, 0, 0, kanvas.width, kanvas.height);
      return new Promise(function (ok) {
        kanvas.toBlob(function (blob) {
          if (!blob || blob.size >= berkas.size) { ok(berkas); return; }
          var nama = berkas.name.replace(/\.[^.]*$/, "") + ".jpg";
          ok(new File([blob], nama, { type: "image/jpeg", lastModified: Date.now() }));
        }, "image/jpeg", 0.82);
      });
    }).catch(function () { return berkas; });
  }

  function ukuran(n) {
    return n >= 1048576 ? (n / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(n / 1024)) + " KB";
  }

  function siapkanPerkecil(akar) {
    (akar || document).querySelectorAll("input[type=file][data-perkecil]").forEach(function (input) {
      if (input.dataset.perkecilSiap) return;
      input.dataset.perkecilSiap = "1";
      var maks = parseInt(input.getAttribute("data-perkecil"), 10) || 1600;
      var info = document.createElement("p");
      info.className = "small muted info-perkecil";
      info.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", info);
      input.addEventListener("change", function () {
        var daftar = Array.prototype.slice.call(input.files || []);
        if (!daftar.length || !window.DataTransfer) return;
        var form = input.form;
        if (form) form.dataset.sibuk = (parseInt(form.dataset.sibuk || "0", 10) + 1).toString();
        Promise.all(daftar.map(function (b) { return perkecil(b, maks); })).then(function (hasil) {
          var dt = new DataTransfer();
          var teks = [];
          hasil.forEach(function (b, i) {
            dt.items.add(b);
            if (b !== daftar[i]) teks.push(daftar[i].name + ": " + ukuran(daftar[i].size) + " → " + ukuran(b.size));
          });
          if (teks.length) { input.files = dt.files; info.textContent = teks.join("; "); }
          else { info.textContent = ""; }
        }).finally(function () {
          if (form) form.dataset.sibuk = (parseInt(form.dataset.sibuk || "1", 10) - 1).toString();
        });
      });
    });
  }

  /* ---------------------------------------------------------------- upload progress */
  function siapkanProgres(akar) {
    (akar || document).querySelectorAll("form[data-unggah-progres]").forEach(function (form) {
      if (form.dataset.progresSiap) return;
      form.dataset.progresSiap = "1";
      form.addEventListener("submit", function (e) {
        if (!window.FormData || !window.XMLHttpRequest) return;
        var adaBerkas = Array.prototype.some.call(
          form.querySelectorAll("input[type=file]"),
          function (i) { return i.files && i.files.length; }
        );
        if (!adaBerkas) return; // nothing to upload: an ordinary submit
        e.preventDefault();
        kirim(form, e.submitter);
      });
    });
  }

  function tungguSiap(form) {
    return new Promise(function (ok) {
      (function cek() {
        if (parseInt(form.dataset.sibuk || "0", 10) > 0) { setTimeout(cek, 100); } else { ok(); }
      })();
    });
  }

  function kirim(form, tombol) {
    var teks = form.getAttribute("data-unggah-progres") || "…";
    var wadah = form.querySelector(".progres-unggah");
    if (!wadah) {
      wadah = document.createElement("div");
      wadah.className = "progres-unggah";
      wadah.setAttribute("role", "status");
      wadah.innerHTML = '<label><span></span> <progress max="100" value="0"></progress></label>';
      (tombol || form.querySelector("button")).insertAdjacentElement("afterend", wadah);
    }
    var label = wadah.querySelector("span");
    var bar = wadah.querySelector("progress");
    label.textContent = teks;
    var tombolSemua = form.querySelectorAll("button");
    tombolSemua.forEach(function (b) { b.disabled = true; });
    tungguSiap(form).then(function () {
      var data = tombol ? new FormData(form, tombol) : new FormData(form);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action || window.location.href);
      xhr.setRequestHeader("X-Unggah-Progres", "1");
      xhr.upload.addEventListener("progress", function (ev) {
        if (ev.lengthComputable) {
          var p = Math.round((100 * ev.loaded) / ev.total);
          bar.value = p;
          label.textContent = teks + " " + p + "%";
        }
      });
      xhr.addEventListener("load", function () {
        var ct = xhr.getResponseHeader("Content-Type") || "";
        if (ct.indexOf("application/json") === 0) {
          try {
            var hasil = JSON.parse(xhr.responseText);
            if (hasil.ke) { window.location.assign(hasil.ke); return; }
          } catch (err) { /* fall through: show the page */ }
        }
        gantiHalaman(xhr.responseText);
      });
      xhr.addEventListener("error", function () {
        tombolSemua.forEach(function (b) { b.disabled = false; });
        form.removeAttribute("data-unggah-progres"); // let the next try be a plain submit
        label.textContent = form.getAttribute("data-unggah-gagal") || "!";
      });
      xhr.send(data);
    });
  }

  function gantiHalaman(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var baru = doc.querySelector("main");
    var lama = document.querySelector("main");
    if (!baru || !lama) { document.documentElement.innerHTML = html; return; }
    lama.innerHTML = baru.innerHTML;
    if (doc.title) document.title = doc.title;
    mulai(lama);
    var ringkasan = lama.querySelector("[data-ringkasan-galat]");
    (ringkasan || lama).focus();
  }

  function mulai(akar) {
    pilihSemua(akar);
    siapkanPerkecil(akar);
    siapkanProgres(akar);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { mulai(); });
  } else {
    mulai();
  }
})();

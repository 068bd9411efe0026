// The SOP step editor: a step added with "Add another" gets working live time-limit checks.
// Django's inlines.js renames ids and names of the new row; the htmx and aria attributes that
// point at them still say __prefix__, so they are renamed here and htmx processes the row.
"use strict";
document.addEventListener("formset:added", function (event) {
    const baris = event.target;
    if (!baris || !baris.closest(".langkah-editor")) {
        return;
    }
    const nomor = baris.id.replace(/^.*-(\d+)$/, "$1");
    baris.querySelectorAll("[hx-target], [hx-include], [aria-describedby], output[id], output[for]").forEach(function (el) {
        ["hx-target", "hx-include", "aria-describedby", "id", "for"].forEach(function (nama) {
            const nilai = el.getAttribute(nama);
            if (nilai && nilai.indexOf("__prefix__") !== -1) {
                el.setAttribute(nama, nilai.replace(/__prefix__/g, nomor));
            }
        });
    });
    if (window.htmx) {
        window.htmx.process(baris);
    }
});

// "+ input": a new blank input row under a step (copy of the last row, emptied and renumbered).
document.addEventListener("click", function (event) {
    const tombol = event.target.closest(".tambah-butir");
    if (!tombol) {
        return;
    }
    const tbody = tombol.previousElementSibling && tombol.previousElementSibling.querySelector("tbody");
    const terakhir = tbody && tbody.lastElementChild;
    if (!terakhir) {
        return;
    }
    const baru = terakhir.cloneNode(true);
    const n = tbody.children.length;
    baru.querySelectorAll("input, select").forEach(function (el) {
        if (el.type === "checkbox") {
            el.checked = false;
            el.value = String(n);
        } else if (el.tagName === "SELECT") {
            el.selectedIndex = 0;
        } else {
            el.value = "";
        }
        if (el.id) {
            el.id = el.id.replace(/_\d+_nama$/, "_" + n + "_nama");
        }
        const label = el.getAttribute("aria-label");
        if (label) {
            el.setAttribute("aria-label", label.replace(/\d+$/, String(n + 1)));
        }
    });
    tbody.appendChild(baru);
    baru.querySelector("input[type=text]").focus();
});

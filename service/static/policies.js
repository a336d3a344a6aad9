// Policy search: the province → city → county picker loads children from /v1/regions.
(function () {
  "use strict";
  const levels = ["province", "city", "county"];
  const selects = levels.map((l) => document.getElementById(`region-${l}`));

  function reset(select) {
    while (select.options.length > 1) select.remove(1);
    select.value = "";
  }

  async function load(select, parent) {
    reset(select);
    if (!parent) return;
    const resp = await fetch(`/v1/regions?parent=${encodeURIComponent(parent)}`);
    if (!resp.ok) return;
    for (const r of await resp.json()) {
      select.add(new Option(r.name, r.code));  // Option() sets text, never HTML
    }
  }

  selects.forEach((select, i) => {
    if (!select) return;
    select.addEventListener("change", () => {
      for (let j = i + 2; j < selects.length; j++) reset(selects[j]);
      if (i + 1 < selects.length) load(selects[i + 1], select.value);
    });
  });
})();

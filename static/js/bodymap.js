// Body map on the session form: choosing a muscle puts it (and its side) in the site row being
// filled in and lists only its region's muscles there; a muscle of a region to avoid is
// refused. Each muscle list gets a box that finds muscles by typing any part of their name.
// Without JavaScript the plain form still works.
(() => {
  const map = document.querySelector("[data-body-map]");
  if (!map) {
    return;
  }
  const status = document.getElementById("body-map-status");
  const addSite = document.querySelector("button[hx-target='#sites']");
  let pending = null;

  const muscleSelect = (row) => row.querySelector("select[name$='-muscle']");
  const fold = (text) =>
    text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .trim();

  const emptyRow = () =>
    [...document.querySelectorAll(".site-row")].find((row) => !muscleSelect(row).value);

  // Hide the options outside the chosen region or not matching the typed words.
  const applyFilter = (select) => {
    const region = select.dataset.region;
    const query = select.dataset.query || "";
    for (const option of select.options) {
      const outside = Boolean(region && option.dataset.region !== region);
      option.hidden = Boolean(option.value && (outside || !fold(option.text).includes(query)));
    }
    for (const group of select.querySelectorAll("optgroup")) {
      group.hidden = [...group.children].every((option) => option.hidden);
    }
    if (select.selectedOptions.length && select.selectedOptions[0].hidden) {
      select.value = "";
    }
  };

  const searchBox = (select) => {
    const box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1 muscle-search";
    box.placeholder = "Type to find a muscle";
    box.setAttribute("aria-label", `Find a muscle: ${select.closest(".site-row").querySelector("legend").textContent}`);
    box.setAttribute("aria-controls", select.id);
    box.addEventListener("input", () => {
      select.dataset.query = fold(box.value);
      applyFilter(select);
      const matches = [...select.options].filter((option) => option.value && !option.hidden);
      if (matches.length === 1) {
        select.value = matches[0].value;
      }
    });
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === "ArrowDown") {
        event.preventDefault();
        const first = [...select.options].find((option) => option.value && !option.hidden);
        if (first && !select.value) {
          select.value = first.value;
        }
        select.focus();
      }
    });
    select.before(box);
  };

  const enhanceRows = () => {
    for (const row of document.querySelectorAll(".site-row")) {
      const select = muscleSelect(row);
      if (select && !row.querySelector(".muscle-search")) {
        searchBox(select);
      }
    }
  };

  const choose = (element, mayAddRow = true) => {
    const label = element.dataset.label;
    if (element.dataset.blocked === "1") {
      status.textContent = `${label}: its region is to avoid (screening). Choose another muscle.`;
      return;
    }
    const row = emptyRow();
    if (!row) {
      if (mayAddRow) {
        // Every row is filled in: add one, then put the muscle in it.
        pending = element;
        addSite.click();
      } else {
        status.textContent = `${label}: no site row is left for it.`;
      }
      return;
    }
    const select = muscleSelect(row);
    select.dataset.region = element.dataset.region;
    applyFilter(select);
    select.value = element.dataset.muscle;
    row.querySelector("select[name$='-side']").value = element.dataset.side;
    for (const other of map.querySelectorAll(".map-muscle[aria-pressed='true']")) {
      other.setAttribute("aria-pressed", "false");
    }
    element.setAttribute("aria-pressed", "true");
    const legend = row.querySelector("legend").textContent;
    status.textContent = `${legend}: ${label}. Its region's muscles are listed.`;
  };

  map.addEventListener("click", (event) => {
    const element = event.target.closest(".map-muscle[data-muscle]");
    if (element) {
      choose(element);
    }
  });
  map.addEventListener("keydown", (event) => {
    const element = event.target.closest(".map-muscle[data-muscle]");
    if (element && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      choose(element);
    }
  });
  document.getElementById("body-map-reset").addEventListener("click", () => {
    for (const select of document.querySelectorAll(".site-row select[name$='-muscle']")) {
      delete select.dataset.region;
      delete select.dataset.query;
      applyFilter(select);
    }
    for (const box of document.querySelectorAll(".muscle-search")) {
      box.value = "";
    }
    status.textContent = "All muscles listed.";
  });
  document.body.addEventListener("htmx:afterSettle", () => {
    enhanceRows();
    if (pending) {
      const element = pending;
      pending = null;
      choose(element, false);
    }
  });
  enhanceRows();
})();

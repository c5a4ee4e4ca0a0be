// Body map on the session form: choosing a region lists only that region's muscles (and sets
// the side) for the site row being filled in. Without JavaScript the plain form still works.
(() => {
  const map = document.querySelector("[data-body-map]");
  if (!map) {
    return;
  }
  const status = document.getElementById("body-map-status");

  const muscleSelect = (row) => row.querySelector("select[name$='-muscle']");

  const targetRow = () => {
    const rows = [...document.querySelectorAll(".site-row")];
    return rows.find((row) => !muscleSelect(row).value) || rows[rows.length - 1];
  };

  const filterMuscles = (select, region) => {
    for (const option of select.options) {
      option.hidden = Boolean(region && option.value && option.dataset.region !== region);
    }
    if (select.selectedOptions.length && select.selectedOptions[0].hidden) {
      select.value = "";
    }
  };

  const choose = (element) => {
    const label = element.dataset.label;
    if (element.dataset.blocked === "1") {
      status.textContent = `${label} is a region to avoid (screening). Choose another region.`;
      return;
    }
    const row = targetRow();
    if (!row) {
      return;
    }
    filterMuscles(muscleSelect(row), element.dataset.region);
    row.querySelector("select[name$='-side']").value = element.dataset.side;
    for (const other of map.querySelectorAll(".map-region[aria-pressed='true']")) {
      other.setAttribute("aria-pressed", "false");
    }
    element.setAttribute("aria-pressed", "true");
    const legend = row.querySelector("legend").textContent;
    status.textContent = `${legend}: muscles of ${label} listed, side set. Choose the muscle.`;
    muscleSelect(row).focus();
  };

  map.addEventListener("click", (event) => {
    const element = event.target.closest(".map-region[data-region]");
    if (element) {
      choose(element);
    }
  });
  map.addEventListener("keydown", (event) => {
    const element = event.target.closest(".map-region[data-region]");
    if (element && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      choose(element);
    }
  });
  document.getElementById("body-map-reset").addEventListener("click", () => {
    for (const select of document.querySelectorAll(".site-row select[name$='-muscle']")) {
      filterMuscles(select, null);
    }
    status.textContent = "All muscles listed.";
  });
})();

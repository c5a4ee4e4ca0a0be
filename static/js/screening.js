// The screening grid's explicit per-group action: answer "no" to every question of the group
// still unanswered. Nothing is ever answered by default.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-all-no]");
  if (!button) {
    return;
  }
  const group = button.closest("[data-screening-group]");
  for (const row of group.querySelectorAll("[data-question]")) {
    if (!row.querySelector("input:checked")) {
      row.querySelector("input[value='no']").checked = true;
    }
  }
});

// Confirm buttons that change a record's state, e.g. archiving a patient.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// Print buttons, e.g. on the exercise handout.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// After a submit with errors, the error summary takes focus so it is read and seen first;
// its links move to the field, label in view.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-error-summary] a[href^='#']");
  const field = link && document.getElementById(link.getAttribute("href").slice(1));
  if (field) {
    event.preventDefault();
    const label = document.querySelector(`label[for='${field.id}']`) || field;
    label.scrollIntoView();
    field.focus({ preventScroll: true });
  }
});

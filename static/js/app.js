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

// A form that writes is sent once: after the first click its submit buttons are disabled
// (later, so the clicked button's name and value still go with the form). The server also
// answers a second submit of a create form with the first one's record. htmx forms swap their
// own markup.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (event.defaultPrevented || form.method !== "post" || form.hasAttribute("hx-post")) {
    return;
  }
  setTimeout(() => {
    for (const button of form.querySelectorAll("button:not([type=button]), input[type=submit]")) {
      if (!button.disabled) {
        button.disabled = true;
        button.dataset.sentOnce = "";
      }
    }
  });
});

// Back to a page kept in the browser's history: its buttons work again.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) {
    for (const button of document.querySelectorAll("[data-sent-once]")) {
      button.disabled = false;
      delete button.dataset.sentOnce;
    }
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

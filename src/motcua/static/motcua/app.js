// motcua — the little script the pages use; everything works without it. No inline script (CSP).
// Forms marked data-confirm ask before they submit a step that cannot be undone.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
// A link to an action (#thao-tac-…) opens its panel and puts the keyboard in it.
function openFromHash() {
  const target = location.hash && document.getElementById(location.hash.slice(1));
  if (target && target.tagName === "DETAILS") {
    target.open = true;
    const field = target.querySelector("textarea, input:not([type=hidden]), select, button");
    if (field) field.focus();
  }
}
window.addEventListener("hashchange", openFromHash);
document.addEventListener("DOMContentLoaded", openFromHash);
// The intake form shows the individual's or the organisation's fields by the applicant type chosen.
function showApplicantFields() {
  const chosen = document.querySelector("input[name=type]:checked");
  if (!chosen) return;
  document.querySelectorAll("[data-applicant]").forEach((group) => {
    group.hidden = group.getAttribute("data-applicant") !== chosen.value;
  });
}
document.addEventListener("change", (event) => {
  if (event.target.name === "type") showApplicantFields();
});
document.addEventListener("DOMContentLoaded", showApplicantFields);
// After a refusal the keyboard lands on the first thing to fix.
document.addEventListener("DOMContentLoaded", () => {
  const first = document.querySelector("[aria-invalid=true]")
    || document.querySelector("form .error[role=alert], details[open] .error[role=alert]");
  if (first && !location.hash) {
    if (!first.hasAttribute("tabindex") && !/^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(first.tagName)) {
      first.setAttribute("tabindex", "-1");
    }
    first.focus();
  }
});

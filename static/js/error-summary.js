/*
 * The application form's error summary (templates/registrations/apply.html).
 *
 * After a failed submit, move focus to the summary so that a screen reader reads it
 * and a keyboard user starts from it. A link in the summary focuses its field and
 * scrolls the field's label into view with it (a plain jump to the input would hide
 * the label above the top of a phone's screen). A static file: the CSP allows no
 * inline script.
 */
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (!summary) {
    return;
  }
  summary.focus();

  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) {
      return;
    }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    // Crispy wraps each field in div_<id>; a radio group's wrapper is named after the group.
    var wrapper =
      document.getElementById("div_" + field.id) || document.getElementById("div_" + field.id.replace(/_\d+$/, ""));
    (wrapper || field).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });
})();

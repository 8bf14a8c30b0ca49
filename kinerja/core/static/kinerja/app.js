/* Kinerja's only script besides htmx. No inline script is allowed (Content-Security-Policy).
 *
 * 1. Confirmation before irreversible actions: a form, or the button that submits it, carrying
 *    data-confirm="..." asks first; "Batal" sends nothing. Listened to in the capture phase on the
 *    document, so it runs before htmx's own submit handler on the form.
 * 2. htmx requests carry the CSRF token of the page as a header.
 */
(function () {
  "use strict";

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      var button = event.submitter;
      var question =
        (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) {
        event.preventDefault();
        event.stopImmediatePropagation();
        event.stopPropagation();
      }
    },
    true
  );

  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("[name=csrfmiddlewaretoken]");
    if (token) {
      event.detail.headers["X-CSRFToken"] = token.value;
    }
  });
})();

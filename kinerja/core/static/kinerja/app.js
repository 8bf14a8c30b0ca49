/* Kinerja's only script besides htmx. No inline script is allowed (Content-Security-Policy).
 *
 * 1. Confirmation before irreversible actions: a form, or the button that submits it, carrying
 *    data-confirm="..." asks first; "Batal" sends nothing. Listened to in the capture phase on the
 *    document, so it runs before htmx's own submit handler on the form.
 * 2. htmx requests carry the CSRF token of the page as a header.
 * 3. Nothing typed is lost: a page whose form carries data-warn-unsaved asks before it is left
 *    while a field differs from what the page was given (value != defaultValue), except for the
 *    form being submitted itself, or while a form shown again after a refused save carries
 *    data-unsaved; the count of indicators with unsaved edits is shown in [data-dirty-count].
 *    "Simpan semua" (form[data-send-changed]) sends only the indicators that were changed.
 * 4. Enter in an indicator's field saves that indicator (its [data-row-save] button), not the page.
 * 5. After an htmx swap the focus returns to the element that had it (by id), else to the
 *    swapped part's status, so a keyboard user stays where they were.
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

  function changed(field) {
    if (field.disabled || !field.name) return false;
    var type = (field.type || "").toLowerCase();
    if (type === "file") return field.files && field.files.length > 0;
    if (type === "checkbox" || type === "radio") return field.checked !== field.defaultChecked;
    if (type === "hidden" || type === "submit" || type === "button") return false;
    if (field.tagName === "SELECT") {
      return Array.prototype.some.call(field.options, function (o) {
        return o.selected !== o.defaultSelected;
      });
    }
    return "defaultValue" in field && field.value !== field.defaultValue;
  }

  function unsaved(except) {
    var found = [];
    document.querySelectorAll("form[data-warn-unsaved]").forEach(function (form) {
      if (form === except) return;
      // Shown again after a refused save, what was typed and not saved (a whole form, or the
      // indicators marked); an indicator saved since is replaced without the mark.
      if (form.hasAttribute("data-unsaved")) found.push(form);
      form.querySelectorAll("[data-unsaved]").forEach(function (part) {
        found.push(part);
      });
      Array.prototype.forEach.call(form.elements, function (field) {
        if (changed(field)) found.push(field);
      });
    });
    return found;
  }

  var leaving = null;
  document.addEventListener("submit", function (event) {
    // htmx handles its forms itself (the event is cancelled); any other submission leaves the page
    // (the browser asks "leave?" during the submission itself). One that does not leave (a
    // download) is forgotten a moment later.
    if (!event.defaultPrevented) {
      leaving = event.target;
      sendOnlyChanged(event.target);
      window.setTimeout(function () {
        leaving = null;
      }, 1000);
    }
  });

  // A form with data-send-changed ("Simpan semua") sends only the indicators the user changed:
  // an indicator left as it was is not sent, so it can never write back what the page showed
  // over a newer save by someone else. (The fields are switched off while the form is sent; the
  // data set is built after this event.)
  function sendOnlyChanged(form) {
    if (!form.hasAttribute("data-send-changed")) return;
    form.querySelectorAll(".ikk").forEach(function (row) {
      var fields = row.querySelectorAll("input, textarea, select");
      var touched =
        row.hasAttribute("data-unsaved") || Array.prototype.some.call(fields, changed);
      if (touched) return;
      fields.forEach(function (field) {
        if (field.form === form && !field.disabled) {
          field.disabled = true;
          field.setAttribute("data-sent-off", "");
        }
      });
    });
  }

  // Back to a page kept by the browser after it was sent: its fields work again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("[data-sent-off]").forEach(function (field) {
      field.disabled = false;
      field.removeAttribute("data-sent-off");
    });
  });

  window.addEventListener("beforeunload", function (event) {
    if (unsaved(leaving).length > 0) {
      leaving = null;
      event.preventDefault();
      event.returnValue = "";
    }
  });

  function countDirty() {
    var counter = document.querySelector("[data-dirty-count]");
    var rows = new Set();
    unsaved(null).forEach(function (field) {
      var row = field.matches(".ikk") ? field : field.closest(".ikk");
      if (row) rows.add(row);
    });
    document.querySelectorAll(".ikk").forEach(function (row) {
      row.classList.toggle("dirty", rows.has(row));
    });
    if (counter) {
      counter.textContent = rows.size ? rows.size + " IKK belum disimpan." : "";
    }
  }
  document.addEventListener("input", countDirty);
  document.addEventListener("change", countDirty);
  document.addEventListener("htmx:afterSettle", countDirty);

  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || field.tagName !== "INPUT") return;
    var type = (field.type || "").toLowerCase();
    if (type === "file" || type === "submit" || type === "button" || type === "checkbox") return;
    var row = field.closest(".ikk");
    var button = row && row.querySelector("[data-row-save]");
    if (button) {
      event.preventDefault();
      button.click();
    }
  });

  var focused = null;
  document.addEventListener("htmx:beforeSwap", function () {
    var active = document.activeElement;
    focused = active && active.id ? active.id : null;
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.elt;
    var again = focused && document.getElementById(focused);
    focused = null;
    if (again && again !== document.activeElement) {
      again.focus();
    } else if (!again && target && target.isConnected) {
      var status = target.querySelector("[role=status], [role=alert]");
      if (status) {
        status.setAttribute("tabindex", "-1");
        status.focus();
      }
    }
  });
})();

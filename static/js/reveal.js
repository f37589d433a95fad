// "View in full" beside a masked ID or phone number (core.sensitive.reveal):
// posts the reason and puts the full number in place of the masked one. Without
// JavaScript the form posts normally and the answer is a page with the number.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-reveal]")) {
      return;
    }
    event.preventDefault();
    var holder = form.closest("[data-sensitive]");
    var error = form.querySelector("[data-reveal-error]");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      })
      .then(function (answer) {
        if (answer.ok) {
          holder.querySelector("[data-sensitive-value]").textContent =
            answer.body.value;
          form.remove();
        } else if (error) {
          error.textContent = answer.body.detail || "";
        }
      })
      .catch(function () {
        form.submit();
      });
  });
})();

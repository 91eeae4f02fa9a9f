// The seats left, live from the inbox; without JavaScript the page shows the build's figure and
// says it is as of the build. When none is left, the form says what it now does: it puts the
// reader on the waiting list (the inbox decides the same way, whatever the button says).
(function () {
  var line = document.getElementById("seats");
  var figure = document.getElementById("seats-left");
  if (!line || !figure || !window.fetch) return;
  fetch(line.getAttribute("data-seats-url"), { headers: { Accept: "application/json" } })
    .then(function (answer) { return answer.ok ? answer.json() : null; })
    .then(function (seats) {
      if (!seats || typeof seats.left !== "number") return;
      figure.textContent = seats.left;
      var asOf = document.getElementById("seats-as-of");
      if (asOf) asOf.textContent = "Now: ";
      if (seats.left > 0) return;
      line.textContent = "Every seat is taken just now. Leave your details to join the waiting " +
        "list: if a seat frees up, it goes to the first person waiting.";
      var button = document.getElementById("register-button");
      var heading = document.getElementById("register-heading");
      if (button) button.textContent = "Join the waiting list";
      if (heading) heading.textContent = "Join the waiting list";
    })
    .catch(function () {});
})();

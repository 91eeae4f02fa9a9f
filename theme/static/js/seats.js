// The seats left, live from the inbox; without JavaScript the page shows the build's figure.
(function () {
  var figure = document.getElementById("seats-left");
  if (!figure || !window.fetch) return;
  fetch(figure.getAttribute("data-seats-url"), { headers: { Accept: "application/json" } })
    .then(function (answer) { return answer.ok ? answer.json() : null; })
    .then(function (seats) {
      if (seats && typeof seats.left === "number") figure.textContent = seats.left;
    })
    .catch(function () {});
})();

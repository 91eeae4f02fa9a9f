// The search page with JavaScript: show Pagefind's interface and run the query from ?q=.
// Without JavaScript (or if the index failed to load) the page keeps its list of every essay.
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box || typeof window.PagefindUI !== "function") return;
  box.hidden = false;
  var ui = new window.PagefindUI({
    element: "#search",
    showImages: false,
    showSubResults: true,
  });
  // Pagefind's box has only a placeholder; the page heading is its visible label.
  var input = box.querySelector("input");
  if (input) input.setAttribute("aria-labelledby", "search-heading");
  var term = new URLSearchParams(window.location.search).get("q");
  if (term) ui.triggerSearch(term);
})();

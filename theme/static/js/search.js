// The search page with JavaScript: show Pagefind's interface and run the query from ?q=.
// Without JavaScript (or if the index failed to load) the page keeps its list of every essay.
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box || typeof window.PagefindUI !== "function") return;
  box.hidden = false;
  // The index is cut into bundles so Pagefind's memory stays bounded when it is made; the first
  // is the one pagefind-ui.js came with, the others are listed by the page, separated by spaces.
  var merged = (box.getAttribute("data-merge-bundles") || "").split(" ").filter(Boolean);
  var ui = new window.PagefindUI({
    element: "#search",
    showImages: false,
    showSubResults: true,
    mergeIndex: merged.map(function (path) {
      // Absolute: Pagefind would resolve a relative path against its own script, not this page.
      return { bundlePath: new URL(path, document.baseURI).href };
    }),
  });
  // Pagefind's box has only a placeholder; the page heading is its visible label.
  var input = box.querySelector("input");
  if (input) input.setAttribute("aria-labelledby", "search-heading");
  var term = new URLSearchParams(window.location.search).get("q");
  if (term) ui.triggerSearch(term);
})();

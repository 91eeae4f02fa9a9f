// The essay page's small helpers; without JavaScript every one of them is a plain link.
// - A video (figure.video) loads its player from the video's site only when clicked.
// - "Copy link" copies the essay's address instead of following it.
(function () {
  var PLAYERS = /^https:\/\/(www\.youtube-nocookie\.com\/embed\/|player\.vimeo\.com\/video\/)/;

  function play(figure, link) {
    var source = figure.getAttribute("data-video");
    if (!PLAYERS.test(source)) return false;
    var frame = document.createElement("iframe");
    frame.src = source;
    frame.title = figure.getAttribute("data-title") || link.textContent.trim();
    frame.allow = "autoplay; encrypted-media; fullscreen; picture-in-picture";
    frame.allowFullscreen = true;
    link.replaceWith(frame);
    frame.focus();
    return true;
  }

  function copyLink(link) {
    if (!navigator.clipboard) return false;
    navigator.clipboard.writeText(link.href).then(function () {
      var status = document.getElementById("share-status");
      if (!status) {
        status = document.createElement("span");
        status.id = "share-status";
        status.setAttribute("role", "status");
        link.after(status);
      }
      status.textContent = "Link copied.";
    });
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var figure = link.closest("figure.video");
    var share = link.getAttribute("data-share");
    var handled = figure ? play(figure, link) : share === "copy" ? copyLink(link) : false;
    if (handled) event.preventDefault();
  });
})();

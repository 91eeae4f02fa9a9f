// The essay page's small helpers; without JavaScript every one of them is a plain link.
// - A video (figure.video) loads its player from the video's site only when clicked.
// - The Mastodon form goes straight to the reader's server (remembered in this browser) instead
//   of through the inbox's redirect (letterpress/inbox/share.py), which it uses without a script.
// - "Copy link" copies the essay's address instead of following it.
(function () {
  var PLAYERS = /^https:\/\/(www\.youtube-nocookie\.com\/embed\/|player\.vimeo\.com\/video\/)/;
  var SERVER_KEY = "letterpress.mastodon-server";

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

  // The server the reader means, as letterpress.sharing.mastodon_server reads it; "" when unsure,
  // and the form then goes to the inbox, which explains what to write.
  function mastodonServer(answer) {
    var host = answer.trim().toLowerCase().replace(/^https?:\/\//, "").split("/")[0];
    host = host.slice(host.lastIndexOf("@") + 1);
    return /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]([a-z0-9-]*[a-z0-9])?$/.test(host) ? host : "";
  }

  function shareOnMastodon(form) {
    var server = mastodonServer(form.elements.server.value);
    if (!server) return false;
    try { localStorage.setItem(SERVER_KEY, server); } catch (e) { /* storage off */ }
    var text = form.elements.text.value;
    window.location.href = "https://" + server + "/share?text=" + encodeURIComponent(text);
    return true;
  }

  var mastodonForm = document.querySelector('form[data-share="mastodon"]');
  if (mastodonForm) {
    try {
      mastodonForm.elements.server.value = localStorage.getItem(SERVER_KEY) || "";
    } catch (e) { /* storage off */ }
    mastodonForm.addEventListener("submit", function (event) {
      if (shareOnMastodon(mastodonForm)) event.preventDefault();
    });
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

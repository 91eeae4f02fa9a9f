// "Reply" links move the comment form under the comment and choose it as the parent;
// without JavaScript the form's "In reply to" list does the same.
(function () {
  var form = document.getElementById("respond"), home = form.previousElementSibling;
  var parent = form.querySelector("[name=parent]"), cancel = form.querySelector(".cancel-reply");
  function place(after, id) {
    after.insertAdjacentElement("afterend", form);
    if (parent) parent.value = id;
    cancel.hidden = !id;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".reply-link");
    if (link) {
      event.preventDefault();
      place(link, link.closest("li").id.slice(8));
      form.querySelector("textarea").focus();
    } else if (event.target === cancel) {
      place(home, "");
    }
  });
})();

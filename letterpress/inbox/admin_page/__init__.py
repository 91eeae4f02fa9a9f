"""The moderation page: the author's page on the inbox (/admin), for a phone as for a desk.

Signed in with the admin token or a passphrase (sessions.py), the author sees the comments
waiting, in their context, and approves, rejects, marks as spam or answers them, one at a time
or a batch; sees what was approved and waits for `comments.pull`, and can take it back; and
reads each workshop's roster and cancels a registration. Every button calls the function the
terminal tools and the admin API call (actions.py). Server-rendered with Jinja2 (render.py,
templates/), the site's stylesheet and a little of its own (static/admin.css), no script.
guard.py checks the session and the CSRF token around every signed-in endpoint (views.py);
signing_in.py opens and closes sessions.

  GET  /admin                              the queue: pending, held as spam, approved and waiting
  GET  /admin/comments/{id}                one comment (the author's e-mail notices link here)
  POST /admin/comments/{id}/decide         decision=approve|reject|spam
  POST /admin/comments/{id}/reply          body: the author's reply (approves the comment)
  POST /admin/comments/{id}/take-back      undo an approval no pull has written yet
  POST /admin/bulk                         ids=…&decision=approve|reject
  GET  /admin/workshops                    the rosters
  POST /admin/workshops/{slug}/cancel      email: cancel one registration
  GET  /admin/login, POST /admin/login     sign in
  POST /admin/logout, /admin/logout-everywhere
  GET  /admin/admin.css
"""

from starlette.routing import Route

from . import signing_in, views

__all__ = ["routes"]

routes = [
    Route("/admin", views.queue, methods=["GET"]),
    Route("/admin/login", signing_in.login_page, methods=["GET"]),
    Route("/admin/login", signing_in.log_in, methods=["POST"]),
    Route("/admin/logout", signing_in.log_out, methods=["POST"]),
    Route("/admin/logout-everywhere", signing_in.log_out_everywhere, methods=["POST"]),
    Route("/admin/admin.css", views.stylesheet, methods=["GET"]),
    Route("/admin/bulk", views.decide_batch, methods=["POST"]),
    Route("/admin/comments/{comment_id:str}", views.one_comment, methods=["GET"]),
    Route("/admin/comments/{comment_id:str}/decide", views.decide_comment, methods=["POST"]),
    Route("/admin/comments/{comment_id:str}/reply", views.reply, methods=["POST"]),
    Route("/admin/comments/{comment_id:str}/take-back", views.take_back_approval, methods=["POST"]),
    Route("/admin/workshops", views.workshops, methods=["GET"]),
    Route("/admin/workshops/{slug:str}/cancel", views.cancel_registration, methods=["POST"]),
    # Last: everything else under /admin is answered with a page too.
    Route("/admin/{rest:path}", views.no_such_page, methods=["GET", "POST"]),
]

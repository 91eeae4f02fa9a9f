"""The author's side of the inbox: moderating comments from the terminal and calling a deployed
inbox's admin API. Used by the invoke tasks in commands/; the server itself is letterpress.inbox.

  admin_client.py  the one HTTP client for the admin API (bearer token), for every --remote task
  inboxes.py       the inbox being moderated: the local database file, or a deployed inbox
  errors.py        ModerationError
  publishing.py    approving a comment: its file written first, then the decision recorded
  review.py        the interactive queue of `invoke comments.review`, and the reply it offers
  replies.py       the author answering a comment: approve it if it waits, write the reply's file
  reply_editor.py  writing that reply in $VISUAL / $EDITOR
"""

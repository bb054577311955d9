"""The Telegram front end: updates in (messages, commands, buttons, documents), replies
out as Telegram HTML. `app` wires the application, `handlers` and `admin` are thin
handlers that call the assistant off the event loop, `replies` and `admin_replies` word
what the bot says, `store` keeps subscriptions and feedback, `access` and `ratelimit`
decide who is answered; `console` runs the same conversation in a terminal."""

require "enotify";
notify :options ["noequals"] "mailto:a@example.org";

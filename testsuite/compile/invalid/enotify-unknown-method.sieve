require "enotify";
notify "nosuchscheme:a@example.org";

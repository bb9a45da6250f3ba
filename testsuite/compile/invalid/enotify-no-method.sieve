require "enotify";
notify :message "hi";

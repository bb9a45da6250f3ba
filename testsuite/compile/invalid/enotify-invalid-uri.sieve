require "enotify";
notify "not a uri";

require "ihave";
if ihave "nosuch" { nosuch_command :badtag 1 2 3; }

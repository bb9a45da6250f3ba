# RFC 5435 3, RFC 5436 2.1: a method that is only known at run time and is
# not a valid mailto URI.
require ["enotify", "variables"];
set "who" "not an address";
notify "mailto:${who}";

require ["enotify", "variables"];
if valid_notify_method ["mailto:alm@example.com", "xmpp:x@example.com"] { keep; }
if notify_method_capability "mailto:alm@example.com" "Online" ["yes", "maybe"] { keep; }
if notify_method_capability :is "mailto:x@example.com" "online" "no" { keep; }
set :encodeurl "enc" "a b&c";

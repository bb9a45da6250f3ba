# RFC 5435 3.4: importance is "1", "2" or "3".
require ["enotify", "variables"];
set "imp" "5";
notify :importance "${imp}" "mailto:alice@example.com";

require ["enclose", "variables"];
set "h" "no colon here";
enclose :headers ["${h}"] "text";

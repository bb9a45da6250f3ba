require "reject";
reject text: junk
body
.
;

require "reject";
reject text:
.
;

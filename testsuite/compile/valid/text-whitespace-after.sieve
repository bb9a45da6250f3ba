require "reject";
reject text:   	
Spaces and a tab follow text: above.
.
;

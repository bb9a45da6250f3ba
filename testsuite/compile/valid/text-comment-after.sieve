require "reject";
reject text: # a hash comment may follow text:
Not accepted.
.
;

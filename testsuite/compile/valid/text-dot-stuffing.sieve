require "reject";
# RFC 5228 2.4.2: a line starting with "." is dot-stuffed ("..").
reject text:
..a line that starts with one dot
...
.. 
.
;

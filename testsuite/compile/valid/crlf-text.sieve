require "reject";
# A text: literal with CRLF lines and dot-stuffing.
reject text: # comment after text:
Line one.
..Line starting with a dot.
.
;
